import * as z from "zod";

const AllianceId = z.string().regex(/^[a-z0-9-]{3,80}$/, "must be an alliance id");

/** Input of the realignment workflow and of its tasks: the alliance, and the review (also the request instance). */
export const ReviewInputSchema = z.object({
  allianceId: AllianceId,
  reviewId: z.string().regex(/^review-[a-z0-9-]+-\d{4}$/, "must be a review id"),
  cycle: z.int().min(1),
});
export type ReviewInput = z.infer<typeof ReviewInputSchema>;

/** The review of an alliance's `cycle`-th realignment: also the execution's name, so a cycle never runs twice. */
export function reviewIdOf(allianceId: string, cycle: number): string {
  return `review-${allianceId}-${String(cycle).padStart(4, "0")}`;
}

/** The tally task's result, which the close task takes: the outcome, why, and the goals after the review. */
export const ReviewTallySchema = z.object({
  outcome: z.enum(["continue", "adjust-goals", "escalate", "exit-recommended"]),
  reason: z.string(),
  goals: z.array(z.string()),
  changes: z.array(z.object({ before: z.string(), after: z.string().optional() })),
  cadence: z.enum(["quarterly", "semiannual", "annual"]).optional(),
});
export type ReviewTally = z.infer<typeof ReviewTallySchema>;
