import * as z from "zod";
import { ReviewAnswerSchema } from "../../domain";
import { reviewRequest } from "../../mail/templates";
import { readReviewForm, reviewForm } from "../../pages";
import { html } from "../../shared/html";
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
export const reviewKind: RequestKindSpec<ReviewDecision> = {
  decision: ReviewDecisionSchema,
  words: WORDS,
  requestEmail: ({ draft, partner, contact, link, deadline }) =>
    reviewRequest({
      button: WORDS.button,
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      link,
      deadline,
      goals: draft.goals,
    }),
  form: ({ draft, partner, contact, deadline, secret, colleagues, errors, values }) =>
    reviewForm({
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      deadline,
      secret,
      colleagues,
      goals: draft.goals,
      ...(errors ? { errors } : {}),
      ...(values ? { values } : {}),
    }),
  readForm: readReviewForm,
  show: ({ strategicFit, goals, stronger, stance }) => html`<dl>
<dt><strong>Strategic fit</strong></dt><dd>${String(strategicFit)} of 5</dd>
<dt><strong>Goals</strong></dt><dd><ol>${goals.map((goal) => html`<li>${ACTION_WORDS[goal.action]}${goal.wording !== undefined && html`: ${goal.wording}`}</li>`)}</ol></dd>
<dt><strong>One thing that would make the partnership stronger</strong></dt><dd>${stronger ?? html`<em>none</em>`}</dd>
<dt><strong>Continue or leave</strong></dt><dd>${stance === "continue" ? "Continue" : "Leave"}</dd>
</dl>`,
  summary: ({ strategicFit, stance }) => `answered the realignment review: fit ${strategicFit}/5, ${stance}`,
  silence: (_draft, partnerName) => ({
    countedAs: "abstain",
    consequence: `${partnerName}'s missing review answer counts as an abstention on continuing, and is a trust withdrawal of 1 point.`,
  }),
};
