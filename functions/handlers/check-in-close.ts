import { closeCheckIn } from "../check-in/close";
import { CheckInInputSchema } from "../check-in/inputs";
import { taskHandler } from "../shared/task";

/** Check-in task: average the scores, record acknowledgements, bring the review forward if low, schedule the next. */
export const handler = taskHandler(CheckInInputSchema, "check-in input", closeCheckIn);
