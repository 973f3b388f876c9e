import { allEmails, loadVersion } from "../alliance/load";
import {
  decisionRuleFor,
  nextReviewDate,
  type ReviewAnswer,
  type ReviewOutcome,
  reviewCadenceOf,
  reviewOutcome,
  tallyVotes,
  type Vote,
} from "../domain";
import { notify } from "../mail/notify";
import { reviewSummary } from "../mail/templates";
import { decisionsOf } from "../requests";
import { now, nowIso } from "../shared/time";
import {
  appendTimeline,
  closeReviewRecord,
  getReview,
  readOutcomes,
  recordTrustEntry,
  transitionAlliance,
} from "../store";
import type { ReviewInput } from "./inputs";

const SYSTEM = { kind: "system", id: "realignment" } as const;
/** The trust withdrawal a missed review answer costs (the playbook's default). */
const MISSED_REVIEW_POINTS = 1;

/** The review's answers by partner, counted by the charter's rule for strategic decisions. */
export async function tallyReview(input: ReviewInput): Promise<{ outcome: ReviewOutcome; reason: string }> {
  const review = await getReview(input.allianceId, input.reviewId);
  if (!review) throw new Error(`no review ${input.reviewId}`);
  const { draft } = await loadVersion(input.allianceId, review.charterVersion);
  const answers = await decisionsOf(input.allianceId, input.reviewId, "review");
  const votes: Vote[] = [...answers].map(([partnerId, answer]) => ({
    partnerId,
    vote: answer.stance === "continue" ? "approve" : "reject",
  }));
  const strategy = decisionRuleFor(draft.charter.decisionRules, "strategy");
  const tally = tallyVotes(strategy.rule, draft.partners, votes, {
    critical: strategy.critical,
    ...(draft.charter.minorityVeto ? { minorityVeto: draft.charter.minorityVeto } : {}),
    deadlinePassed: true,
    missingVotesCountAs: "abstain",
  });
  const outcome = reviewOutcome(tally.outcome === "approved", [...answers.values()]);
  const reason =
    outcome === "exit-recommended"
      ? `Continuing was not carried under the charter's rule for strategic decisions: ${tally.reason}`
      : outcome === "adjust-goals"
        ? `The partners chose to continue (${tally.reason}), and proposed changes to the goals.`
        : `The partners chose to continue (${tally.reason}).`;
  await appendTimeline(input.allianceId, {
    at: nowIso(),
    type: "review.tallied",
    summary: `Realignment review ${input.cycle}: ${outcome}`,
    actor: SYSTEM,
    data: {
      reviewId: input.reviewId,
      outcome,
      votes,
      approveWeight: tally.approveWeight,
      totalWeight: tally.totalWeight,
    },
  });
  return { outcome, reason };
}

/**
 * Closes the review: the next review date from the charter's cadence, the review record, a trust withdrawal for
 * each partner that did not answer, and the summary to everyone. Repeated (a retried task), it changes nothing twice:
 * the alliance and the review close once, each withdrawal has a fixed id, and the summary goes with the first close.
 */
export async function closeReview(
  input: ReviewInput & { tally: { outcome: ReviewOutcome; reason: string } },
): Promise<{ nextReviewAt: string }> {
  const review = await getReview(input.allianceId, input.reviewId);
  if (!review) throw new Error(`no review ${input.reviewId}`);
  const { alliance, draft } = await loadVersion(input.allianceId, review.charterVersion);
  const at = nowIso();
  const nextReviewAt =
    review.status === "CLOSED" && alliance.nextReviewAt
      ? alliance.nextReviewAt
      : nextReviewDate(now(), reviewCadenceOf(draft.charter.review));

  const outcomes = await readOutcomes(input.allianceId, input.reviewId, "review");
  for (const missed of outcomes.filter((o) => o.status === "MISSED")) {
    const partner = draft.partners.find((p) => p.id === missed.partnerId);
    await recordTrustEntry(
      input.allianceId,
      {
        entryId: `missed-${input.reviewId}-${missed.partnerId}`,
        at: missed.deadline,
        partnerId: missed.partnerId,
        direction: "withdrawal",
        kind: "missed",
        points: MISSED_REVIEW_POINTS,
        note: `Did not answer realignment review ${input.cycle} by its deadline`,
        recordedBy: "concord",
      },
      {
        at: missed.deadline,
        type: "trust.withdrawal",
        summary: `Trust withdrawal for ${partner?.name ?? missed.partnerId}: −${MISSED_REVIEW_POINTS} (missed): no answer to realignment review ${input.cycle}`,
        actor: SYSTEM,
        data: {
          partnerId: missed.partnerId,
          kind: "missed",
          points: MISSED_REVIEW_POINTS,
          reviewId: input.reviewId,
        },
      },
      // false when an earlier attempt recorded it already: the entry's key is fixed.
      ["ACTIVE", "FORMING"],
    );
  }

  if (alliance.reviewRunning === input.reviewId) {
    await transitionAlliance({
      allianceId: input.allianceId,
      from: ["ACTIVE"],
      to: "ACTIVE",
      set: { nextReviewAt },
      remove: ["reviewRunning"],
      reviewDue: nextReviewAt,
      event: {
        at,
        type: "review.closed",
        summary: `Realignment review ${input.cycle} closed: ${input.tally.outcome}. Next review ${nextReviewAt.slice(0, 10)}`,
        actor: SYSTEM,
        data: { reviewId: input.reviewId, outcome: input.tally.outcome, nextReviewAt },
      },
    });
  }
  const closedNow = await closeReviewRecord(input.allianceId, input.reviewId, {
    closedAt: at,
    outcome: input.tally.outcome,
    reason: input.tally.reason,
  });
  if (closedNow) {
    const answers = await decisionsOf(input.allianceId, input.reviewId, "review");
    const missed = new Map(
      outcomes.filter((o) => o.status === "MISSED").map((o) => [o.partnerId, o.countedAs]),
    );
    await notify(
      input.allianceId,
      allEmails(draft),
      reviewSummary({
        allianceName: draft.name,
        outcome: input.tally.outcome,
        reason: input.tally.reason,
        nextReviewDate: nextReviewAt,
        goals: draft.goals,
        answers: draft.partners.map((partner) => {
          const answer: ReviewAnswer | undefined = answers.get(partner.id);
          const countedAs = missed.get(partner.id);
          return {
            partnerName: partner.name,
            ...(answer ? { answer } : {}),
            ...(countedAs ? { countedAs } : {}),
          };
        }),
      }),
      SYSTEM,
    );
  }
  return { nextReviewAt };
}
