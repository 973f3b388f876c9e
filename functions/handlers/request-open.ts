import { AskTaskSchema, openAsk } from "../requests";
import { taskHandler } from "../shared/task";

/** "Ask and wait" (waitForTaskToken): open a request for one recipient and mail the link(s). */
export const handler = taskHandler(AskTaskSchema, "ask task", openAsk);
