import { MissedTaskSchema, recordMissedDeadline } from "../requests";
import { taskHandler } from "../shared/task";

/** "Ask and wait": a recipient's deadline passed; record what the silence counts as and close the links. */
export const handler = taskHandler(MissedTaskSchema, "missed deadline task", recordMissedDeadline);
