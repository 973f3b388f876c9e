import { TaskAbandonedError } from "./errors";
import { newTaskToken } from "./tokens";

/** Why a segment was cut short: a top-level Wait checkpointed, the execution closed, or the service is closing. */
export type SegmentEndReason = "wait" | "closed" | "shutdown";

interface Gate {
  name: string;
  visit: number;
  open: () => void;
}

/**
 * One interpreter run of an execution, from a top-level state until it ends, pauses at a top-level Wait or is
 * stopped. It issues task tokens, orders task events after their state's entry in the history, and settles
 * every pending Task override when it is cut short (the interpreter's own task timer would otherwise keep
 * the process alive).
 */
export class Segment {
  reason: SegmentEndReason | undefined;
  /** Aborts the interpreter run; set once the run has started. */
  abortRun: () => void = () => {};
  /** Tokens handed out through `$$.Task.Token` and not yet matched to a task. */
  readonly issued = new Set<string>();
  /** Task records of the checkpoint already matched to a task of this segment. */
  readonly claimed = new Set<string>();
  /** A top-level Wait whose time has come: the next read of its override returns 0 once. */
  releasedWait: string | undefined;
  /** A resumed segment starts with the checkpointed state, whose entry is already in the history. */
  suppressFirstEntry: boolean;
  private readonly controller = new AbortController();
  private readonly entries = new Map<string, number>();
  private readonly calls = new Map<string, number>();
  private readonly gates: Gate[] = [];
  private readonly pending = new Set<(error: Error) => void>();

  /** Whether the segment started by releasing a top-level Wait. */
  readonly startedByRelease: boolean;

  constructor(resumed: boolean, releasedWait: string | undefined) {
    this.suppressFirstEntry = resumed;
    this.releasedWait = releasedWait;
    this.startedByRelease = releasedWait !== undefined;
  }

  /** Aborted when the segment is cut short; clock sleeps of its tasks listen to it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get active(): boolean {
    return this.reason === undefined;
  }

  /** Throws TaskAbandonedError once the segment was cut short (checked after every await before a side effect). */
  assertActive(): void {
    if (this.reason !== undefined) throw new TaskAbandonedError();
  }

  /** Cuts the segment short: stops the interpreter run and settles every pending Task override. */
  end(reason: SegmentEndReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.abortRun();
    this.controller.abort();
    for (const reject of this.pending) reject(new TaskAbandonedError());
    this.pending.clear();
    for (const gate of this.gates.splice(0)) gate.open();
  }

  /** Wraps a Task override's work so that ending the segment settles it at once. */
  track<T>(work: Promise<T>): Promise<T> {
    if (this.reason !== undefined) return Promise.reject(new TaskAbandonedError());
    return new Promise<T>((resolve, reject) => {
      this.pending.add(reject);
      work.then(
        (value) => {
          this.pending.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.pending.delete(reject);
          reject(error);
        },
      );
    });
  }

  /** A fresh token for `$$.Task.Token`. */
  issueToken(): string {
    const token = newTaskToken();
    this.issued.add(token);
    return token;
  }

  /** Records that the history now holds an entry of state `name`. */
  markEntered(name: string): void {
    const entries = (this.entries.get(name) ?? 0) + 1;
    this.entries.set(name, entries);
    for (const gate of this.gates.filter((g) => g.name === name && g.visit <= entries)) {
      this.gates.splice(this.gates.indexOf(gate), 1);
      gate.open();
    }
  }

  /**
   * Resolves once the entry of the visit of state `name` this Task override belongs to is in the history. The
   * interpreter calls the override synchronously while its entry event is still queued; task events must follow it.
   */
  entered(name: string): Promise<void> {
    const visit = (this.calls.get(name) ?? 0) + 1;
    this.calls.set(name, visit);
    if ((this.entries.get(name) ?? 0) >= visit) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const gate: Gate = { name, visit, open: resolve };
      this.gates.push(gate);
      // The entry event arrives within the same macrotask; never wait longer than that if it did not.
      setImmediate(() => {
        const index = this.gates.indexOf(gate);
        if (index >= 0) this.gates.splice(index, 1);
        resolve();
      });
    });
  }
}
