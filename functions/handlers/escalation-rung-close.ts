import { RungTaskSchema } from "../escalation/inputs";
import { closeRung } from "../escalation/rung";
import { taskHandler } from "../shared/task";

/** Escalation task: a rung's round closed; record its verdict and say where the concern goes next. */
export const handler = taskHandler(RungTaskSchema, "rung task", closeRung);
