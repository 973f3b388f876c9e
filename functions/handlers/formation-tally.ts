import { FormationInputSchema } from "../formation/inputs";
import { tallyApproval } from "../formation/outcome";
import { taskHandler } from "../shared/task";

/** Formation task: count the charter approval round by the charter's own rule. */
export const handler = taskHandler(FormationInputSchema, "tally task", tallyApproval);
