import { FormationInputSchema, parseEvent } from "../formation/inputs";
import { tallyApproval } from "../formation/outcome";

/** Formation task: count the charter approval round by the charter's own rule. */
export const handler = async (event: unknown) =>
  tallyApproval(parseEvent(FormationInputSchema, event, "tally task"));
