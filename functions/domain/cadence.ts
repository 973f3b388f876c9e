import * as z from "zod";
import { InvalidDateError } from "./errors";
import { expecting } from "./primitives";

/** How often the partners sit down for a realignment review. */
export const ReviewCadenceSchema = z
  .enum(["quarterly", "semiannual", "annual"], {
    error: expecting('one of "quarterly", "semiannual", "annual"'),
  })
  .meta({ description: "How often the realignment review runs" });
export type ReviewCadence = z.infer<typeof ReviewCadenceSchema>;

/** How fast the alliance's market moves; a fast market calls for quarterly reviews. */
export const MarketPaceSchema = z
  .enum(["fast", "moderate", "slow"], { error: expecting('one of "fast", "moderate", "slow"') })
  .meta({ description: "How fast the market moves (fast ⇒ quarterly reviews expected)" });
export type MarketPace = z.infer<typeof MarketPaceSchema>;

/** What a partner's silence in a realignment review counts as: an abstention, or a vote against continuing. */
export const MissedReviewAnswerSchema = z
  .enum(["abstain", "against"], { error: expecting('"abstain" or "against"') })
  .meta({ description: "What a missed review answer counts as (default abstain)" });
export type MissedReviewAnswer = z.infer<typeof MissedReviewAnswerSchema>;

/** The playbook's default: a missed review answer costs one point of trust. */
export const DEFAULT_MISSED_ANSWER_WITHDRAWAL = 1;
/** The playbook's default alarm: a health average under 2.5 brings the review forward. */
export const DEFAULT_CHECK_IN_THRESHOLD = 2.5;

/** Health check-ins between reviews: how many months apart, and the average that brings the review forward. */
export const CheckInsSchema = z
  .strictObject(
    {
      everyMonths: z
        .int({ error: expecting("a whole number of months from 1 to 6") })
        .min(1, { error: "must be at least 1 month" })
        .max(6, { error: "must be at most 6 months" })
        .default(1)
        .meta({ description: "Months between two health check-ins (default 1)" }),
      threshold: z
        .number({ error: expecting("a health score from 1 to 5") })
        .min(1, { error: "must be at least 1" })
        .max(5, { error: "must be at most 5" })
        .default(DEFAULT_CHECK_IN_THRESHOLD)
        .meta({
          description: "An average health score below this brings the next review forward (default 2.5)",
        }),
    },
    { error: expecting('an object with everyMonths and threshold, or "off"') },
  )
  .meta({ title: "Health check-ins" });
export type CheckIns = z.infer<typeof CheckInsSchema>;

/** The charter's review settings. */
export const ReviewSchema = z
  .strictObject(
    {
      cadence: ReviewCadenceSchema,
      marketPace: MarketPaceSchema,
      missedAnswer: MissedReviewAnswerSchema.optional(),
      missedAnswerWithdrawal: z
        .int({ error: expecting("whole trust points from 0 to 10") })
        .min(0, { error: "must be at least 0" })
        .max(10, { error: "must be at most 10" })
        .optional()
        .meta({ description: "Trust points a missed review answer withdraws (default 1)" }),
      checkIns: z
        .union([z.literal("off"), CheckInsSchema], {
          error: expecting('an object with everyMonths and threshold, or "off"'),
        })
        .optional()
        .meta({
          description:
            'Health check-ins between reviews (default monthly, threshold 2.5); "off" turns them off',
        }),
    },
    { error: expecting("an object with cadence and marketPace") },
  )
  .meta({ title: "Review" });
export type Review = z.infer<typeof ReviewSchema>;

/** The review rules a charter's review settings amount to, defaults applied. */
export interface ReviewRules {
  cadence: ReviewCadence;
  missedAnswer: MissedReviewAnswer;
  missedAnswerWithdrawal: number;
  /** Undefined when the charter turns check-ins off. */
  checkIns?: CheckIns;
}

/** The charter's review rules with the playbook's defaults where it is silent. */
export function reviewRulesOf(review: Review | undefined): ReviewRules {
  const checkIns = review?.checkIns;
  return {
    cadence: reviewCadenceOf(review),
    missedAnswer: review?.missedAnswer ?? "abstain",
    missedAnswerWithdrawal: review?.missedAnswerWithdrawal ?? DEFAULT_MISSED_ANSWER_WITHDRAWAL,
    ...(checkIns === "off"
      ? {}
      : { checkIns: checkIns ?? { everyMonths: 1, threshold: DEFAULT_CHECK_IN_THRESHOLD } }),
  };
}

const MONTHS_BETWEEN_REVIEWS: Record<ReviewCadence, number> = { quarterly: 3, semiannual: 6, annual: 12 };
const CADENCE_FOR_PACE: Record<MarketPace, ReviewCadence> = {
  fast: "quarterly",
  moderate: "semiannual",
  slow: "annual",
};

/** The playbook's cadence for a market pace: fast → quarterly, moderate → semiannual, slow → annual. */
export function expectedCadence(marketPace: MarketPace): ReviewCadence {
  return CADENCE_FOR_PACE[marketPace];
}

/** Months between two reviews at `cadence`. */
export function monthsBetweenReviews(cadence: ReviewCadence): number {
  return MONTHS_BETWEEN_REVIEWS[cadence];
}

/**
 * When the next review is due: `from` plus the cadence's months, in UTC, keeping the time of day and
 * clamping to the month's last day (31 Jan + 1 quarter → 30 Apr). Returns an ISO-8601 UTC timestamp
 * without milliseconds ("2026-04-30T09:00:00Z"), the form a Step Functions Wait accepts.
 * Throws InvalidDateError for an invalid date.
 */
export function nextReviewDate(from: Date | number | string, cadence: ReviewCadence): string {
  return addMonths(from, MONTHS_BETWEEN_REVIEWS[cadence], "nextReviewDate");
}

/**
 * The first review of an alliance activated at `from`: at its cadence, unless that falls after the alliance's
 * expected end (a four-month light-touch pilot on a semiannual cadence would never be reviewed); then halfway
 * through its expected duration (whole months, at least one), so every alliance is reviewed while it runs.
 */
export function firstReviewDate(
  from: Date | number | string,
  cadence: ReviewCadence,
  expectedDurationMonths: number,
): string {
  if (MONTHS_BETWEEN_REVIEWS[cadence] < expectedDurationMonths) return nextReviewDate(from, cadence);
  return addMonths(from, Math.max(1, Math.floor(expectedDurationMonths / 2)), "firstReviewDate");
}

/**
 * `from` plus `months` in UTC, keeping the time of day and clamping to the month's last day, as an ISO-8601 UTC
 * timestamp without milliseconds. Throws InvalidDateError for an invalid date.
 */
export function addMonths(from: Date | number | string, months: number, what = "addMonths"): string {
  const start = new Date(from);
  if (Number.isNaN(start.getTime())) {
    throw new InvalidDateError(`${what}: "${String(from)}" is not a valid date`);
  }
  const totalMonths = start.getUTCMonth() + months;
  const year = start.getUTCFullYear() + Math.floor(totalMonths / 12);
  const month = totalMonths % 12;
  const lastDayOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const due = new Date(
    Date.UTC(
      year,
      month,
      Math.min(start.getUTCDate(), lastDayOfMonth),
      start.getUTCHours(),
      start.getUTCMinutes(),
      start.getUTCSeconds(),
    ),
  );
  return `${due.toISOString().slice(0, 19)}Z`;
}

/** The cadence reviews actually run at: the charter's, or semiannual when the charter sets none. */
export function reviewCadenceOf(review: Review | undefined): ReviewCadence {
  return review?.cadence ?? "semiannual";
}
