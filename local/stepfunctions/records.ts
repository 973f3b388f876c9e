import { z } from "zod";

/** Status of an execution, as DescribeExecution reports it. */
export const ExecutionStatusSchema = z.enum(["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]);
export type ExecutionStatus = z.infer<typeof ExecutionStatusSchema>;

/** One attempt of a waitForTaskToken task and its token. */
export const TaskRecordSchema = z.object({
  token: z.string(),
  stateName: z.string(),
  /** Which visit of the current top-level state it belongs to (see ExecutionRecord.epoch). */
  epoch: z.number().int(),
  /** The task's input with its token masked, to find the same task again when a run resumes. */
  inputKey: z.string(),
  status: z.enum(["WAITING", "SUCCEEDED", "FAILED", "TIMED_OUT", "CLOSED"]),
  lambdaInvoked: z.boolean(),
  /** Retry attempts used per retrier before this attempt. */
  retryCounts: z.array(z.number().int()),
  deadline: z.number().optional(),
  heartbeatSeconds: z.number().optional(),
  heartbeatDeadline: z.number().optional(),
  output: z.string().optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
});
export type TaskRecord = z.infer<typeof TaskRecordSchema>;

/** Everything needed to describe an execution and to resume it after a restart. */
export const ExecutionRecordSchema = z.object({
  version: z.literal(1),
  executionArn: z.string(),
  stateMachineArn: z.string(),
  name: z.string(),
  /** The execution input as given (JSON text). */
  input: z.string(),
  status: ExecutionStatusSchema,
  startDate: z.number(),
  stopDate: z.number().optional(),
  output: z.string().optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
  /** The top-level state the execution is in (null before the first state is entered) and its raw input. */
  currentState: z.string().nullable(),
  currentInput: z.unknown(),
  /** Increments on every entry into a top-level state. */
  epoch: z.number().int(),
  /** Target time of the top-level Wait the execution is sleeping in. */
  waitUntil: z.number().optional(),
  tasks: z.array(TaskRecordSchema),
  eventCount: z.number().int(),
  /** How many times it was redriven, and when last (its TimeoutSeconds then counts from there). */
  redriveCount: z.number().int().optional(),
  redriveDate: z.number().optional(),
});
export type ExecutionRecord = z.infer<typeof ExecutionRecordSchema>;

/** One history event in the AWS shape, e.g. `{ id, previousEventId, timestamp, type, stateEnteredEventDetails }`. */
export type HistoryEvent = { id: number; previousEventId: number; timestamp: number; type: string } & Record<
  string,
  unknown
>;
