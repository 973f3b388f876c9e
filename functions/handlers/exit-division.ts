import { proposeDivision } from "../exit/division";
import { ExitInputSchema } from "../exit/inputs";
import { taskHandler } from "../shared/task";

/** Exit task: the notice period has ended; put the division of the shared assets to the partners. */
export const handler = taskHandler(ExitInputSchema, "exit input", proposeDivision);
