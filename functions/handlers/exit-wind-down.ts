import { ExitInputSchema } from "../exit/inputs";
import { prepareWindDown } from "../exit/wind-down";
import { taskHandler } from "../shared/task";

/** Exit task: the division is settled; set the wind-down obligations and prepare their rounds. */
export const handler = taskHandler(ExitInputSchema, "exit input", prepareWindDown);
