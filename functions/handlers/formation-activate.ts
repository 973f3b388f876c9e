import { FormationInputSchema, parseEvent } from "../formation/inputs";
import { activateAlliance } from "../formation/outcome";

/** Formation task: the charter is approved — ACTIVE, first review scheduled, welcome email. */
export const handler = async (event: unknown) =>
  activateAlliance(parseEvent(FormationInputSchema, event, "activate task"));
