import {
  type AllianceDraft,
  MAX_PACKET_LEDGER,
  type ReviewPacket,
  signedPoints,
  trustBalances,
} from "../domain";
import { type AllianceRecord, listCheckIns, listReviews, readTrustLedger } from "../store";

/**
 * Builds a review's packet: every partner's trust balance (the whole ledger), and the ledger entries and health
 * check-ins since the last review closed (or since the alliance became ACTIVE).
 */
export async function buildReviewPacket(
  alliance: AllianceRecord,
  draft: AllianceDraft,
): Promise<ReviewPacket> {
  const [ledger, reviews, checkIns] = await Promise.all([
    readTrustLedger(alliance.id),
    listReviews(alliance.id),
    listCheckIns(alliance.id),
  ]);
  const lastClosed = reviews
    .map((r) => r.closedAt)
    .filter((at): at is string => at !== undefined)
    .sort()
    .at(-1);
  const since = lastClosed ?? alliance.activatedAt;
  const nameOf = (partnerId: string) => draft.partners.find((p) => p.id === partnerId)?.name ?? partnerId;
  const balances = trustBalances(
    draft.partners.map((p) => p.id),
    ledger,
  );
  const recent = ledger.filter((e) => since === undefined || e.at >= since);
  return {
    ...(since ? { since } : {}),
    balances: draft.partners.map((p) => ({ partnerName: p.name, balance: balances[p.id] ?? 0 })),
    ledger: recent.slice(-MAX_PACKET_LEDGER).map((e) => ({
      at: e.at,
      partnerName: nameOf(e.partnerId),
      points: signedPoints(e),
      kind: e.kind,
      note: e.note,
    })),
    ledgerOmitted: Math.max(0, recent.length - MAX_PACKET_LEDGER),
    checkIns: checkIns
      .filter(
        (c) =>
          c.status === "CLOSED" && c.closedAt !== undefined && (since === undefined || c.closedAt >= since),
      )
      .map((c) => ({
        closedAt: c.closedAt ?? "",
        ...(c.average !== undefined ? { average: c.average } : {}),
        answered: c.answered ?? 0,
        asked: c.asked ?? 0,
      })),
  };
}
