import * as z from "zod";
import { type MissedReviewAnswer, type ReviewCadence, ReviewCadenceSchema } from "./cadence";
import type { DecisionClassRule } from "./decision-rule";
import type { MinorityVeto } from "./minority-veto";
import type { Partner } from "./partner";
import { expecting, multiLine, singleLine } from "./primitives";
import { AcknowledgementSchema } from "./trust";
import { tallyVotes, type Vote } from "./vote-tally";

// A partner's answer in a realignment review: how well the alliance still fits its strategy, what to do with
// each goal, one thing that would make the partnership stronger, and whether it wants to continue.

/** Longest free-text answer in a review (the proposed wording of a goal, the "one thing"). */
export const MAX_REVIEW_TEXT = 1000;
/** Longest goal (the charter's goal schema). */
export const MAX_GOAL_TEXT = 300;
/** The most goals a review asks about (a charter's goals, bounded by the draft schema). */
export const MAX_REVIEW_GOALS = 50;

/** What a partner proposes for one goal of the charter. */
export const GoalAnswerSchema = z
  .strictObject({
    action: z.enum(["keep", "change", "drop"], { error: expecting('"keep", "change" or "drop"') }),
    // A goal as the charter holds it: one line of at most 300 characters.
    wording: singleLine(1, MAX_GOAL_TEXT).optional(),
  })
  .refine((answer) => answer.action !== "change" || answer.wording !== undefined, {
    path: ["wording"],
    message: "is required to change a goal: write the goal as it should read",
  });
export type GoalAnswer = z.infer<typeof GoalAnswerSchema>;

/** One partner's review answer. */
export const ReviewAnswerSchema = z.strictObject({
  strategicFit: z
    .number({ error: expecting("a score from 1 to 5") })
    .int({ error: "must be a whole score from 1 to 5" })
    .min(1, { error: "must be at least 1" })
    .max(5, { error: "must be at most 5" }),
  goals: z.array(GoalAnswerSchema).max(MAX_REVIEW_GOALS),
  stronger: multiLine(1, MAX_REVIEW_TEXT).optional(),
  stance: z.enum(["continue", "leave"], { error: expecting('"continue" or "leave"') }),
  /** How often the partner would review from now on; absent: as the charter says. */
  cadence: ReviewCadenceSchema.optional(),
  acknowledge: AcknowledgementSchema.optional(),
});
export type ReviewAnswer = z.infer<typeof ReviewAnswerSchema>;

/** What a review ends in. */
export type ReviewOutcome = "continue" | "adjust-goals" | "escalate" | "exit-recommended";

/** One goal the review changed: its wording before, and after (absent when the goal is dropped). */
export interface GoalChange {
  before: string;
  after?: string;
}

/** A review's decision: the outcome, why, and the goals as they stand after it. */
export interface ReviewDecision {
  outcome: ReviewOutcome;
  reason: string;
  /** The goals after the review (the same as before unless the outcome is adjust-goals). */
  goals: string[];
  /** The goal changes the partners carried (only for adjust-goals). */
  changes: GoalChange[];
  /** A new review cadence the partners carried (only for adjust-goals). */
  cadence?: ReviewCadence;
}

/** What deciding a review needs: the charter's rule for strategic decisions, the partners, the goals, the answers. */
export interface ReviewDecisionInput {
  strategy: DecisionClassRule;
  minorityVeto?: MinorityVeto;
  partners: readonly Partner[];
  goals: readonly string[];
  /** The answers by partner id; a partner without one missed the deadline. */
  answers: ReadonlyMap<string, Pick<ReviewAnswer, "goals" | "stance" | "cadence">>;
  /** The cadence the charter sets now. */
  cadence: ReviewCadence;
  /** What a missed answer counts as for continuing. */
  missedAnswer: MissedReviewAnswer;
}

const optionOf = (goal: GoalAnswer | undefined): string =>
  goal === undefined || goal.action === "keep"
    ? "keep"
    : goal.action === "drop"
      ? "drop"
      : `change:${(goal.wording ?? "").trim()}`;

/**
 * Decides a review by the charter's rule for strategic decisions (its weights, threshold and minority veto):
 *
 * 1. Continuing (answers "continue" approve, "leave" reject; a missed answer abstains or counts against, as the
 *    charter says) not carried → exit-recommended.
 * 2. Carried, but a partner wants to leave → escalate: a dispute the escalation ladder takes up.
 * 3. Per goal, each proposal (drop it, or one new wording) is carried when the partners proposing it carry it
 *    against everyone else; several proposals where the partners agree the goal must change (all proposals
 *    together carry) but none carries on its own → escalate. So does dropping every goal.
 * 4. A new review cadence is carried the same way (the partners proposing it against everyone else).
 * 5. Any proposal carried → adjust-goals (a new charter version), with the goals and cadence after it; otherwise
 *    continue.
 */
export function decideReview(input: ReviewDecisionInput): ReviewDecision {
  const { strategy, partners, answers } = input;
  const options = {
    critical: strategy.critical,
    ...(input.minorityVeto ? { minorityVeto: input.minorityVeto } : {}),
    deadlinePassed: true,
  };
  const unchanged = { goals: [...input.goals], changes: [] };
  const stances: Vote[] = [...answers].map(([partnerId, answer]) => ({
    partnerId,
    vote: answer.stance === "continue" ? "approve" : "reject",
  }));
  const continuing = tallyVotes(strategy.rule, partners, stances, {
    ...options,
    missingVotesCountAs: input.missedAnswer === "against" ? "reject" : "abstain",
  });
  if (continuing.outcome !== "approved") {
    return {
      outcome: "exit-recommended",
      reason: `Continuing was not carried under the charter's rule for strategic decisions: ${continuing.reason}`,
      ...unchanged,
    };
  }
  const leaving = partners.filter((p) => answers.get(p.id)?.stance === "leave").map((p) => p.name);
  if (leaving.length > 0) {
    return {
      outcome: "escalate",
      reason: `Continuing was carried (${continuing.reason}), but ${leaving.join(" and ")} would leave: a dispute for the escalation ladder.`,
      ...unchanged,
    };
  }

  // Per goal: a proposal carries when the partners proposing it carry it against all who answered otherwise.
  const carried = (goalIndex: number, chose: (option: string) => boolean) =>
    tallyVotes(
      strategy.rule,
      partners,
      [...answers].map(([partnerId, answer]) => ({
        partnerId,
        vote: chose(optionOf(answer.goals[goalIndex])) ? ("approve" as const) : ("reject" as const),
      })),
      { ...options, missingVotesCountAs: "abstain" },
    ).outcome === "approved";
  const after: string[] = [];
  const changes: GoalChange[] = [];
  const undecided: string[] = [];
  input.goals.forEach((before, goalIndex) => {
    const proposals = new Set(
      [...answers.values()].map((a) => optionOf(a.goals[goalIndex])).filter((o) => o !== "keep"),
    );
    const winner = [...proposals].find((proposal) => carried(goalIndex, (option) => option === proposal));
    if (winner === undefined) {
      if (proposals.size > 1 && carried(goalIndex, (option) => option !== "keep")) undecided.push(before);
      after.push(before);
    } else if (winner === "drop") {
      changes.push({ before });
    } else {
      const wording = winner.slice("change:".length);
      changes.push({ before, after: wording });
      after.push(wording);
    }
  });
  if (undecided.length > 0) {
    return {
      outcome: "escalate",
      reason: `The partners agree that ${undecided.map((g) => `"${g}"`).join(", ")} must change, but no one proposal was carried: a dispute for the escalation ladder.`,
      ...unchanged,
    };
  }
  if (changes.length > 0 && after.length === 0) {
    return {
      outcome: "escalate",
      reason:
        "The partners would drop every goal: an alliance without a goal is a question for the escalation ladder.",
      ...unchanged,
    };
  }
  const proposedCadences = new Set(
    [...answers.values()].map((a) => a.cadence).filter((c) => c !== undefined && c !== input.cadence),
  );
  const cadence = [...proposedCadences].find(
    (proposal) =>
      tallyVotes(
        strategy.rule,
        partners,
        [...answers].map(([partnerId, a]) => ({
          partnerId,
          vote: a.cadence === proposal ? ("approve" as const) : ("reject" as const),
        })),
        { ...options, missingVotesCountAs: "abstain" },
      ).outcome === "approved",
  );
  if (changes.length > 0 || cadence !== undefined) {
    const what = [
      ...(changes.length > 0 ? [`${changes.length} goal change(s)`] : []),
      ...(cadence !== undefined ? [`${cadence} reviews from now on`] : []),
    ].join(" and ");
    return {
      outcome: "adjust-goals",
      reason: `The partners chose to continue (${continuing.reason}) and carried ${what}: the charter gets a new version.`,
      goals: after,
      changes,
      ...(cadence !== undefined ? { cadence } : {}),
    };
  }
  return {
    outcome: "continue",
    reason: `The partners chose to continue (${continuing.reason}).`,
    ...unchanged,
  };
}

/** The most ledger entries a review packet lists (the newest; the admin's `trust show` has them all). */
export const MAX_PACKET_LEDGER = 50;

/**
 * What the partners read before they answer a review, as it stood when the review started: each partner's trust
 * balance, the trust ledger and the health check-ins since the last review.
 */
export interface ReviewPacket {
  /** Since when the ledger and check-ins are listed (the last review's close, or the alliance's activation). */
  since?: string;
  balances: { partnerName: string; balance: number }[];
  /** Newest last; at most MAX_PACKET_LEDGER. */
  ledger: { at: string; partnerName: string; points: number; kind: string; note: string }[];
  /** Entries left out of `ledger` (older ones). */
  ledgerOmitted: number;
  checkIns: { closedAt: string; average?: number; answered: number; asked: number }[];
}
