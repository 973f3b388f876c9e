import { awaitDivisionDecision } from "../exit/division";
import { DivisionDecisionTaskSchema } from "../exit/inputs";
import { taskHandler } from "../shared/task";

/** Exit task (waitForTaskToken): keeps the token for the admin's decision on a contested division. */
export const handler = taskHandler(
  DivisionDecisionTaskSchema,
  "division decision task",
  awaitDivisionDecision,
);
