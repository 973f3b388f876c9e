import type { LocalClock } from "../clock";
import type { ExecutionStatus } from "./records";

/** A waitForTaskToken task whose Lambda has been invoked and that now waits for SendTaskSuccess/Failure. */
export interface TaskWaitingEvent {
  executionArn: string;
  stateName: string;
  token: string;
  /** The Payload the task's Lambda received. */
  payload: unknown;
}

/** An execution reached a final status. */
export interface ExecutionClosedEvent {
  executionArn: string;
  status: Exclude<ExecutionStatus, "RUNNING">;
  output?: string;
  error?: string;
  cause?: string;
}

/** What an execution runner needs from the service around it. */
export interface RunnerHost {
  readonly clock: LocalClock;
  readonly region: string;
  readonly accountId: string;
  /** The interpreter's States.Timeout class (see interpreter.ts). */
  readonly TimeoutError: new () => Error;
  /** Invokes a function on behalf of the state machine `stateMachineArn` (whose role must allow it). */
  invokeFunction(functionArnOrName: string, payload: unknown, stateMachineArn: string): Promise<unknown>;
  indexToken(token: string, executionArn: string): void;
  taskWaiting(event: TaskWaitingEvent): void;
  executionClosed(event: ExecutionClosedEvent): void;
  log(line: string): void;
}
