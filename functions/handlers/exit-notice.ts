import { ExitInputSchema } from "../exit/inputs";
import { giveExitNotice } from "../exit/notice";
import { taskHandler } from "../shared/task";

/** Exit task: mail the notice to every partner and compute the leaving partner's acknowledgement round. */
export const handler = taskHandler(ExitInputSchema, "exit input", giveExitNotice);
