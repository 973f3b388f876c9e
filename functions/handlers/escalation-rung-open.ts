import { RungTaskSchema } from "../escalation/inputs";
import { openRung } from "../escalation/rung";
import { taskHandler } from "../shared/task";

/** Escalation task: a concern reaches a rung; record it, tell everyone, and prepare the rung's round. */
export const handler = taskHandler(RungTaskSchema, "rung task", openRung);
