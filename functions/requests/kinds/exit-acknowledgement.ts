import { exitAcknowledgementRequest } from "../../mail/templates";
import { html } from "../../shared/html";
import { confirmationKind } from "./confirmation";

/** Exit: the leaving partner's lead acknowledges the notice; silence is recorded and the exit goes ahead. */
export const exitAcknowledgementKind = confirmationKind({
  kind: "exit-acknowledgement",
  words: {
    noun: "exit acknowledgement",
    task: "acknowledge the exit notice",
    partnerTask: "acknowledge its exit notice",
    button: "Acknowledge the notice",
  },
  email: ({ draft, partner, contact, link, deadline, button }) =>
    exitAcknowledgementRequest({
      button,
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      link,
      deadline,
    }),
  title: "Exit notice",
  lead: ({ draft, partner }) => {
    const terms = draft.charter.exitTerms;
    return html`<p>A formal exit of <strong>${partner.name}</strong> from the alliance has been started. The other partners have the same notice.</p>
<h2>What happens</h2>
<ul>
<li>The charter's notice period is ${String(terms?.noticePeriodDays ?? 0)} day(s); ${partner.name} remains a partner until the exit takes effect.</li>
<li>Then the partners approve or contest the division of the shared assets (the notice email lists it), and each confirms its wind-down obligations.</li>
<li>When those are done, ${partner.name}'s open requests close and its vote leaves every later decision.</li>
${terms?.nonDisparagement === true && html`<li>The charter has a non-disparagement clause, which ${partner.name} acknowledges at the end and keeps after it leaves.</li>`}
</ul>`;
  },
  confirm: ({ partner }) => `I have read the notice for ${partner.name}`,
  missing: "Tick the box to acknowledge the notice.",
  shown: "Acknowledged",
  summary: "acknowledged its exit notice",
  silence: (partnerName) => ({
    countedAs: "not acknowledged",
    consequence: `${partnerName} did not acknowledge the exit notice by the deadline; that is recorded and the exit goes ahead.`,
  }),
});
