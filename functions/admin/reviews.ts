import { ExecutionAlreadyExists, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { reviewIdOf } from "../realignment/inputs";
import { sfn } from "../shared/clients";
import { config } from "../shared/config";
import { nowIso } from "../shared/time";
import { type Actor, appendTimeline, claimReview, releaseReview } from "../store";
import { AdminRequestError, allianceOr404 } from "./alliances";

/**
 * Starts the alliance's next realignment review now (the same workflow the schedule starts). Refused (409) when
 * the alliance is not ACTIVE or a review is running; the execution is named after the review's cycle, so two
 * admins starting at once start one review.
 */
export async function startReview(allianceId: string, actor: Actor) {
  const alliance = await allianceOr404(allianceId);
  if (alliance.status !== "ACTIVE") {
    throw new AdminRequestError(
      409,
      `alliance ${allianceId} is ${alliance.status}; only an ACTIVE alliance is reviewed`,
    );
  }
  if (alliance.reviewRunning) {
    throw new AdminRequestError(
      409,
      `review ${alliance.reviewRunning} is still running; one review runs at a time`,
    );
  }
  const stateMachineArn = config().REALIGNMENT_STATE_MACHINE_ARN;
  if (!stateMachineArn) throw new Error("REALIGNMENT_STATE_MACHINE_ARN is not configured");
  const cycle = (alliance.reviewCycle ?? 0) + 1;
  const reviewId = reviewIdOf(allianceId, cycle);
  const executionArn = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${reviewId}`;
  // Claimed before the start: two admins (or an admin and the schedule) never start two reviews.
  if (!(await claimReview(allianceId, reviewId, cycle))) {
    throw new AdminRequestError(
      409,
      `a review of alliance ${allianceId} is running, or it is no longer ACTIVE`,
    );
  }
  try {
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: reviewId,
        input: JSON.stringify({ allianceId, reviewId, cycle }),
      }),
    );
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) {
      throw new AdminRequestError(409, `review ${reviewId} was started already; one review runs at a time`);
    }
    await releaseReview(allianceId, reviewId, alliance.nextReviewAt);
    throw error;
  }
  await appendTimeline(allianceId, {
    at: nowIso(),
    type: "review.requested",
    summary: `Realignment review ${cycle} started by an admin`,
    actor,
    data: { reviewId },
  });
  return { reviewId, executionArn };
}
