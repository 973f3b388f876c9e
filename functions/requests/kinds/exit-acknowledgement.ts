import * as z from "zod";
import { multiLine } from "../../domain";
import { exitAcknowledgementRequest } from "../../mail/templates";
import { exitAcknowledgementForm, MAX_COMMENT_LENGTH, readExitAcknowledgementForm } from "../../pages";
import { html } from "../../shared/html";
import type { KindWords, RequestKindSpec } from "../kind";

/** The leaving partner acknowledges its exit notice, with an optional comment. */
export const ExitAcknowledgementDecisionSchema = z.strictObject({
  kind: z.literal("exit-acknowledgement"),
  acknowledged: z.literal(true, { error: "must be true: tick the box to acknowledge" }),
  /** The charter's non-disparagement clause, acknowledged (asked only when the charter has it). */
  nonDisparagement: z.literal(true).optional(),
  comment: multiLine(1, MAX_COMMENT_LENGTH).optional(),
});
export type ExitAcknowledgementDecision = z.infer<typeof ExitAcknowledgementDecisionSchema>;

const WORDS: KindWords = {
  noun: "exit acknowledgement",
  task: "acknowledge the exit notice",
  partnerTask: "acknowledge its exit notice",
  button: "Read and acknowledge the notice",
};

/** Exit: the leaving partner's lead acknowledges the notice; silence is recorded and the exit goes ahead. */
export const exitAcknowledgementKind: RequestKindSpec<ExitAcknowledgementDecision> = {
  decision: ExitAcknowledgementDecisionSchema,
  words: WORDS,
  requestEmail: ({ draft, partner, contact, link, deadline }) =>
    exitAcknowledgementRequest({
      button: WORDS.button,
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      link,
      deadline,
    }),
  form: ({ draft, partner, contact, deadline, secret, colleagues, errors, values }) =>
    exitAcknowledgementForm({
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      deadline,
      secret,
      colleagues,
      noticePeriodDays: draft.charter.exitTerms?.noticePeriodDays ?? 0,
      nonDisparagement: draft.charter.exitTerms?.nonDisparagement === true,
      ...(errors ? { errors } : {}),
      ...(values ? { values } : {}),
    }),
  readForm: (body, { draft }) =>
    readExitAcknowledgementForm(body, draft.charter.exitTerms?.nonDisparagement === true),
  show: ({ comment, nonDisparagement }) => html`<dl>
<dt><strong>Acknowledged</strong></dt><dd>Yes</dd>
${nonDisparagement === true && html`<dt><strong>Non-disparagement clause</strong></dt><dd>Acknowledged</dd>`}
<dt><strong>Comment</strong></dt><dd>${comment ?? html`<em>none</em>`}</dd>
</dl>`,
  summary: ({ nonDisparagement }) =>
    `acknowledged its exit notice${nonDisparagement ? " and the non-disparagement clause" : ""}`,
  silence: (_draft, partnerName) => ({
    countedAs: "not acknowledged",
    consequence: `${partnerName} did not acknowledge the exit notice by the deadline; that is recorded and the exit goes ahead.`,
  }),
};
