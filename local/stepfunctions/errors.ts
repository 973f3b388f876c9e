/** The error names the Step Functions API returns (`__type`), which the AWS SDK maps to named exceptions. */
export type SfnErrorType =
  | "ExecutionAlreadyExists"
  | "ExecutionDoesNotExist"
  | "InvalidArn"
  | "InvalidExecutionInput"
  | "InvalidName"
  | "InvalidOutput"
  | "InvalidToken"
  | "StateMachineDoesNotExist"
  | "TaskDoesNotExist"
  | "TaskTimedOut"
  | "UnknownOperationException"
  | "ValidationException";

/** A Step Functions API call refused with an AWS error name; the HTTP layer sends it as `__type`. */
export class SfnApiError extends Error {
  constructor(
    readonly type: SfnErrorType,
    message: string,
  ) {
    super(message);
    this.name = "SfnApiError";
  }
}

/**
 * A task failure handed to the interpreter. Its `name` is deliberately the ASL error name (e.g. a handler's
 * `ValidationError`, or the `error` of SendTaskFailure) because Retry/Catch match on `name`; `message` is the Cause.
 */
export class TaskFailedError extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

/**
 * A failure no Retry or Catch may handle (States.Runtime in AWS): an unsupported resource, a bad path. The
 * interpreter reads `isRetryable`/`isCatchable` to decide.
 */
export class StatesRuntimeError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(message: string) {
    super(message);
    this.name = "States.Runtime";
  }
}

/** Settles a task the service abandoned (execution stopped, paused for a Wait, or service closing). */
export class TaskAbandonedError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super("task abandoned: the run was stopped");
    this.name = "TaskAbandonedError";
  }
}
