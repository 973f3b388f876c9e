import { nonDisparagementRequest } from "../../mail/templates";
import { html } from "../../shared/html";
import { confirmationKind } from "./confirmation";

/** Exit: at the end of the wind-down, the leaving partner's lead acknowledges the charter's non-disparagement clause. */
export const nonDisparagementKind = confirmationKind({
  kind: "non-disparagement",
  words: {
    noun: "non-disparagement acknowledgement",
    task: "acknowledge the non-disparagement clause",
    partnerTask: "acknowledge the non-disparagement clause",
    button: "Acknowledge the clause",
  },
  email: ({ draft, partner, contact, link, deadline, button }) =>
    nonDisparagementRequest({
      button,
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      link,
      deadline,
    }),
  title: "Non-disparagement",
  lead: ({ partner }) =>
    html`<p>The last step of the exit wind-down: the charter's exit terms have a non-disparagement clause. Please acknowledge it for ${partner.name}.</p>`,
  confirm: ({ partner }) =>
    `${partner.name} will not disparage the alliance or its partners after it leaves, as the charter's non-disparagement clause says`,
  missing: "Tick the box to acknowledge the non-disparagement clause.",
  shown: "Acknowledged",
  summary: "acknowledged the non-disparagement clause",
  silence: (partnerName) => ({
    countedAs: "not acknowledged",
    consequence: `${partnerName} did not acknowledge the non-disparagement clause by the deadline; that is recorded in the exit's record and the exit completes.`,
  }),
});
