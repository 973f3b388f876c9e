import * as z from "zod";
import { expecting, multiLine } from "./primitives";
import { AcknowledgementSchema } from "./trust";

// A health check-in asks each partner's lead about the relationship, not the tasks: one score and a comment, and
// (as on every page that asks a partner) an acknowledgement of another partner's contribution.

/** Longest check-in comment. */
export const MAX_CHECK_IN_COMMENT = 1000;
/** Days a partner has to answer a check-in, and the reminder before that deadline. */
export const CHECK_IN_DEADLINE_DAYS = 7;
export const CHECK_IN_REMINDER_DAYS = 2;
/** How soon a review comes once a check-in's average falls below the charter's threshold. */
export const REVIEW_BROUGHT_FORWARD_DAYS = 14;

/** A health score: 1 (the relationship is in trouble) to 5 (it is thriving). */
export const HealthScoreSchema = z
  .number({ error: expecting("a score from 1 to 5") })
  .int({ error: "must be a whole score from 1 to 5" })
  .min(1, { error: "must be at least 1" })
  .max(5, { error: "must be at most 5" });

/** One partner's check-in answer. */
export const CheckInAnswerSchema = z.strictObject({
  health: HealthScoreSchema,
  comment: multiLine(1, MAX_CHECK_IN_COMMENT).optional(),
  acknowledge: AcknowledgementSchema.optional(),
});
export type CheckInAnswer = z.infer<typeof CheckInAnswerSchema>;

/** What a check-in found: the average of the scores given, and whether it calls for an early review. */
export interface CheckInFinding {
  /** Undefined when nobody answered. */
  average?: number;
  answered: number;
  asked: number;
  /** The average fell below the charter's threshold. */
  alarm: boolean;
}

/** The average of the health scores given (silence is not a score) against the charter's threshold. */
export function checkInFinding(scores: readonly number[], asked: number, threshold: number): CheckInFinding {
  if (scores.length === 0) return { answered: 0, asked, alarm: false };
  const average = Math.round((scores.reduce((sum, s) => sum + s, 0) / scores.length) * 100) / 100;
  return { average, answered: scores.length, asked, alarm: average < threshold };
}

/** When the next review should be once an alarm brings it forward: no later than `days` from now, never later than planned. */
export function broughtForward(
  plannedAt: string | undefined,
  nowMs: number,
  days = REVIEW_BROUGHT_FORWARD_DAYS,
): string {
  const soon = `${new Date(nowMs + days * 86_400_000).toISOString().slice(0, 19)}Z`;
  return plannedAt !== undefined && Date.parse(plannedAt) <= Date.parse(soon) ? plannedAt : soon;
}
