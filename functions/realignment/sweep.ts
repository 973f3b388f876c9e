import { config } from "../shared/config";
import { claimAndStart } from "../shared/executions";
import { now, nowIso } from "../shared/time";
import { appendTimeline, claimReview, dueReviews, releaseReview } from "../store";
import { reviewIdOf } from "./inputs";

const SWEEP = { kind: "system", id: "review-sweep" } as const;
const DAY_MS = 86_400_000;

/**
 * Starts a realignment review for every alliance that is due (the reviews-due index; never a scan). Each due
 * alliance gets one review however late the sweep runs (a cloud stopped for months catches up with one review,
 * and the timeline says how late); the claim and the execution's name (`review-<alliance>-<cycle>`) keep a
 * repeated or concurrent sweep from starting a second one.
 */
export async function sweepDueReviews(): Promise<{ due: number; started: number }> {
  const stateMachineArn = config().REALIGNMENT_STATE_MACHINE_ARN;
  if (!stateMachineArn) throw new Error("REALIGNMENT_STATE_MACHINE_ARN is not configured");
  const at = nowIso();
  const due = await dueReviews(at);
  let started = 0;
  for (const alliance of due) {
    const cycle = (alliance.reviewCycle ?? 0) + 1;
    const reviewId = reviewIdOf(alliance.allianceId, cycle);
    const start = await claimAndStart({
      claim: () => claimReview(alliance.allianceId, reviewId, cycle),
      release: () => releaseReview(alliance.allianceId, reviewId, alliance.nextReviewAt),
      stateMachineArn,
      name: reviewId,
      input: { allianceId: alliance.allianceId, reviewId, cycle },
    });
    if (start === "not-claimed") continue;
    const lateMs = now() - Date.parse(alliance.nextReviewAt);
    const lateDays = Math.floor(lateMs / DAY_MS);
    started++;
    await appendTimeline(alliance.allianceId, {
      at,
      type: lateDays >= 1 ? "review.late" : "review.due",
      summary:
        lateDays >= 1
          ? `Realignment review ${cycle} started ${lateDays} day(s) late: it was due ${alliance.nextReviewAt.slice(0, 10)}; one review catches up`
          : `Realignment review ${cycle} is due: started on schedule`,
      actor: SWEEP,
      data: { reviewId, dueAt: alliance.nextReviewAt, lateDays },
    });
  }
  return { due: due.length, started };
}
