import { loadVersion, partnersInAlliance } from "../alliance/load";
import { CHECK_IN_DEADLINE_DAYS, CHECK_IN_REMINDER_DAYS } from "../domain";
import type { Round } from "../requests";
import { nowIso } from "../shared/time";
import { appendTimeline, claimCheckIn, getAlliance, getCheckIn, putCheckIn } from "../store";
import type { CheckInInput } from "./inputs";

const SYSTEM = { kind: "system", id: "check-in" } as const;

/** Whether the check-in runs, and the round of asking (every partner's lead, a week to answer). */
export interface PreparedCheckIn {
  ok: boolean;
  reason?: string;
  round?: Round;
}

/**
 * Records the check-in as the alliance's running one. Refused (ok: false) when the alliance is no longer ACTIVE.
 * Idempotent: a retry finds its check-in recorded, and its timeline entry is written with the record, once.
 */
export async function prepareCheckIn(input: CheckInInput): Promise<PreparedCheckIn> {
  const current = await getAlliance(input.allianceId);
  if (!current) throw new Error(`no alliance ${input.allianceId}`);
  const { alliance, draft } = await loadVersion(input.allianceId, current.version);
  if (!(await getCheckIn(input.allianceId, input.checkInId))) {
    if (!(await claimCheckIn(input.allianceId, input.checkInId, input.cycle, "again"))) {
      return { ok: false, reason: `the alliance is ${alliance.status}` };
    }
    const at = nowIso();
    const recorded = await putCheckIn({
      checkInId: input.checkInId,
      allianceId: input.allianceId,
      cycle: input.cycle,
      status: "RUNNING",
      startedAt: at,
      charterVersion: alliance.version,
    });
    if (recorded) {
      await appendTimeline(input.allianceId, {
        at,
        type: "checkin.started",
        summary: `Health check-in ${input.cycle} started: every partner's lead is asked how the relationship is going`,
        actor: SYSTEM,
        data: { checkInId: input.checkInId, cycle: input.cycle },
      });
    }
  }
  return {
    ok: true,
    round: {
      instance: input.checkInId,
      charterVersion: alliance.version,
      deadlineSeconds: CHECK_IN_DEADLINE_DAYS * 86_400,
      remindBeforeSeconds: CHECK_IN_REMINDER_DAYS * 86_400,
      // A partner that has EXITED is not asked.
      recipients: (await partnersInAlliance(input.allianceId, draft)).map((p) => ({
        who: "lead",
        partnerId: p.id,
      })),
    },
  };
}
