import { parseObligationInstance } from "../../exit/inputs";
import { formatDate } from "../../mail/dates";
import { obligationRequest } from "../../mail/templates";
import { html } from "../../shared/html";
import { getExit } from "../../store";
import { confirmationKind } from "./confirmation";

/** The obligation a round asks about, read from its exit. */
interface ObligationPacket {
  what: string;
  dueDate: string;
}

/** Exit wind-down: the owner's lead confirms one obligation (an asset transfer, confidential information) is done. */
export const windDownObligationKind = confirmationKind<"wind-down-obligation", ObligationPacket>({
  kind: "wind-down-obligation",
  words: {
    noun: "wind-down obligation",
    task: "confirm a wind-down obligation",
    partnerTask: "confirm its wind-down obligation",
    button: "Confirm it is done",
  },
  loadPacket: async ({ allianceId, instance }) => {
    const names = parseObligationInstance(instance);
    if (!names) return undefined;
    const obligation = (await getExit(allianceId, names.exitId))?.obligations?.find(
      (o) => o.id === names.obligationId,
    );
    return obligation && { what: obligation.what, dueDate: obligation.dueDate };
  },
  email: ({ draft, partner, contact, link, deadline, button, packet }) =>
    obligationRequest({
      button,
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      link,
      deadline,
      what: packet?.what ?? "a wind-down obligation",
    }),
  title: "Wind-down obligation",
  lead: ({ partner, packet }) =>
    html`<p>As part of the exit wind-down, ${partner.name} has this obligation${packet ? html`, due ${formatDate(packet.dueDate, "dueDate")}` : ""}:</p>
<p><strong>${packet?.what ?? "(the obligation could not be read; ask the admin)"}</strong></p>
<p>Confirm it once it is done. The other partners see it in the exit's record.</p>`,
  confirm: ({ partner }) => `This is done for ${partner.name}`,
  missing: "Tick the box to confirm the obligation is done.",
  shown: "Done",
  summary: "confirmed a wind-down obligation as done",
  silence: (partnerName) => ({
    countedAs: "not confirmed",
    consequence: `${partnerName} did not confirm its wind-down obligation by the due date; that is recorded in the exit's record.`,
  }),
});
