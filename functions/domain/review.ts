import * as z from "zod";
import { expecting, multiLine } from "./primitives";

// A partner's answer in a realignment review: how well the alliance still fits its strategy, what to do with
// each goal, one thing that would make the partnership stronger, and whether it wants to continue.

/** Longest free-text answer in a review (the proposed wording of a goal, the "one thing"). */
export const MAX_REVIEW_TEXT = 1000;
/** The most goals a review asks about (a charter's goals, bounded by the draft schema). */
export const MAX_REVIEW_GOALS = 50;

/** What a partner proposes for one goal of the charter. */
export const GoalAnswerSchema = z
  .strictObject({
    action: z.enum(["keep", "change", "drop"], { error: expecting('"keep", "change" or "drop"') }),
    wording: multiLine(1, MAX_REVIEW_TEXT).optional(),
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
});
export type ReviewAnswer = z.infer<typeof ReviewAnswerSchema>;

/** What a review ends in. */
export type ReviewOutcome = "continue" | "adjust-goals" | "exit-recommended";

/**
 * A review's outcome from the tally of the partners' stances (continue counts as approve, leave as reject)
 * and their goal proposals: the alliance continues only when the charter's rule for strategic decisions
 * approves continuing; when it does and a partner proposed changing or dropping a goal, the goals need
 * adjusting; when it does not, an exit is recommended.
 */
export function reviewOutcome(
  continueApproved: boolean,
  answers: readonly Pick<ReviewAnswer, "goals">[],
): ReviewOutcome {
  if (!continueApproved) return "exit-recommended";
  const proposesChange = answers.some((answer) => answer.goals.some((goal) => goal.action !== "keep"));
  return proposesChange ? "adjust-goals" : "continue";
}
