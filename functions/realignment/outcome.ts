import { recordAcknowledgements } from "../alliance/acknowledgements";
import { allEmails, loadDraft, loadVersion, partnersInAlliance } from "../alliance/load";
import {
  type AllianceDraft,
  decideReview,
  decisionRuleFor,
  nextReviewDate,
  type ReviewAnswer,
  reviewRulesOf,
} from "../domain";
import { notify } from "../mail/notify";
import { reviewNeedsAdmin, reviewSummary } from "../mail/templates";
import { decisionsOf, roundOf } from "../requests";
import { adminEmail } from "../shared/config";
import { now, nowIso } from "../shared/time";
import {
  adoptReviewedRevision,
  appendTimeline,
  closeReviewRecord,
  getReview,
  markReviewSummarySent,
  readOutcomes,
  recordTrustEntry,
  transitionAlliance,
} from "../store";
import type { ReviewInput, ReviewTally } from "./inputs";

const SYSTEM = { kind: "system", id: "realignment" } as const;

/** The review's answers by partner, decided by the charter's rule for strategic decisions (see decideReview). */
export async function tallyReview(input: ReviewInput): Promise<ReviewTally> {
  const review = await getReview(input.allianceId, input.reviewId);
  if (!review) throw new Error(`no review ${input.reviewId}`);
  const { draft } = await loadVersion(input.allianceId, review.charterVersion);
  const { decisions: answers, excused } = await roundOf(input.allianceId, input.reviewId, "review");
  // A partner that has EXITED has no vote: its weight leaves the tally; so does one whose silence is excused.
  const partners = (await partnersInAlliance(input.allianceId, draft)).filter(
    (p) => answers.has(p.id) || !excused.has(p.id),
  );
  for (const partnerId of answers.keys())
    if (!partners.some((p) => p.id === partnerId)) answers.delete(partnerId);
  const decision = decideReview({
    strategy: decisionRuleFor(draft.charter.decisionRules, "strategy"),
    ...(draft.charter.minorityVeto ? { minorityVeto: draft.charter.minorityVeto } : {}),
    partners,
    goals: draft.goals,
    answers,
    missedAnswer: reviewRulesOf(draft.charter.review).missedAnswer,
    cadence: reviewRulesOf(draft.charter.review).cadence,
  });
  await appendTimeline(input.allianceId, {
    at: nowIso(),
    type: "review.tallied",
    summary: `Realignment review ${input.cycle}: ${decision.outcome}. ${decision.reason}`,
    actor: SYSTEM,
    data: {
      reviewId: input.reviewId,
      outcome: decision.outcome,
      stances: Object.fromEntries([...answers].map(([partnerId, answer]) => [partnerId, answer.stance])),
      changes: decision.changes,
    },
  });
  return decision;
}

/**
 * Closes the review: adjusted goals become the charter's next version, each partner that did not answer gets the
 * charter's trust withdrawal, the next review date comes from the charter's cadence, and everyone gets the summary
 * (the admin a word of its own when the outcome needs one). Repeated (a retried task), it changes nothing twice:
 * the version is adopted once, each withdrawal has a fixed id, the alliance and the review close once, and the
 * mail goes until the review records it sent.
 */
export async function closeReview(
  input: ReviewInput & { tally: ReviewTally },
): Promise<{ nextReviewAt: string }> {
  const review = await getReview(input.allianceId, input.reviewId);
  if (!review) throw new Error(`no review ${input.reviewId}`);
  const { alliance, draft } = await loadVersion(input.allianceId, review.charterVersion);
  const rules = reviewRulesOf(draft.charter.review);
  const { tally } = input;
  const at = nowIso();
  const nextReviewAt =
    review.status === "CLOSED" && alliance.nextReviewAt
      ? alliance.nextReviewAt
      : // A cadence the review carried applies from this close on.
        nextReviewDate(now(), tally.cadence ?? rules.cadence);

  let adoptedVersion = review.adoptedVersion;
  if (tally.outcome === "adjust-goals" && adoptedVersion === undefined) {
    adoptedVersion = alliance.version + 1;
    const adopted = await adoptReviewedRevision({
      reviewId: input.reviewId,
      expectedVersion: alliance.version,
      revision: {
        allianceId: input.allianceId,
        version: adoptedVersion,
        // The stored draft, not the one with contact amendments applied: amendments apply over every version.
        draft: adjustedDraft(await loadDraft(input.allianceId, review.charterVersion), tally),
        submittedAt: at,
        submittedBy: SYSTEM,
      },
      event: {
        at,
        type: "charter.revised",
        summary: `Charter version ${adoptedVersion}: as realignment review ${input.cycle} adjusted it (${tally.changes.length} goal change(s)${tally.cadence ? `, ${tally.cadence} reviews` : ""})`,
        actor: SYSTEM,
        data: {
          reviewId: input.reviewId,
          version: adoptedVersion,
          changes: tally.changes,
          ...(tally.cadence ? { cadence: tally.cadence } : {}),
        },
      },
    });
    if (!adopted) {
      const again = await getReview(input.allianceId, input.reviewId);
      adoptedVersion = again?.adoptedVersion;
      if (adoptedVersion === undefined)
        throw new Error(
          `the charter of ${input.allianceId} moved past version ${alliance.version} during the review`,
        );
    }
  }

  await recordAcknowledgements(
    input.allianceId,
    input.reviewId,
    "review",
    draft,
    `realignment review ${input.cycle}`,
  );
  const outcomes = await readOutcomes(input.allianceId, input.reviewId, "review");
  // A partner that EXITED during the review is no longer charged for its silence.
  const inAlliance = new Set((await partnersInAlliance(input.allianceId, draft)).map((p) => p.id));
  const missed = outcomes.filter((o) => o.status === "MISSED" && inAlliance.has(o.partnerId));
  // An excused silence (force majeure) costs no trust.
  for (const miss of rules.missedAnswerWithdrawal > 0 ? missed.filter((o) => !o.excused) : []) {
    const partner = draft.partners.find((p) => p.id === miss.partnerId);
    const points = rules.missedAnswerWithdrawal;
    await recordTrustEntry(
      input.allianceId,
      {
        entryId: `missed-${input.reviewId}-${miss.partnerId}`,
        at: miss.deadline,
        partnerId: miss.partnerId,
        direction: "withdrawal",
        kind: "missed",
        points,
        note: `Did not answer realignment review ${input.cycle} by its deadline`,
        recordedBy: "concord",
      },
      {
        at: miss.deadline,
        type: "trust.withdrawal",
        summary: `Trust withdrawal for ${partner?.name ?? miss.partnerId}: −${points} (missed): no answer to realignment review ${input.cycle}`,
        actor: SYSTEM,
        data: { partnerId: miss.partnerId, kind: "missed", points, reviewId: input.reviewId },
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
        summary: `Realignment review ${input.cycle} closed: ${tally.outcome}. Next review ${nextReviewAt.slice(0, 10)}`,
        actor: SYSTEM,
        data: { reviewId: input.reviewId, outcome: tally.outcome, nextReviewAt },
      },
    });
  }
  await closeReviewRecord(input.allianceId, input.reviewId, {
    closedAt: at,
    outcome: tally.outcome,
    reason: tally.reason,
  });
  if (review.summarySentAt === undefined) {
    await mailSummary(input, draft, nextReviewAt, adoptedVersion, missed);
    await markReviewSummarySent(input.allianceId, input.reviewId, nowIso());
  }
  return { nextReviewAt };
}

/** The summary to everyone, and to the admin what needs one. */
async function mailSummary(
  input: ReviewInput & { tally: ReviewTally },
  draft: Awaited<ReturnType<typeof loadVersion>>["draft"],
  nextReviewAt: string,
  adoptedVersion: number | undefined,
  missed: { partnerId: string; countedAs?: string }[],
): Promise<void> {
  const { tally } = input;
  const answers = await decisionsOf(input.allianceId, input.reviewId, "review");
  const countedAs = new Map(missed.map((o) => [o.partnerId, o.countedAs]));
  await notify(
    { id: input.allianceId, draft },
    allEmails({ ...draft, partners: await partnersInAlliance(input.allianceId, draft) }),
    reviewSummary({
      allianceName: draft.name,
      outcome: tally.outcome,
      reason: tally.reason,
      nextReviewDate: nextReviewAt,
      goals: draft.goals,
      ...(adoptedVersion !== undefined
        ? {
            adjusted: {
              charterVersion: adoptedVersion,
              changes: tally.changes,
              goals: tally.goals,
              ...(tally.cadence
                ? { cadence: { before: reviewRulesOf(draft.charter.review).cadence, after: tally.cadence } }
                : {}),
            },
          }
        : {}),
      answers: (await partnersInAlliance(input.allianceId, draft)).map((partner) => {
        const answer: ReviewAnswer | undefined = answers.get(partner.id);
        const silence = countedAs.get(partner.id);
        return {
          partnerName: partner.name,
          ...(answer ? { answer } : {}),
          ...(silence ? { countedAs: silence } : {}),
        };
      }),
    }),
    SYSTEM,
  );
  if (tally.outcome === "escalate" || tally.outcome === "exit-recommended") {
    await notify(
      { id: input.allianceId, draft },
      [adminEmail()],
      reviewNeedsAdmin({
        allianceName: draft.name,
        allianceId: input.allianceId,
        cycle: input.cycle,
        outcome: tally.outcome,
        reason: tally.reason,
      }),
      SYSTEM,
    );
  }
}

/**
 * The stored draft with what the review carried: its goals, and its review cadence (a charter without review
 * settings gets the market pace that cadence suits, so the audit's expectation holds).
 */
function adjustedDraft(stored: AllianceDraft, tally: ReviewTally): AllianceDraft {
  const review = stored.charter.review;
  return {
    ...stored,
    goals: tally.goals,
    ...(tally.cadence
      ? {
          charter: {
            ...stored.charter,
            review: {
              ...review,
              cadence: tally.cadence,
              marketPace: review?.marketPace ?? PACE_FOR[tally.cadence],
            },
          },
        }
      : {}),
  };
}

const PACE_FOR = { quarterly: "fast", semiannual: "moderate", annual: "slow" } as const;
