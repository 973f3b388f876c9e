import { ReviewInputSchema, ReviewTallySchema } from "../realignment/inputs";
import { closeReview } from "../realignment/outcome";
import { taskHandler } from "../shared/task";

const CloseInputSchema = ReviewInputSchema.extend({
  tally: ReviewTallySchema,
});

/**
 * Realignment task: schedule the next review, adopt adjusted goals as a charter version, record
 * misses as trust withdrawals, mail the summary (and the admin, when the outcome needs one).
 */
export const handler = taskHandler(CloseInputSchema, "review close input", closeReview);
