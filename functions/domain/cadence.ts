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

/** The charter's review settings. */
export const ReviewSchema = z
  .strictObject(
    { cadence: ReviewCadenceSchema, marketPace: MarketPaceSchema },
    { error: expecting("an object with cadence and marketPace") },
  )
  .meta({ title: "Review" });
export type Review = z.infer<typeof ReviewSchema>;

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
  const start = new Date(from);
  if (Number.isNaN(start.getTime())) {
    throw new InvalidDateError(`nextReviewDate: "${String(from)}" is not a valid date`);
  }
  const totalMonths = start.getUTCMonth() + MONTHS_BETWEEN_REVIEWS[cadence];
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
