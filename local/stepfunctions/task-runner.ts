import type { CallbackTasks } from "./callbacks";
import { SYNTHETIC_HEARTBEAT_KEY, SYNTHETIC_TIMEOUT_KEY, type TaskSpec } from "./definition";
import { assertWithinPayloadQuota, StatesRuntimeError, TaskAbandonedError, TaskFailedError } from "./errors";
import { lambdaFailure, retryDelayMs } from "./failures";
import type { JsonValue } from "./interpreter";
import type { ExecutionJournal } from "./journal";
import { findString, queryPath, replaceString } from "./json-path";
import type { TaskRecord } from "./records";
import type { Segment } from "./segment";
import { newTaskToken } from "./tokens";
import type { RunnerHost } from "./types";

/** Stands in for the token when comparing a task's input across runs (each run issues fresh tokens). */
const TOKEN_MASK = "<task-token>";

const INVOKE = { resourceType: "lambda", resource: "invoke" } as const;
const INVOKE_CALLBACK = { resourceType: "lambda", resource: "invoke.waitForTaskToken" } as const;

/**
 * Runs Task states for the interpreter (every Task is overridden, or the interpreter would call real AWS):
 * lambda:invoke, its waitForTaskToken form and bare function ARNs, each with TimeoutSeconds, HeartbeatSeconds
 * and Retry applied on the local clock.
 */
export class TaskRunner {
  constructor(
    private readonly host: RunnerHost,
    private readonly journal: ExecutionJournal,
    private readonly callbacks: CallbackTasks,
    private readonly context: () => unknown,
  ) {}

  /** The ARN of the state machine whose execution runs these tasks (its role is what invokes functions). */
  private stateMachineArn(): string {
    const context = this.context() as { StateMachine?: { Id?: string } };
    return context.StateMachine?.Id ?? "";
  }

  /** The override body for one Task state visit; `input` is its effective input (after InputPath and Parameters). */
  async run(segment: Segment, spec: TaskSpec, input: JsonValue): Promise<JsonValue> {
    // Before any await: the interpreter evaluated $$.Task.Token for this very call; other iterations of a Map
    // issue theirs while this one waits below.
    const issued =
      spec.kind === "callback" ? findString(input, (text) => segment.issued.has(text)) : undefined;
    segment.issued.clear();
    await segment.entered(spec.name);
    segment.assertActive();
    assertWithinPayloadQuota(input, spec.name);
    switch (spec.kind) {
      case "unsupported":
        throw new StatesRuntimeError(
          `Task ${spec.name}: resource ${spec.resource} is not supported by the local Step Functions service ` +
            "(supported: arn:aws:states:::lambda:invoke, arn:aws:states:::lambda:invoke.waitForTaskToken, a Lambda function ARN)",
        );
      case "callback":
        return this.runCallback(segment, spec, input, issued);
      default: {
        const retryCounts = spec.retry.map(() => 0);
        for (;;) {
          try {
            return await this.invoke(segment, spec, input);
          } catch (error) {
            await this.beforeRetry(segment, spec, retryCounts, error);
          }
        }
      }
    }
  }

  private async invoke(segment: Segment, spec: TaskSpec, input: JsonValue): Promise<JsonValue> {
    const bare = spec.kind === "function";
    const functionName = bare ? spec.resource : functionNameOf(spec, input);
    const payload = bare ? withoutSynthetic(input) : payloadOf(input);
    const timeoutSeconds = this.limit(spec, "Timeout", input);
    const timeoutField = timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds };
    if (bare) {
      this.journal.add("LambdaFunctionScheduled", {
        resource: spec.resource,
        input: json(input),
        ...timeoutField,
      });
      this.journal.add("LambdaFunctionStarted");
    } else {
      this.journal.add("TaskScheduled", {
        ...INVOKE,
        region: this.host.region,
        parameters: json(input),
        ...timeoutField,
      });
      this.journal.add("TaskStarted", INVOKE);
    }
    let result: unknown;
    try {
      result = await this.withTimeout(
        segment,
        timeoutSeconds,
        this.host.invokeFunction(functionName, payload, this.stateMachineArn()),
      );
      segment.assertActive();
    } catch (error) {
      if (error instanceof TaskAbandonedError) throw error;
      if (error instanceof this.host.TimeoutError) {
        const details = { error: "States.Timeout", cause: `no result within ${timeoutSeconds} s` };
        this.journal.add(
          bare ? "LambdaFunctionTimedOut" : "TaskTimedOut",
          bare ? details : { ...INVOKE, ...details },
        );
        throw error;
      }
      const failure = lambdaFailure(error);
      this.journal.add(
        bare ? "LambdaFunctionFailed" : "TaskFailed",
        bare ? failure : { ...INVOKE, ...failure },
      );
      throw new TaskFailedError(failure.error, failure.cause);
    }
    const output = toJson(result);
    assertWithinPayloadQuota(output, spec.name);
    if (bare) {
      this.journal.add("LambdaFunctionSucceeded", {
        output: json(output),
        outputDetails: { truncated: false },
      });
      return output;
    }
    const response = {
      ExecutedVersion: "$LATEST",
      Payload: output,
      SdkHttpMetadata: { HttpStatusCode: 200 },
      StatusCode: 200,
    } as JsonValue;
    this.journal.add("TaskSucceeded", {
      ...INVOKE,
      output: json(response),
      outputDetails: { truncated: false },
    });
    return response;
  }

  /**
   * A waitForTaskToken task: the token the interpreter put into the input is recorded (durably) before the
   * Lambda runs; the Lambda is invoked once; the task then waits for its callback. When a run resumes, the task
   * finds its earlier record by state and input, keeps that token and does not invoke the Lambda again.
   */
  private async runCallback(
    segment: Segment,
    spec: TaskSpec,
    input: JsonValue,
    issued: string | undefined,
  ): Promise<JsonValue> {
    if (issued === undefined) {
      throw new StatesRuntimeError(
        `Task ${spec.name}: a waitForTaskToken task must pass $$.Task.Token in its Parameters`,
      );
    }
    const inputKey = JSON.stringify(replaceString(input, issued, TOKEN_MASK));
    let existing = this.earlierAttempt(segment, spec.name, inputKey);
    const retryCounts = existing ? [...existing.retryCounts] : spec.retry.map(() => 0);
    let token = existing?.token ?? issued;
    for (;;) {
      try {
        const attemptInput = replaceString(input, issued, token) as JsonValue;
        return await this.callbackAttempt(
          segment,
          spec,
          attemptInput,
          token,
          inputKey,
          retryCounts,
          existing,
        );
      } catch (error) {
        await this.beforeRetry(segment, spec, retryCounts, error);
        existing = undefined;
        token = newTaskToken();
      }
    }
  }

  private async callbackAttempt(
    segment: Segment,
    spec: TaskSpec,
    input: JsonValue,
    token: string,
    inputKey: string,
    retryCounts: number[],
    existing: TaskRecord | undefined,
  ): Promise<JsonValue> {
    const record = this.journal.record;
    let task: TaskRecord;
    if (existing) {
      task = existing;
      if (task.status === "SUCCEEDED") return JSON.parse(task.output ?? "null") as JsonValue;
      if (task.status === "FAILED") throw new TaskFailedError(task.error ?? "", task.cause ?? "");
      if (task.status === "TIMED_OUT") throw new this.host.TimeoutError();
    } else {
      const now = this.host.clock.now();
      const timeoutSeconds = this.limit(spec, "Timeout", input);
      const heartbeatSeconds = this.limit(spec, "Heartbeat", input);
      task = {
        token,
        stateName: spec.name,
        epoch: record.epoch,
        inputKey,
        status: "WAITING",
        lambdaInvoked: false,
        retryCounts: [...retryCounts],
        ...(timeoutSeconds === undefined ? {} : { deadline: now + timeoutSeconds * 1000 }),
        ...(heartbeatSeconds === undefined
          ? {}
          : { heartbeatSeconds, heartbeatDeadline: now + heartbeatSeconds * 1000 }),
      };
      record.tasks.push(task);
      segment.claimed.add(token);
      this.host.indexToken(token, record.executionArn);
      this.journal.add("TaskScheduled", {
        ...INVOKE_CALLBACK,
        region: this.host.region,
        parameters: json(input),
        ...(timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds }),
        ...(heartbeatSeconds === undefined ? {} : { heartbeatInSeconds: heartbeatSeconds }),
      });
      this.journal.add("TaskStarted", INVOKE_CALLBACK);
      // The token must survive a crash before anyone (the Lambda) can hand it out.
      await this.journal.flush();
      segment.assertActive();
    }
    const outcome = this.callbacks.wait(task);
    const payload = payloadOf(input);
    if (!task.lambdaInvoked && task.status === "WAITING") {
      let submitted: unknown;
      try {
        submitted = await this.host.invokeFunction(
          functionNameOf(spec, input),
          payload,
          this.stateMachineArn(),
        );
      } catch (error) {
        segment.assertActive();
        if (task.status === "WAITING") {
          const failure = lambdaFailure(error);
          this.callbacks.fail(token, failure.error, failure.cause);
        }
      }
      segment.assertActive();
      if (task.status === "WAITING") {
        task.lambdaInvoked = true;
        this.journal.add("TaskSubmitted", { ...INVOKE_CALLBACK, output: json(toJson(submitted)) });
        await this.journal.flush();
        segment.assertActive();
      }
    }
    if (task.status === "WAITING") {
      this.host.taskWaiting({ executionArn: record.executionArn, stateName: spec.name, token, payload });
    }
    return await outcome;
  }

  /** The latest not yet claimed attempt of this task in the checkpoint, when a run resumes the same state visit. */
  private earlierAttempt(segment: Segment, stateName: string, inputKey: string): TaskRecord | undefined {
    const { epoch, tasks } = this.journal.record;
    const match = tasks.findLast(
      (task) =>
        task.stateName === stateName &&
        task.epoch === epoch &&
        task.inputKey === inputKey &&
        task.status !== "CLOSED" &&
        !segment.claimed.has(task.token),
    );
    if (match) segment.claimed.add(match.token);
    return match;
  }

  /** Sleeps before the next attempt when a retrier matches `error`; rethrows it otherwise. */
  private async beforeRetry(
    segment: Segment,
    spec: TaskSpec,
    counts: number[],
    error: unknown,
  ): Promise<void> {
    if (!(error instanceof Error) || (error as { isRetryable?: boolean }).isRetryable === false) throw error;
    const delay = retryDelayMs(spec.retry, counts, error.name, error instanceof this.host.TimeoutError);
    if (delay === undefined) throw error;
    const clock = this.host.clock;
    await clock.sleepUntil(clock.now() + delay, segment.signal).catch(() => {
      throw new TaskAbandonedError();
    });
    segment.assertActive();
  }

  /** Races `work` against TimeoutSeconds on the local clock. */
  private async withTimeout<T>(
    segment: Segment,
    timeoutSeconds: number | undefined,
    work: Promise<T>,
  ): Promise<T> {
    if (timeoutSeconds === undefined) return work;
    const timer = new AbortController();
    const clock = this.host.clock;
    const expiry = clock
      .sleepUntil(clock.now() + timeoutSeconds * 1000, AbortSignal.any([timer.signal, segment.signal]))
      .then(() => {
        throw new this.host.TimeoutError();
      });
    try {
      return await Promise.race([work, expiry]);
    } finally {
      timer.abort();
      expiry.catch(() => {});
    }
  }

  /** TimeoutSeconds / HeartbeatSeconds, or their *Path form read from the effective input. */
  private limit(spec: TaskSpec, kind: "Timeout" | "Heartbeat", input: JsonValue): number | undefined {
    const fixed = kind === "Timeout" ? spec.timeoutSeconds : spec.heartbeatSeconds;
    const path = kind === "Timeout" ? spec.timeoutSecondsPath : spec.heartbeatSecondsPath;
    if (path === undefined) return fixed;
    const value = queryPath(path, input, this.context());
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw new StatesRuntimeError(
        `Task ${spec.name}: ${kind}SecondsPath '${path}' must point to an integer >= 1, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  }
}

function functionNameOf(spec: TaskSpec, input: JsonValue): string {
  const name = input && typeof input === "object" && !Array.isArray(input) ? input.FunctionName : undefined;
  if (typeof name !== "string" || name.length === 0) {
    throw new StatesRuntimeError(`Task ${spec.name}: Parameters must name a FunctionName`);
  }
  return name;
}

function payloadOf(input: JsonValue): JsonValue {
  const payload = input && typeof input === "object" && !Array.isArray(input) ? input.Payload : undefined;
  return payload === undefined ? {} : payload;
}

/** The task input without the synthetic *SecondsPath fields the definition transform added. */
function withoutSynthetic(input: JsonValue): JsonValue {
  if (!input || typeof input !== "object" || Array.isArray(input)) return input;
  if (!(SYNTHETIC_TIMEOUT_KEY in input) && !(SYNTHETIC_HEARTBEAT_KEY in input)) return input;
  const { [SYNTHETIC_TIMEOUT_KEY]: _t, [SYNTHETIC_HEARTBEAT_KEY]: _h, ...rest } = input;
  return rest;
}

/** What a Lambda result looks like after the JSON round trip through AWS (undefined becomes null). */
function toJson(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}
