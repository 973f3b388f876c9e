import { config } from "../shared/config";
import { claimAndStart } from "../shared/executions";
import { nowIso } from "../shared/time";
import { claimCheckIn, dueCheckIns, getAlliance, releaseCheckIn, unscheduleCheckIns } from "../store";
import { checkInIdOf } from "./inputs";

/**
 * Starts a health check-in for every alliance whose check-in is due (its own partition of the sparse due index;
 * never a scan). A check-in missed while the schedule was down runs once, not once per missed month; the claim and
 * the execution's name (`checkin-<alliance>-<cycle>`) keep a repeated sweep from starting a second one. An alliance
 * no longer ACTIVE leaves the index.
 */
export async function sweepDueCheckIns(): Promise<{ due: number; started: number }> {
  const stateMachineArn = config().CHECK_IN_STATE_MACHINE_ARN;
  if (!stateMachineArn) throw new Error("CHECK_IN_STATE_MACHINE_ARN is not configured");
  const due = await dueCheckIns(nowIso());
  let started = 0;
  for (const schedule of due) {
    const cycle = (schedule.checkInCycle ?? 0) + 1;
    const checkInId = checkInIdOf(schedule.allianceId, cycle);
    const start = await claimAndStart({
      claim: () => claimCheckIn(schedule.allianceId, checkInId, cycle),
      release: () => releaseCheckIn(schedule.allianceId, checkInId, schedule.nextCheckInAt),
      stateMachineArn,
      name: checkInId,
      input: { allianceId: schedule.allianceId, checkInId, cycle },
    });
    if (start === "not-claimed") {
      const alliance = await getAlliance(schedule.allianceId);
      if (alliance?.status !== "ACTIVE") await unscheduleCheckIns(schedule.allianceId);
      continue;
    }
    started++;
  }
  return { due: due.length, started };
}
