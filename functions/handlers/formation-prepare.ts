import { FormationInputSchema, parseEvent } from "../formation/inputs";
import { prepareFormation } from "../formation/prepare";

/** Formation task: validate the draft and audit the charter (DRAFT → FORMING when complete). */
export const handler = async (event: unknown) =>
  prepareFormation(parseEvent(FormationInputSchema, event, "formation input"));
