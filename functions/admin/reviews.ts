import { loadVersion } from "../alliance/load";
import { reviewIdOf } from "../realignment/inputs";
import { decisionsOf, outcomeState } from "../requests";
import { config } from "../shared/config";
import { claimAndStart } from "../shared/executions";
import { nowIso } from "../shared/time";
import { type Actor, appendTimeline, claimReview, getReview, readOutcomes, releaseReview } from "../store";
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
  const start = await claimAndStart({
    claim: () => claimReview(allianceId, reviewId, cycle),
    release: () => releaseReview(allianceId, reviewId, alliance.nextReviewAt),
    stateMachineArn,
    name: reviewId,
    input: { allianceId, reviewId, cycle },
  });
  if (start === "not-claimed") {
    throw new AdminRequestError(
      409,
      `a review of alliance ${allianceId} is running, or it is no longer ACTIVE`,
    );
  }
  if (start === "exists") {
    throw new AdminRequestError(409, `review ${reviewId} was started already; one review runs at a time`);
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

/**
 * One review as an admin follows it: status, outcome and why, and each partner's standing (answered with its
 * answer, pending with its deadline, or missed and what the silence counted as). 404 for an unknown review.
 */
export async function showReview(allianceId: string, reviewId: string) {
  await allianceOr404(allianceId);
  const review = await getReview(allianceId, reviewId);
  if (!review) throw new AdminRequestError(404, `alliance ${allianceId} has no review ${reviewId}`);
  const [{ draft }, outcomes] = await Promise.all([
    loadVersion(allianceId, review.charterVersion),
    readOutcomes(allianceId, reviewId, "review"),
  ]);
  const answers = await decisionsOf(allianceId, reviewId, "review");
  const byPartner = new Map(outcomes.map((o) => [o.partnerId, o]));
  return {
    reviewId: review.reviewId,
    cycle: review.cycle,
    status: review.status,
    ...(review.outcome ? { outcome: review.outcome, reason: review.reason } : {}),
    startedAt: review.startedAt,
    ...(review.closedAt ? { closedAt: review.closedAt } : {}),
    charterVersion: review.charterVersion,
    ...(review.adoptedVersion !== undefined ? { adoptedVersion: review.adoptedVersion } : {}),
    goals: draft.goals,
    partners: draft.partners.map((partner) => {
      const outcome = byPartner.get(partner.id);
      const answer = answers.get(partner.id);
      const status = outcomeState(outcome, { answered: "ANSWERED", waiting: "PENDING" });
      return {
        partnerId: partner.id,
        name: partner.name,
        status,
        ...(outcome ? { deadline: outcome.deadline } : {}),
        ...(outcome?.decidedAt ? { answeredAt: outcome.decidedAt } : {}),
        ...(outcome?.decidedBy ? { answeredBy: outcome.decidedBy.email } : {}),
        ...(answer ? { answer: withoutKind(answer) } : {}),
        ...(outcome?.countedAs ? { countedAs: outcome.countedAs } : {}),
      };
    }),
  };
}

function withoutKind<T extends { kind: string }>(decision: T): Omit<T, "kind"> {
  const { kind: _kind, ...rest } = decision;
  return rest;
}
