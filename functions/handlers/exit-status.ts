import { ExitInputSchema } from "../exit/inputs";
import { sendExitStatus } from "../exit/status";
import { taskHandler } from "../shared/task";

/** Exit task: halfway through the notice period, tell everyone where the exit stands. */
export const handler = taskHandler(ExitInputSchema, "exit input", sendExitStatus);
