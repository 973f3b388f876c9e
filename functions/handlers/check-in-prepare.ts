import { CheckInInputSchema } from "../check-in/inputs";
import { prepareCheckIn } from "../check-in/prepare";
import { taskHandler } from "../shared/task";

/** Check-in task: mark the check-in running and compute the round (every partner's lead). */
export const handler = taskHandler(CheckInInputSchema, "check-in input", prepareCheckIn);
