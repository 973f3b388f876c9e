import * as z from "zod";
import { auditMode, ReviewAnswerSchema, type ReviewPacket, reviewRulesOf } from "../../domain";
import { documentNameOf } from "../../mail/charter-summary";
import { reviewRequest } from "../../mail/templates";
import { readReviewForm, reviewForm } from "../../pages";
import { html } from "../../shared/html";
import { getReview } from "../../store";
import type { KindWords, RequestKindSpec } from "../kind";

/** A partner's answer in a realignment review. */
export const ReviewDecisionSchema = z.strictObject({
  kind: z.literal("review"),
  ...ReviewAnswerSchema.shape,
});
export type ReviewDecision = z.infer<typeof ReviewDecisionSchema>;

const WORDS: KindWords = {
  noun: "realignment review",
  task: "answer the realignment review",
  partnerTask: "answer the realignment review",
  button: "Answer the review",
};

const ACTION_WORDS = { keep: "Keep", change: "Change", drop: "Drop" } as const;

/** Realignment: each partner's lead scores strategic fit, proposes what to do with each goal, and says whether to continue. */
export const reviewKind: RequestKindSpec<ReviewDecision, ReviewPacket> = {
  decision: ReviewDecisionSchema,
  words: WORDS,
  loadPacket: async ({ allianceId, instance }) => (await getReview(allianceId, instance))?.packet,
  requestEmail: ({ draft, partner, contact, link, deadline, packet }) =>
    reviewRequest({
      button: WORDS.button,
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      link,
      deadline,
      goals: draft.goals,
      ...(packet ? { packet } : {}),
    }),
  form: ({ draft, partner, contact, deadline, secret, colleagues, errors, values, packet }) =>
    reviewForm({
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      deadline,
      secret,
      colleagues,
      goals: draft.goals,
      otherPartners: draft.partners.filter((p) => p.id !== partner.id),
      cadence: reviewRulesOf(draft.charter.review).cadence,
      ...(packet ? { packet } : {}),
      ...(errors ? { errors } : {}),
      ...(values ? { values } : {}),
    }),
  readForm: (body, { partner }) => readReviewForm(body, partner.id),
  show: ({ strategicFit, goals, stronger, stance, cadence, acknowledge }) => html`<dl>
<dt><strong>Strategic fit</strong></dt><dd>${String(strategicFit)} of 5</dd>
<dt><strong>Goals</strong></dt><dd><ol>${goals.map((goal) => html`<li>${ACTION_WORDS[goal.action]}${goal.wording !== undefined && html`: ${goal.wording}`}</li>`)}</ol></dd>
<dt><strong>One thing that would make the partnership stronger</strong></dt><dd>${stronger ?? html`<em>none</em>`}</dd>
<dt><strong>Continue or leave</strong></dt><dd>${stance === "continue" ? "Continue" : "Leave"}</dd>
${cadence !== undefined && html`<dt><strong>Reviews from now on</strong></dt><dd>${cadence}</dd>`}
${acknowledge !== undefined && html`<dt><strong>Acknowledged</strong></dt><dd>${acknowledge.note}</dd>`}
</dl>`,
  summary: ({ strategicFit, stance }) => `answered the realignment review: fit ${strategicFit}/5, ${stance}`,
  silence: (draft, partnerName) => {
    const rules = reviewRulesOf(draft.charter.review);
    const counts =
      rules.missedAnswer === "against" ? "a vote against continuing" : "an abstention on continuing";
    const cost =
      rules.missedAnswerWithdrawal > 0
        ? `, and is a trust withdrawal of ${rules.missedAnswerWithdrawal} point(s)`
        : "";
    return {
      countedAs: rules.missedAnswer === "against" ? "against continuing" : "abstain",
      consequence: `As the ${documentNameOf(auditMode(draft).mode)} says, ${partnerName}'s missing review answer counts as ${counts}${cost}.`,
    };
  },
};
