import { ReturnTaskSchema } from "../formation/inputs";
import { returnToDraft } from "../formation/outcome";
import { taskHandler } from "../shared/task";

/** Formation task: back to DRAFT (incomplete charter or rejected approval round), partners told why. */
export const handler = taskHandler(ReturnTaskSchema, "return-to-draft task", async (input) => {
  await returnToDraft(input);
  return { status: "DRAFT" };
});
