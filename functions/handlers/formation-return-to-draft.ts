import { parseEvent, ReturnTaskSchema } from "../formation/inputs";
import { returnToDraft } from "../formation/outcome";

/** Formation task: back to DRAFT (incomplete charter or rejected approval round), partners told why. */
export const handler = async (event: unknown) => {
  await returnToDraft(parseEvent(ReturnTaskSchema, event, "return-to-draft task"));
  return { status: "DRAFT" };
};
