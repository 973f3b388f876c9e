import * as z from "zod";
import { CheckInAnswerSchema } from "../../domain";
import { checkInRequest } from "../../mail/templates";
import { checkInForm, readCheckInForm } from "../../pages";
import { html } from "../../shared/html";
import type { KindWords, RequestKindSpec } from "../kind";

/** A partner's health check-in answer. */
export const CheckInDecisionSchema = z.strictObject({
  kind: z.literal("check-in"),
  ...CheckInAnswerSchema.shape,
});
export type CheckInDecision = z.infer<typeof CheckInDecisionSchema>;

const WORDS: KindWords = {
  noun: "health check-in",
  task: "answer the health check-in",
  partnerTask: "answer the health check-in",
  button: "Answer the check-in",
};

/** Health check-in: each partner's lead scores the relationship 1–5, may comment and acknowledge another partner. */
export const checkInKind: RequestKindSpec<CheckInDecision> = {
  decision: CheckInDecisionSchema,
  words: WORDS,
  requestEmail: ({ draft, partner, contact, link, deadline }) =>
    checkInRequest({
      button: WORDS.button,
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      link,
      deadline,
    }),
  form: ({ draft, partner, contact, deadline, secret, colleagues, errors, values }) =>
    checkInForm({
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      deadline,
      secret,
      colleagues,
      otherPartners: draft.partners.filter((p) => p.id !== partner.id),
      ...(errors ? { errors } : {}),
      ...(values ? { values } : {}),
    }),
  readForm: (body, { partner }) => readCheckInForm(body, partner.id),
  show: ({ health, comment, acknowledge }) => html`<dl>
<dt><strong>Health of the relationship</strong></dt><dd>${String(health)} of 5</dd>
<dt><strong>Comment</strong></dt><dd>${comment ?? html`<em>none</em>`}</dd>
${acknowledge !== undefined && html`<dt><strong>Acknowledged</strong></dt><dd>${acknowledge.note}</dd>`}
</dl>`,
  summary: ({ health }) => `answered the health check-in: ${health}/5`,
  silence: (_draft, partnerName) => ({
    countedAs: "not answered",
    consequence: `${partnerName}'s check-in has no score; the average counts the partners who answered.`,
  }),
};
