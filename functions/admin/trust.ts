import { randomBytes } from "node:crypto";
import { loadVersion } from "../alliance/load";
import { parseWith, type TrustEntry, TrustEntryInputSchema, trustBalances } from "../domain";
import { nowIso } from "../shared/time";
import { type Actor, type AllianceStatus, readTrustLedger, recordTrustEntry } from "../store";
import { AdminRequestError, allianceOr404 } from "./alliances";

// Trust is recorded while partners work together: from formation on, never in a draft or a dissolved alliance.
const RECORDING_STATUSES: readonly AllianceStatus[] = ["FORMING", "ACTIVE"];

/** Who recorded an entry, in words: the admin's id or the partner contact's email. */
function recorder(actor: Actor): string {
  if (actor.kind === "partner") return actor.email;
  return actor.id;
}

/**
 * Records a deposit or withdrawal for one partner of the alliance, with its timeline entry. Refused (400, naming
 * the field) for bad input or a partner the alliance does not have, (409) while the alliance is a draft or
 * dissolved; nothing is written then.
 */
export async function recordTrust(allianceId: string, body: unknown, actor: Actor) {
  const parsed = parseWith(TrustEntryInputSchema, body);
  if (!parsed.ok)
    throw new AdminRequestError(400, "the trust entry is invalid; nothing was recorded", parsed.errors);
  const alliance = await allianceOr404(allianceId);
  if (!RECORDING_STATUSES.includes(alliance.status)) {
    throw new AdminRequestError(
      409,
      `alliance ${allianceId} is ${alliance.status}; trust is recorded only while it is ${RECORDING_STATUSES.join(" or ")}; nothing was recorded`,
    );
  }
  const { draft } = await loadVersion(allianceId, alliance.version);
  const partner = draft.partners.find((p) => p.id === parsed.value.partnerId);
  if (!partner) {
    const known = draft.partners.map((p) => p.id).join(", ");
    throw new AdminRequestError(400, "the trust entry is invalid; nothing was recorded", [
      {
        path: "partnerId",
        message: `no partner "${parsed.value.partnerId}" in this alliance (partners: ${known})`,
      },
    ]);
  }
  const entry: TrustEntry = {
    ...parsed.value,
    entryId: randomBytes(6).toString("hex"),
    at: nowIso(),
    recordedBy: recorder(actor),
  };
  const sign = entry.direction === "deposit" ? "+" : "−";
  const recorded = await recordTrustEntry(
    allianceId,
    entry,
    {
      at: entry.at,
      type: `trust.${entry.direction}`,
      summary: `Trust ${entry.direction} for ${partner.name}: ${sign}${entry.points} (${entry.kind}): ${entry.note}`,
      actor,
      data: { entryId: entry.entryId, partnerId: entry.partnerId, kind: entry.kind, points: entry.points },
    },
    RECORDING_STATUSES,
  );
  if (!recorded) {
    throw new AdminRequestError(409, `alliance ${allianceId} changed status just now; nothing was recorded`);
  }
  const ledger = await readTrustLedger(allianceId);
  return {
    entry,
    balances: trustBalances(
      draft.partners.map((p) => p.id),
      ledger,
    ),
  };
}

/** Every partner's trust balance and the whole ledger, oldest first. */
export async function showTrust(allianceId: string) {
  const alliance = await allianceOr404(allianceId);
  const [{ draft }, entries] = await Promise.all([
    loadVersion(allianceId, alliance.version),
    readTrustLedger(allianceId),
  ]);
  return {
    balances: trustBalances(
      draft.partners.map((p) => p.id),
      entries,
    ),
    entries,
  };
}
