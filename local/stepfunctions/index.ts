export { SfnApiError, type SfnErrorType } from "./errors";
export type { ExecutionStatus, HistoryEvent } from "./records";
export {
  type ExecutionDescription,
  type ExecutionListItem,
  type HistoryEventOut,
  type LocalFault,
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
} from "./service";
export type { ExecutionClosedEvent, TaskWaitingEvent } from "./types";
