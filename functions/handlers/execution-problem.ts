import { ExecutionStatusChangeSchema, recordExecutionProblem } from "../alliance/problems";
import { taskHandler } from "../shared/task";

/** EventBridge: a Concord workflow's execution failed, timed out or was stopped; the alliance shows it, people are told. */
export const handler = taskHandler(ExecutionStatusChangeSchema, "execution status change", (event) =>
  recordExecutionProblem(event),
);
