import { ExecutionAlreadyExists, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { sfn } from "../shared/clients";
import { config } from "../shared/config";
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
    if (!(await claimCheckIn(schedule.allianceId, checkInId, cycle))) {
      const alliance = await getAlliance(schedule.allianceId);
      if (alliance?.status !== "ACTIVE") await unscheduleCheckIns(schedule.allianceId);
      continue;
    }
    try {
      await sfn.send(
        new StartExecutionCommand({
          stateMachineArn,
          name: checkInId,
          input: JSON.stringify({ allianceId: schedule.allianceId, checkInId, cycle }),
        }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) {
        await releaseCheckIn(schedule.allianceId, checkInId, schedule.nextCheckInAt);
        throw error;
      }
    }
    started++;
  }
  return { due: due.length, started };
}
