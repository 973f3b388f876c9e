import { ReviewInputSchema } from "../realignment/inputs";
import { tallyReview } from "../realignment/outcome";
import { taskHandler } from "../shared/task";

/** Realignment task: count the review's answers by the charter's rule for strategic decisions. */
export const handler = taskHandler(ReviewInputSchema, "review input", tallyReview);
