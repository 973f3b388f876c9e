import { ACKNOWLEDGEMENT_POINTS, AcknowledgementSchema, type AllianceDraft } from "../domain";
import type { RequestKind } from "../requests";
import { readOutcomes, recordTrustEntry } from "../store";

const SYSTEM = { kind: "system", id: "trust" } as const;

/**
 * Records every acknowledgement given in one workflow instance's answers (a review's, a check-in's) as a trust
 * deposit for the acknowledged partner, dated when the answer was given. Repeated (a retried task), it records
 * nothing twice: each deposit's id names the instance and the acknowledging partner. An acknowledgement of one's own
 * partner or of a partner not in the alliance is skipped (the page never offers either).
 */
export async function recordAcknowledgements(
  allianceId: string,
  instance: string,
  kind: RequestKind,
  draft: AllianceDraft,
  what: string,
): Promise<number> {
  const nameOf = (partnerId: string) => draft.partners.find((p) => p.id === partnerId)?.name;
  let recorded = 0;
  for (const outcome of await readOutcomes(allianceId, instance, kind)) {
    if (outcome.status !== "DECIDED" || !outcome.decidedAt) continue;
    const parsed = AcknowledgementSchema.safeParse(
      (outcome.decision as { acknowledge?: unknown }).acknowledge,
    );
    if (!parsed.success) continue;
    const ack = parsed.data;
    const from = nameOf(outcome.partnerId);
    const to = nameOf(ack.partnerId);
    if (!from || !to || ack.partnerId === outcome.partnerId) continue;
    const applied = await recordTrustEntry(
      allianceId,
      {
        entryId: `ack-${instance}-${outcome.partnerId}`,
        at: outcome.decidedAt,
        partnerId: ack.partnerId,
        direction: "deposit",
        kind: "acknowledged",
        points: ACKNOWLEDGEMENT_POINTS,
        note: `${from} acknowledged, in the ${what}: ${ack.note}`,
        recordedBy: outcome.decidedBy?.email ?? from,
      },
      {
        at: outcome.decidedAt,
        type: "trust.deposit",
        summary: `Trust deposit for ${to}: +${ACKNOWLEDGEMENT_POINTS} (acknowledged by ${from}): ${ack.note}`,
        actor: SYSTEM,
        data: {
          partnerId: ack.partnerId,
          kind: "acknowledged",
          points: ACKNOWLEDGEMENT_POINTS,
          by: outcome.partnerId,
          instance,
        },
      },
      ["ACTIVE"],
    );
    if (applied) recorded++;
  }
  return recorded;
}
