import { SfnApiError, TaskAbandonedError, TaskFailedError } from "./errors";
import type { JsonValue } from "./interpreter";
import type { ExecutionJournal } from "./journal";
import type { TaskRecord } from "./records";
import type { RunnerHost } from "./types";

const RESOURCE = { resourceType: "lambda", resource: "invoke.waitForTaskToken" } as const;

interface Pending {
  task: TaskRecord;
  resolve: (output: JsonValue) => void;
  reject: (error: Error) => void;
  timer: AbortController | undefined;
}

/**
 * The waitForTaskToken tasks of one execution: SendTaskSuccess/Failure/Heartbeat, and TimeoutSeconds and
 * HeartbeatSeconds on the local clock. A task's outcome is written to its record even when no run is waiting
 * for it yet (a callback that arrives while a restarted execution is still resuming), and the resumed run
 * picks it up from there.
 */
export class CallbackTasks {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly journal: ExecutionJournal,
    private readonly host: RunnerHost,
    private readonly lifetime: AbortSignal,
  ) {}

  /** Resolves with the output sent for `task`, rejects with its failure or States.Timeout. */
  wait(task: TaskRecord): Promise<JsonValue> {
    const outcome = new Promise<JsonValue>((resolve, reject) => {
      const pending: Pending = { task, resolve, reject, timer: undefined };
      this.pending.set(task.token, pending);
      this.arm(pending);
    });
    // Settled tasks nobody awaits any more (an abandoned run) must not surface as unhandled rejections.
    outcome.catch(() => {});
    return outcome;
  }

  /** SendTaskSuccess: `output` is JSON text. */
  succeed(token: string, output: string): void {
    const task = this.waiting(token);
    this.close(task, "SUCCEEDED", { output });
    this.journal.add("TaskSucceeded", { ...RESOURCE, output, outputDetails: { truncated: false } });
    this.take(token)?.resolve(JSON.parse(output) as JsonValue);
  }

  /** SendTaskFailure, or the task's Lambda failing. */
  fail(token: string, error: string, cause: string): void {
    const task = this.waiting(token);
    this.close(task, "FAILED", { error, cause });
    this.journal.add("TaskFailed", { ...RESOURCE, error, cause });
    this.take(token)?.reject(new TaskFailedError(error, cause));
  }

  /** SendTaskHeartbeat: pushes the heartbeat deadline out by HeartbeatSeconds. */
  heartbeat(token: string): void {
    const task = this.waiting(token);
    if (task.heartbeatSeconds === undefined) return;
    task.heartbeatDeadline = this.host.clock.now() + task.heartbeatSeconds * 1000;
    this.journal.changed();
    const pending = this.pending.get(token);
    if (pending) this.arm(pending);
  }

  /** Closes waiting tasks (all, or those `which` selects) when the execution or their state ends. */
  closeWaiting(status: "CLOSED" | "TIMED_OUT", which: (task: TaskRecord) => boolean = () => true): void {
    for (const task of this.journal.record.tasks) {
      if (task.status !== "WAITING" || !which(task)) continue;
      this.close(task, status, {});
      this.take(task.token)?.reject(new TaskAbandonedError());
    }
  }

  /** Forgets every pending wait without closing its task (the service is shutting down; the checkpoint stays). */
  abandonAll(): void {
    for (const token of [...this.pending.keys()]) this.take(token)?.reject(new TaskAbandonedError());
  }

  /** The task of `token` if it still waits; otherwise the AWS error for a closed or unknown token. */
  waiting(token: string): TaskRecord {
    const task = this.journal.record.tasks.find((t) => t.token === token);
    if (!task) throw new SfnApiError("TaskDoesNotExist", "Task does not exist");
    if (task.status === "TIMED_OUT") throw new SfnApiError("TaskTimedOut", "Task Timed Out");
    if (task.status !== "WAITING") throw new SfnApiError("TaskDoesNotExist", "Task does not exist anymore");
    return task;
  }

  private close(task: TaskRecord, status: TaskRecord["status"], fields: Partial<TaskRecord>): void {
    Object.assign(task, fields, { status });
    this.journal.changed();
  }

  private take(token: string): Pending | undefined {
    const pending = this.pending.get(token);
    if (!pending) return undefined;
    this.pending.delete(token);
    pending.timer?.abort();
    return pending;
  }

  /** One clock sleep per waiting task, until the earlier of its task and heartbeat deadlines. */
  private arm(pending: Pending): void {
    pending.timer?.abort();
    const { task } = pending;
    const next = Math.min(
      task.deadline ?? Number.POSITIVE_INFINITY,
      task.heartbeatDeadline ?? Number.POSITIVE_INFINITY,
    );
    if (next === Number.POSITIVE_INFINITY) return;
    const timer = new AbortController();
    pending.timer = timer;
    this.host.clock.sleepUntil(next, AbortSignal.any([timer.signal, this.lifetime])).then(
      () => this.checkDeadlines(pending),
      () => {},
    );
  }

  private checkDeadlines(pending: Pending): void {
    const { task } = pending;
    if (task.status !== "WAITING" || this.pending.get(task.token) !== pending) return;
    const now = this.host.clock.now();
    const timedOut = (task.deadline ?? Number.POSITIVE_INFINITY) <= now;
    const heartbeatMissed = (task.heartbeatDeadline ?? Number.POSITIVE_INFINITY) <= now;
    if (!timedOut && !heartbeatMissed) {
      this.arm(pending);
      return;
    }
    const cause = timedOut
      ? "the task did not complete within TimeoutSeconds"
      : "no heartbeat within HeartbeatSeconds";
    this.close(task, "TIMED_OUT", { error: "States.Timeout", cause });
    this.journal.add("TaskTimedOut", { ...RESOURCE, error: "States.Timeout", cause });
    this.take(task.token)?.reject(new this.host.TimeoutError());
  }
}
