import * as z from "zod";
import { InterestMapSchema } from "../../domain";
import { interestMapRequest } from "../../mail/templates";
import { interestMapForm, readInterestMapForm } from "../../pages";
import { html } from "../../shared/html";
import type { KindWords, RequestKindSpec } from "../kind";

/** A partner's interest map, as recorded through its link. */
export const InterestMapDecisionSchema = z.strictObject({
  kind: z.literal("interest-map"),
  interestMap: InterestMapSchema,
});
export type InterestMapDecision = z.infer<typeof InterestMapDecisionSchema>;

const section = (title: string, items: readonly string[]) =>
  html`<h3>${title}</h3>${
    items.length === 0
      ? html`<p><em>none listed</em></p>`
      : html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>`
  }`;

const WORDS: KindWords = {
  noun: "interest map",
  task: "share your organisation's interests",
  partnerTask: "share its interests",
  button: "Share your interests",
};

/** Formation: each partner states its explicit and implicit interests and what it cannot afford to lose. */
export const interestMapKind: RequestKindSpec<InterestMapDecision> = {
  decision: InterestMapDecisionSchema,
  whileForming: true,
  words: WORDS,
  requestEmail: ({ draft, partner, contact, link, deadline }) =>
    interestMapRequest({
      button: WORDS.button,
      allianceName: draft.name,
      purpose: draft.purpose,
      partnerName: partner.name,
      contactName: contact.name,
      link,
      deadline,
      goals: draft.goals,
    }),
  form: ({ draft, partner, contact, deadline, secret, colleagues, errors, values }) =>
    interestMapForm({
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      deadline,
      secret,
      colleagues,
      goals: draft.goals,
      purpose: draft.purpose,
      ...(errors ? { errors } : {}),
      ...(values ? { values } : {}),
    }),
  readForm: readInterestMapForm,
  show: ({ interestMap }) => html`${section("Explicit interests", interestMap.explicit)}
${section("Implicit interests", interestMap.implicit)}
${section("Cannot afford to lose", interestMap.cannotAffordToLose)}`,
  summary: () => "submitted its interest map",
  silence: (_draft, partnerName) => ({
    countedAs: "not provided",
    consequence: `Formation goes on without ${partnerName}'s interest map; it will show as "not shared" to the other partners.`,
  }),
};
