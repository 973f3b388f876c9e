import { ReviewInputSchema } from "../realignment/inputs";
import { prepareReview } from "../realignment/prepare";
import { taskHandler } from "../shared/task";

/** Realignment task: mark the review running and compute the round (every partner's lead). */
export const handler = taskHandler(ReviewInputSchema, "review input", prepareReview);
