/** The error names the Step Functions API returns (`__type`), which the AWS SDK maps to named exceptions. */
export type SfnErrorType =
  | "ExecutionAlreadyExists"
  | "ExecutionDoesNotExist"
  | "ExecutionNotRedrivable"
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

/** Step Functions' payload quota: a state's input and output, a task's result, as UTF-8 JSON. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/**
 * A state's input (after Parameters) or a task's result over the payload quota. Terminal, as in AWS: no Retry
 * applies and a States.ALL catcher does not catch it (AWS would let a catcher that names it explicitly; the
 * local interpreter cannot tell the two apart, so none does).
 */
export class DataLimitExceededError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(what: string, bytes: number) {
    super(
      `The state/task '${what}' returned a result with a size exceeding the maximum number of bytes service limit (${bytes} > ${MAX_PAYLOAD_BYTES} bytes).`,
    );
    this.name = "States.DataLimitExceeded";
  }
}

/** Throws DataLimitExceededError when `value` as JSON is over the payload quota. */
export function assertWithinPayloadQuota(value: unknown, what: string): void {
  const bytes = Buffer.byteLength(JSON.stringify(value ?? null));
  if (bytes > MAX_PAYLOAD_BYTES) throw new DataLimitExceededError(what, bytes);
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
