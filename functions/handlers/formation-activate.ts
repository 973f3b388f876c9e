import { FormationInputSchema } from "../formation/inputs";
import { activateAlliance } from "../formation/outcome";
import { taskHandler } from "../shared/task";

/** Formation task: the charter is approved — ACTIVE, first review scheduled, welcome email. */
export const handler = taskHandler(FormationInputSchema, "activate task", activateAlliance);
