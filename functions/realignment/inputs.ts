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
