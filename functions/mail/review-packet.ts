import type { ReviewPacket } from "../domain";
import { html, type SafeHtml } from "../shared/html";
import { formatShortDate } from "./dates";
import { bullets, heading, list, para } from "./layout";

/** One titled part of a review packet and its lines in plain words. */
interface PacketSection {
  title: string;
  lines: string[];
  /** Said when `lines` is empty. */
  empty: string;
}

const signed = (points: number) => (points > 0 ? `+${points}` : String(points));

/** The packet's sections in plain words: the one source the review email and the review page render. */
function packetSections(packet: ReviewPacket): PacketSection[] {
  const since = packet.since ? ` since ${formatShortDate(packet.since, "since")}` : "";
  return [
    {
      title: "Trust balances",
      lines: packet.balances.map((b) => `${b.partnerName}: ${signed(b.balance)}`),
      empty: "No partners.",
    },
    {
      title: `Trust ledger${since}`,
      lines: [
        ...(packet.ledgerOmitted > 0 ? [`(${packet.ledgerOmitted} earlier entries not shown)`] : []),
        ...packet.ledger.map(
          (e) => `${formatShortDate(e.at, "at")} ${e.partnerName} ${signed(e.points)} (${e.kind}): ${e.note}`,
        ),
      ],
      empty: "No deposits or withdrawals.",
    },
    {
      title: `Health check-ins${since}`,
      lines: packet.checkIns.map((c) =>
        c.average === undefined
          ? `${formatShortDate(c.closedAt, "closedAt")}: no partner answered`
          : `${formatShortDate(c.closedAt, "closedAt")}: average ${c.average.toFixed(2)}/5 (${c.answered} of ${c.asked} partners)`,
      ),
      empty: "No check-ins closed.",
    },
  ];
}

/** The packet as plain text: a titled block per section. */
export function reviewPacketText(packet: ReviewPacket): string {
  return packetSections(packet)
    .map((s) => `${s.title}:\n${s.lines.length > 0 ? bullets(s.lines) : `  ${s.empty}`}`)
    .join("\n\n");
}

/** The packet as HTML (escaped; works in email and on pages): a heading and a list per section. */
export function reviewPacketHtml(packet: ReviewPacket): SafeHtml {
  return html`${packetSections(packet).map(
    (s) => html`${heading(s.title)}${s.lines.length > 0 ? list(s.lines) : para(s.empty)}`,
  )}`;
}
