import type { CheckpointStore } from "./checkpoint-store";
import type { ExecutionRecord, HistoryEvent } from "./records";

/**
 * How long changes collect before they are written. Moments a caller relies on (a token handed out, an answer
 * acknowledged, an execution started or closed) flush at once; a crash inside the window only makes the
 * resumed run repeat its last steps, which tasks must tolerate anyway (at-least-once, as in AWS).
 */
const WRITE_BEHIND_MS = 5;

interface Waiter {
  version: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * An execution's record and history with write-behind persistence: every change is written within a few ms
 * (changes coalesce into one write), and `flush()` waits until what was changed so far is on disk — used before
 * anything a caller may rely on after a crash (a token handed out, an answer).
 */
export class ExecutionJournal {
  private readonly unwritten: HistoryEvent[] = [];
  private version = 0;
  private durable = 0;
  private writing = false;
  private scheduled = false;
  private readonly waiters: Waiter[] = [];

  constructor(
    readonly record: ExecutionRecord,
    private readonly store: CheckpointStore,
    private readonly now: () => number,
    private readonly warn: (line: string) => void,
    /** The history when known in memory (running executions); loaded on demand otherwise. */
    private history: HistoryEvent[] | undefined,
    /** Told about every event as it is added. */
    private readonly onEvent: (executionArn: string, event: HistoryEvent) => void = () => {},
  ) {}

  /** Appends an AWS-shaped history event; `details` go under the field AWS uses for that type. */
  add(type: string, details?: Record<string, unknown>): HistoryEvent {
    const id = this.record.eventCount + 1;
    this.record.eventCount = id;
    const event: HistoryEvent = { timestamp: this.now(), type, id, previousEventId: id - 1 };
    if (details) event[detailsField(type)] = details;
    this.history?.push(event);
    this.unwritten.push(event);
    this.changed();
    this.onEvent(this.record.executionArn, event);
    return event;
  }

  /** Marks the record changed; it is written soon. */
  changed(): void {
    this.version += 1;
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      void this.drain();
    }, WRITE_BEHIND_MS);
  }

  /** Flushes, then lets go of the open history file (the execution closed, or the service is closing). */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.store.release(this.record.executionArn);
    }
  }

  /** Resolves once every change made before the call is persisted. */
  flush(): Promise<void> {
    if (this.durable >= this.version) return Promise.resolve();
    const promise = new Promise<void>((resolve, reject) =>
      this.waiters.push({ version: this.version, resolve, reject }),
    );
    void this.drain();
    return promise;
  }

  /** The full history, oldest first. */
  async events(): Promise<HistoryEvent[]> {
    if (!this.history) {
      const persisted = await this.store.readHistory(this.record.executionArn);
      this.history ??= [...persisted, ...this.unwritten.filter((e) => e.id > (persisted.at(-1)?.id ?? 0))];
    }
    return this.history;
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.durable < this.version) {
        const target = this.version;
        const events = this.unwritten.splice(0);
        try {
          await this.store.write(this.record, events);
        } catch (error) {
          this.unwritten.unshift(...events);
          this.warn(`could not checkpoint ${this.record.executionArn}: ${(error as Error).message}`);
          for (const waiter of this.waiters.splice(0)) waiter.reject(error);
          return;
        }
        this.durable = target;
        for (const waiter of this.waiters.filter((w) => w.version <= target)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    } finally {
      this.writing = false;
    }
  }
}

/** `TaskStateEntered` → `stateEnteredEventDetails`, `TaskScheduled` → `taskScheduledEventDetails`, … */
function detailsField(type: string): string {
  if (type.endsWith("StateEntered")) return "stateEnteredEventDetails";
  if (type.endsWith("StateExited")) return "stateExitedEventDetails";
  return `${type[0]?.toLowerCase()}${type.slice(1)}EventDetails`;
}
