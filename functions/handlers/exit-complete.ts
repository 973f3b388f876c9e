import { completeExit } from "../exit/complete";
import { ExitInputSchema } from "../exit/inputs";
import { taskHandler } from "../shared/task";

/** Exit task: on the effective date, the partner EXITED (or the alliance DISSOLVED), its requests closed, the record mailed. */
export const handler = taskHandler(ExitInputSchema, "exit input", completeExit);
