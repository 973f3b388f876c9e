import { ExecutionError } from "aws-local-stepfunctions";
import { CallbackTasks } from "./callbacks";
import { type CompiledStateMachine, MAX_TIMER_MS, type WaitSpec } from "./definition";
import type { InterpreterEvent, JsonValue, RunOverrides } from "./interpreter";
import type { ExecutionJournal } from "./journal";
import type { ExecutionRecord, ExecutionStatus } from "./records";
import { Segment } from "./segment";
import { TaskRunner } from "./task-runner";
import type { RunnerHost } from "./types";
import { waitTarget } from "./waits";

type SegmentOutcome =
  | { kind: "ended" }
  | { kind: "succeeded"; output: JsonValue }
  | { kind: "failed"; error: string; cause: string };

type FinalStatus = Exclude<ExecutionStatus, "RUNNING">;

const CLOSING_EVENT: Record<FinalStatus, string> = {
  SUCCEEDED: "ExecutionSucceeded",
  FAILED: "ExecutionFailed",
  ABORTED: "ExecutionAborted",
  TIMED_OUT: "ExecutionTimedOut",
};

/**
 * Drives one execution on the interpreter in segments. A segment runs the definition re-rooted at the current
 * top-level state. Entering a top-level Wait checkpoints its target time and ends the segment; the runner
 * sleeps on the local clock and resumes at the Wait. After a restart the same happens from the checkpoint.
 *
 * Clock-driven: top-level Waits, Task TimeoutSeconds/HeartbeatSeconds and Retry intervals, the execution's
 * TimeoutSeconds. Not clock-driven (the interpreter sleeps in real time): Waits inside Map/Parallel with
 * SecondsPath/TimestampPath (those with Seconds/Timestamp are scaled by the clock rate when entered but do not
 * see a later advance()), and Retry on Map/Parallel states. A Task still pending after ~24.8 real days hits the
 * interpreter's own (capped) task timer.
 */
export class ExecutionRunner {
  readonly callbacks: CallbackTasks;
  private readonly lifetime = new AbortController();
  private readonly tasks: TaskRunner;
  private segment: Segment | undefined;
  private contextObject: Record<string, unknown> | undefined;

  constructor(
    readonly journal: ExecutionJournal,
    private readonly machine: CompiledStateMachine,
    private readonly host: RunnerHost,
  ) {
    this.callbacks = new CallbackTasks(journal, host, this.lifetime.signal);
    this.tasks = new TaskRunner(host, journal, this.callbacks, () => this.contextObject);
  }

  get record(): ExecutionRecord {
    return this.journal.record;
  }

  /** Starts (or resumes from the checkpoint) in the background. */
  start(): void {
    const timeoutSeconds = this.machine.timeoutSeconds;
    if (timeoutSeconds !== undefined) {
      const from = this.record.redriveDate ?? this.record.startDate;
      this.host.clock.sleepUntil(from + timeoutSeconds * 1000, this.lifetime.signal).then(
        () =>
          this.finish("TIMED_OUT", {
            error: "States.Timeout",
            cause: `execution exceeded ${timeoutSeconds} s`,
          }),
        () => {},
      );
    }
    this.loop().catch((error: unknown) => {
      this.host.log(
        `execution ${this.record.executionArn} crashed: ${(error as Error).stack ?? String(error)}`,
      );
      return this.finish("FAILED", { error: "States.Runtime", cause: (error as Error).message });
    });
  }

  /** StopExecution. */
  stop(error: string | undefined, cause: string | undefined): Promise<void> {
    return this.finish("ABORTED", {
      ...(error === undefined ? {} : { error }),
      ...(cause === undefined ? {} : { cause }),
    });
  }

  /** Stops running without changing the checkpoint, so the next start() resumes it. */
  shutdown(): void {
    this.lifetime.abort();
    this.segment?.end("shutdown");
    this.callbacks.abandonAll();
  }

  private async loop(): Promise<void> {
    let resumed = this.record.currentState !== null;
    while (this.record.status === "RUNNING" && !this.lifetime.signal.aborted) {
      let released: string | undefined;
      if (this.record.waitUntil !== undefined && this.record.currentState !== null) {
        try {
          await this.host.clock.sleepUntil(this.record.waitUntil, this.lifetime.signal);
        } catch {
          return;
        }
        if (this.record.status !== "RUNNING") return;
        released = this.record.currentState;
      }
      const startAt = this.record.currentState ?? this.machine.startAt;
      const input = (
        this.record.currentState === null ? JSON.parse(this.record.input) : this.record.currentInput
      ) as JsonValue;
      const outcome = await this.runSegment(startAt, input, resumed, released);
      resumed = true;
      if (outcome.kind === "succeeded") {
        await this.finish("SUCCEEDED", { output: JSON.stringify(outcome.output) });
      } else if (outcome.kind === "failed") {
        await this.finish("FAILED", { error: outcome.error, cause: outcome.cause });
      } else if (
        this.record.status === "RUNNING" &&
        this.record.waitUntil === undefined &&
        !this.lifetime.signal.aborted
      ) {
        // A segment only stops early for a Wait, a close or a shutdown; anything else would spin here.
        await this.finish("FAILED", {
          error: "States.Runtime",
          cause: "the run stopped without reaching an end",
        });
      }
    }
  }

  private async runSegment(
    startAt: string,
    input: JsonValue,
    resumed: boolean,
    released: string | undefined,
  ): Promise<SegmentOutcome> {
    const segment = new Segment(resumed, released);
    this.segment = segment;
    this.contextObject = this.buildContext(segment);
    const run = this.machine.machineAt(startAt).run(input, {
      overrides: this.overrides(segment),
      context: this.contextObject,
      noThrowOnAbort: true,
    });
    segment.abortRun = run.abort;
    const consuming = this.consume(run.eventLogs, segment);
    try {
      const output = await run.result;
      await consuming;
      return segment.active ? { kind: "succeeded", output } : { kind: "ended" };
    } catch (error) {
      await consuming;
      if (!segment.active) return { kind: "ended" };
      const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : error;
      if (failure instanceof Error) return { kind: "failed", error: failure.name, cause: failure.message };
      return { kind: "failed", error: "States.Runtime", cause: String(failure) };
    } finally {
      segment.end("closed");
      if (this.segment === segment) this.segment = undefined;
    }
  }

  private overrides(segment: Segment): RunOverrides {
    const taskResourceLocalHandlers: NonNullable<RunOverrides["taskResourceLocalHandlers"]> = {};
    for (const [name, spec] of this.machine.tasks) {
      taskResourceLocalHandlers[name] = (input) => segment.track(this.tasks.run(segment, spec, input));
    }
    // Read by the interpreter when the Wait starts: getters decide per visit (see waitOverride).
    const waitTimeOverrides: Record<string, number> = {};
    for (const [name, spec] of this.machine.waits) {
      Object.defineProperty(waitTimeOverrides, name, {
        enumerable: true,
        get: () => this.waitOverride(segment, spec),
      });
    }
    return { taskResourceLocalHandlers, waitTimeOverrides };
  }

  /**
   * A top-level Wait sleeps "forever" in the interpreter until its entry event checkpoints the target and ends
   * the segment, and 0 ms when the segment resumes it after its time has come. Nested Waits with a fixed
   * duration are scaled by the clock rate; the others are left to the interpreter (undefined).
   */
  private waitOverride(segment: Segment, spec: WaitSpec): number | undefined {
    const clock = this.host.clock;
    if (spec.topLevel) {
      if (segment.releasedWait !== spec.name) return MAX_TIMER_MS;
      segment.releasedWait = undefined;
      return 0;
    }
    if (spec.seconds !== undefined) return Math.min((spec.seconds * 1000) / clock.rate, MAX_TIMER_MS);
    if (spec.timestamp !== undefined) {
      const remaining = (Date.parse(spec.timestamp) - clock.now()) / clock.rate;
      return Math.min(Math.max(remaining, 0), MAX_TIMER_MS);
    }
    return undefined;
  }

  private async consume(events: AsyncGenerator<InterpreterEvent>, segment: Segment): Promise<void> {
    for await (const event of events) {
      if (segment.reason === "closed" || segment.reason === "shutdown" || this.record.status !== "RUNNING")
        continue;
      this.onEvent(event, segment);
    }
  }

  private onEvent(event: InterpreterEvent, segment: Segment): void {
    switch (event.type) {
      case "StateEntered": {
        const { name, type, input } = event.state;
        const topLevel = event.index === undefined && this.machine.topLevelStates.has(name);
        if (topLevel && segment.suppressFirstEntry) {
          segment.suppressFirstEntry = false;
          segment.markEntered(name);
          // A checkpoint at a Wait without its target (never written so) must not leave the run asleep for good.
          if (type === "Wait" && !segment.startedByRelease) this.enterWait(segment, name, input);
          return;
        }
        segment.suppressFirstEntry = false;
        if (topLevel) this.enterTopLevelState(name, input);
        this.journal.add(`${type}StateEntered`, {
          name,
          input: json(input),
          inputDetails: { truncated: false },
        });
        segment.markEntered(name);
        if (topLevel && type === "Wait") this.enterWait(segment, name, input);
        return;
      }
      case "StateExited": {
        const { name, type, output } = event.state;
        this.journal.add(`${type}StateExited`, {
          name,
          output: json(output),
          outputDetails: { truncated: false },
        });
        return;
      }
      case "MapIterationStarted":
      case "MapIterationSucceeded":
      case "MapIterationFailed":
        this.journal.add(event.type, { name: event.parentState.name, index: event.index });
        return;
    }
  }

  private enterTopLevelState(name: string, input: unknown): void {
    const record = this.record;
    record.epoch += 1;
    record.currentState = name;
    record.currentInput = input;
    delete record.waitUntil;
    // Callbacks of an earlier state (e.g. Map iterations cut short by a sibling's failure) can never complete.
    this.callbacks.closeWaiting("CLOSED", (task) => task.epoch < record.epoch);
    this.journal.changed();
  }

  private enterWait(segment: Segment, name: string, input: unknown): void {
    const spec = this.machine.waits.get(name);
    if (!spec) return;
    let target: number;
    try {
      target = waitTarget(spec, input, this.contextObject, this.host.clock.now());
    } catch (error) {
      segment.end("closed");
      void this.finish("FAILED", { error: "States.Runtime", cause: (error as Error).message });
      return;
    }
    this.record.waitUntil = target;
    this.journal.changed();
    // The target must survive a crash as it is: a Wait resumes with its original target time.
    this.journal.flush().catch(() => {});
    segment.end("wait");
  }

  /** Closes the execution once: final status and event, open callbacks closed, checkpoint flushed. */
  private async finish(
    status: FinalStatus,
    fields: { output?: string; error?: string; cause?: string },
  ): Promise<void> {
    const record = this.record;
    if (record.status !== "RUNNING") return;
    record.status = status;
    record.stopDate = this.host.clock.now();
    delete record.waitUntil;
    Object.assign(record, fields);
    const details =
      status === "SUCCEEDED" ? { output: fields.output, outputDetails: { truncated: false } } : { ...fields };
    this.journal.add(CLOSING_EVENT[status], details);
    this.callbacks.closeWaiting(status === "TIMED_OUT" ? "TIMED_OUT" : "CLOSED");
    this.lifetime.abort();
    this.segment?.end("closed");
    try {
      await this.journal.close();
    } catch {
      // already reported by the journal; the closed status stays in memory
    }
    this.host.executionClosed({ executionArn: record.executionArn, status, ...fields });
  }

  private buildContext(segment: Segment): Record<string, unknown> {
    const record = this.record;
    return {
      Execution: {
        Id: record.executionArn,
        Name: record.name,
        RoleArn: `arn:aws:iam::${this.host.accountId}:role/local-step-functions`,
        // The interpreter overwrites Input and StartTime per run; the definition reads these instead.
        __Input: JSON.parse(record.input),
        __StartTime: new Date(record.startDate).toISOString(),
      },
      StateMachine: { Id: this.machine.spec.arn, Name: this.machine.spec.name },
      Task: {
        get Token() {
          return segment.issueToken();
        },
      },
    };
  }
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}
