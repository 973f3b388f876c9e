import { z } from "zod";
import { actionLink, emailDocument, para, paragraphs, subjectLine } from "../../../functions/mail/layout";
import type { FormSubmission } from "../../../functions/pages";
import { pageDocument } from "../../../functions/pages/layout";
import type { RequestKindSpec } from "../../../functions/requests";
import { html } from "../../../functions/shared/html";

// A request kind the product does not have, defined only here: it proves that a new kind is one registry
// entry and that nothing else in the engine switches on the kind.

export const PROBE_KIND = "probe-answer";

const ProbeDecisionSchema = z.strictObject({ kind: z.literal(PROBE_KIND), answer: z.enum(["yes", "no"]) });
type ProbeDecision = z.infer<typeof ProbeDecisionSchema>;

export const probeKind: RequestKindSpec<ProbeDecision> = {
  decision: ProbeDecisionSchema,
  words: {
    noun: "probe answer",
    task: "answer the probe question",
    partnerTask: "answer the probe question",
    button: "Answer the probe",
  },
  requestEmail: ({ draft, partner, contact, link, deadline }) => {
    const subject = subjectLine(`${draft.name}: probe question for ${partner.name}`);
    const text = paragraphs(`Hello ${contact.name},`, `Is the probe working? Answer by ${deadline}.`, link);
    const body = html`${para(`Hello ${contact.name},`)}${para("Is the probe working?")}${actionLink(link, "Answer the probe")}`;
    return { subject, text, html: emailDocument({ title: subject, body, footer: "probe" }) };
  },
  form: ({ draft, contact, secret, errors }) => ({
    statusCode: errors ? 400 : 200,
    html: pageDocument({
      title: "Probe question",
      allianceName: draft.name,
      body: html`<p>Probe question for ${contact.name}</p>${errors?.answer !== undefined && html`<p class="error">${errors.answer}</p>`}
<form method="post" action=""><input type="hidden" name="s" value="${secret}"><input type="hidden" name="action" value="decide">
<label><input type="radio" name="answer" value="yes"> yes</label><label><input type="radio" name="answer" value="no"> no</label>
<button type="submit">Send</button></form>`,
    }),
  }),
  readForm: (body): FormSubmission<ProbeDecision, "answer"> => {
    const secret = body.get("s") ?? "";
    const answer = body.get("answer") ?? "";
    if (answer !== "yes" && answer !== "no") {
      return { ok: false, secret, errors: { answer: "Choose yes or no." }, values: { answer } };
    }
    return { ok: true, secret, action: "decide", decision: { kind: PROBE_KIND, answer } };
  },
  show: ({ answer }) => html`<p>Probe answer: <strong>${answer}</strong></p>`,
  summary: ({ answer }) => `answered the probe: ${answer}`,
  silence: (_draft, partnerName) => ({
    countedAs: "no",
    consequence: `${partnerName}'s silence counts as "no" for the probe.`,
  }),
};
