import * as z from "zod";
import { ReviewInputSchema } from "../realignment/inputs";
import { closeReview } from "../realignment/outcome";
import { taskHandler } from "../shared/task";

const CloseInputSchema = ReviewInputSchema.extend({
  tally: z.object({ outcome: z.enum(["continue", "adjust-goals", "exit-recommended"]), reason: z.string() }),
});

/** Realignment task: schedule the next review, record misses as trust withdrawals, mail the summary. */
export const handler = taskHandler(CloseInputSchema, "review close input", closeReview);
