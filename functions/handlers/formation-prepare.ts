import { FormationInputSchema } from "../formation/inputs";
import { prepareFormation } from "../formation/prepare";
import { taskHandler } from "../shared/task";

/** Formation task: validate the draft and audit the charter (DRAFT → FORMING when complete). */
export const handler = taskHandler(FormationInputSchema, "formation input", prepareFormation);
