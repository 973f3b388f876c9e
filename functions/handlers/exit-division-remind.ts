import { remindDivisionDecision } from "../exit/division";
import { ExitInputSchema } from "../exit/inputs";
import { taskHandler } from "../shared/task";

/** Exit task: remind the admin of a contested division still waiting for their decision. */
export const handler = taskHandler(ExitInputSchema, "exit input", remindDivisionDecision);
