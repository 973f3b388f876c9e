import { settleDivision } from "../exit/division";
import { ExitInputSchema } from "../exit/inputs";
import { taskHandler } from "../shared/task";

/** Exit task: the division round closed; record it, and send a contested division to the admin. */
export const handler = taskHandler(ExitInputSchema, "exit input", settleDivision);
