import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { formatDuration } from "./duration";
import { StartupError } from "./errors";
import type { SharedClockState } from "./lambda/shared-clock";

/** Longest delay setTimeout honours; longer ones fire at once, so long sleeps re-arm in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * How far ahead (in real ms) of the current simulated time the state file is written. After a crash the
 * clock restarts from that ceiling, so simulated time can jump forward a little but never goes backwards
 * (only a forced reset moves it back).
 */
const PERSIST_LEAD_REAL_MS = 1000;

/**
 * How far ahead of the wall clock the local clock still counts as in step: a restart at rate 1 resumes up to
 * the persistence lead ahead, and a reset may take back that little without being forced.
 */
export const IN_STEP_MS = PERSIST_LEAD_REAL_MS;

/** The clock in words, e.g. "Local time … (rate 86400×, 1 day per second; 10 days ahead of the wall clock)". */
export function clockInWords(clock: { now: string; rate: number; skewMs: number }): string {
  const rate =
    clock.rate === 1
      ? "rate 1×, real time"
      : `rate ${clock.rate}×, ${formatDuration(clock.rate * 1000, "long")} per second`;
  const skew =
    Math.abs(clock.skewMs) <= IN_STEP_MS
      ? "in step with the wall clock"
      : `${formatDuration(Math.abs(clock.skewMs), "long")} ${clock.skewMs > 0 ? "ahead of" : "behind"} the wall clock`;
  return `Local time ${clock.now} (${rate}; ${skew})`;
}

/**
 * The latest simulated time the clock reaches: the end of year 9999, far past any alliance and well inside
 * what Date represents (so every time still formats as an ISO date with a four-digit year).
 */
export const LATEST_CLOCK_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** The fastest the clock runs: about thirty years of simulated time per real second. */
export const MAX_CLOCK_RATE = 1e9;

const ClockStateSchema = z.object({
  now: z.number().finite().min(0).max(LATEST_CLOCK_MS, "is after the end of year 9999"),
  rate: z.number().positive().max(MAX_CLOCK_RATE).optional(),
});

/** A clock change that would leave the representable range (nothing changed). */
export class ClockRangeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "ClockRangeError";
  }
}

/** A reset that would move simulated time backwards and was not forced (nothing changed). */
export class ClockBackwardsError extends Error {
  constructor(
    /** How far ahead of the wall clock the clock is, in ms. */
    readonly aheadMs: number,
  ) {
    const ahead = formatDuration(aheadMs, "long");
    super(
      `the local clock is ${ahead} ahead of the wall clock: a reset would move simulated time back ${ahead}, so nothing changed`,
    );
    this.name = "ClockBackwardsError";
  }
}

/** The saved clock cannot be read; says what is wrong and how to start afresh. */
export class ClockStateError extends StartupError {
  constructor(file: string, problem: string) {
    super(
      `the saved clock ${file} is not valid (${problem}); delete that file to start the clock at the current time (data is kept)`,
    );
    this.name = "ClockStateError";
  }
}

/** Options of the local clock. */
export interface LocalClockOptions {
  /** Simulated milliseconds per real millisecond (default 1; 86_400 runs a day per second). */
  rate?: number;
  /** Where simulated time is persisted, so a restart never moves it backwards (default: not persisted). */
  stateFile?: string;
}

/** The clock was closed while something slept on it. */
export class ClockClosedError extends Error {
  constructor() {
    super("the local clock was closed");
    this.name = "ClockClosedError";
  }
}

interface Sleeper {
  until: number;
  resolve: () => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * Simulated time for the whole local cloud: it runs at `rate` times real time, can jump forward, and can be
 * reset to the wall clock. Every Wait, deadline and schedule sleeps on it with `sleepUntil`, so changing the
 * rate or advancing wakes them at the right moment without touching the workflow definitions.
 */
export class LocalClock {
  private currentRate: number;
  /** Simulated time at `anchorReal` (performance.now(), monotonic even if the system clock is adjusted). */
  private anchorSim: number;
  private anchorReal: number;
  private readonly stateFile: string | undefined;
  private persistedCeiling = Number.NEGATIVE_INFINITY;
  private readonly sleepers: Sleeper[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();
  private closed = false;

  constructor(options: LocalClockOptions = {}) {
    this.stateFile = options.stateFile;
    const saved = this.stateFile ? readClockState(this.stateFile) : undefined;
    const rate = options.rate ?? saved?.rate ?? 1;
    assertRate(rate);
    this.currentRate = rate;
    this.anchorSim = Math.max(Date.now(), saved?.now ?? Number.NEGATIVE_INFINITY);
    this.anchorReal = performance.now();
    this.persist();
  }

  /** Simulated milliseconds per real millisecond. */
  get rate(): number {
    return this.currentRate;
  }

  /** Simulated time, epoch milliseconds. */
  now(): number {
    if (this.closed) return this.anchorSim;
    // Running fast for long enough stops at the latest time the clock represents, never past it.
    const value = Math.min(
      this.anchorSim + (performance.now() - this.anchorReal) * this.currentRate,
      LATEST_CLOCK_MS,
    );
    if (this.stateFile && value > this.persistedCeiling) this.persist(value);
    return value;
  }

  /** Changes the speed of simulated time from now on; sleepers are re-evaluated. */
  setRate(rate: number): void {
    if (this.closed) throw new ClockClosedError();
    assertRate(rate);
    this.rebase();
    this.currentRate = rate;
    this.persist();
    this.changed();
  }

  /** Jumps simulated time forward by `ms` (never backwards); sleepers whose time has come wake up. */
  advance(ms: number): void {
    if (this.closed) throw new ClockClosedError();
    if (!Number.isFinite(ms) || ms < 0)
      throw new ClockRangeError(`advance: ms must be a finite number >= 0, got ${ms}`);
    this.rebase();
    if (this.anchorSim + ms > LATEST_CLOCK_MS) {
      throw new ClockRangeError(
        `advancing ${ms} ms would take the clock past the end of year 9999 (it is ${new Date(this.anchorSim).toISOString()})`,
      );
    }
    this.anchorSim += ms;
    this.persist();
    this.changed();
  }

  /**
   * Puts the clock back in step with the wall clock, at rate 1, and saves that. A clock behind the wall clock
   * (it ran slower than real time) jumps forward as with `advance`. A clock more than IN_STEP_MS ahead would
   * move backwards: that throws ClockBackwardsError (nothing changed) unless `allowBackwards`. Moving back
   * undoes nothing: what already woke (a passed deadline, a fired schedule, an elapsed Wait) stays done, and
   * every sleeper still pending keeps its simulated time and wakes when the clock reaches it again.
   */
  reset(options: { allowBackwards?: boolean } = {}): void {
    if (this.closed) throw new ClockClosedError();
    this.rebase();
    const wall = Date.now();
    const aheadMs = this.anchorSim - wall;
    if (aheadMs > IN_STEP_MS && !options.allowBackwards) throw new ClockBackwardsError(aheadMs);
    this.anchorSim = wall;
    this.currentRate = 1;
    // Overwrites the saved ceiling too, or the next start would resume from the time before the reset.
    this.persist();
    this.changed();
  }

  /**
   * Resolves when simulated time reaches `epochMs` (at once if it already has). Rejects with the signal's
   * reason when aborted, or with ClockClosedError when the clock closes first.
   */
  sleepUntil(epochMs: number, signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.reject(new ClockClosedError());
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (epochMs <= this.now()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        until: epochMs,
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.remove(sleeper);
          reject(signal?.reason);
          this.arm();
        },
      };
      signal?.addEventListener("abort", sleeper.onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.arm();
    });
  }

  /** The clock's state as function containers read it (see lambda/shared-clock.ts); 0 rate once closed. */
  sharedState(): SharedClockState {
    return {
      anchorSimMs: this.anchorSim,
      anchorRealEpochMs: performance.timeOrigin + this.anchorReal,
      rate: this.closed ? 0 : this.currentRate,
      latestMs: LATEST_CLOCK_MS,
    };
  }

  /** The clock as /local/clock answers it: ISO time, rate, and how far ahead of the wall clock (words and signed ms). */
  state(): { now: string; rate: number; skew: string; skewMs: number } {
    const now = this.now();
    const skewMs = now - Date.now();
    return { now: new Date(now).toISOString(), rate: this.rate, skew: formatDuration(skewMs), skewMs };
  }

  /** Calls `listener` after every rate change or jump; returns a function that unsubscribes. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the clock where it is, persists it, and rejects every pending sleeper so nothing keeps the process alive. */
  close(): void {
    if (this.closed) return;
    // A closed clock stands still at the time it persisted, so nothing read later is lost by a restart.
    this.rebase();
    this.persist(this.anchorSim, 0);
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const sleeper of this.sleepers.splice(0)) {
      sleeper.signal?.removeEventListener("abort", sleeper.onAbort);
      sleeper.reject(new ClockClosedError());
    }
    this.listeners.clear();
  }

  private rebase(): void {
    const real = performance.now();
    this.anchorSim = Math.min(this.anchorSim + (real - this.anchorReal) * this.currentRate, LATEST_CLOCK_MS);
    this.anchorReal = real;
  }

  private changed(): void {
    this.wake();
    for (const listener of this.listeners) listener();
  }

  private remove(sleeper: Sleeper): void {
    const index = this.sleepers.indexOf(sleeper);
    if (index >= 0) this.sleepers.splice(index, 1);
  }

  /** Resolves every sleeper whose time has come, then arms one real timer for the earliest remaining one. */
  private wake(): void {
    const now = this.now();
    for (const sleeper of this.sleepers.filter((s) => s.until <= now)) {
      this.remove(sleeper);
      sleeper.signal?.removeEventListener("abort", sleeper.onAbort);
      sleeper.resolve();
    }
    this.arm();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || this.sleepers.length === 0) return;
    const earliest = Math.min(...this.sleepers.map((s) => s.until));
    const realDelay = Math.ceil((earliest - this.now()) / this.currentRate);
    this.timer = setTimeout(() => this.wake(), Math.min(Math.max(realDelay, 0), MAX_TIMER_MS));
  }

  /** Writes a ceiling a little ahead of `value`, so a crash never restarts the clock behind what was read. */
  private persist(
    value = this.anchorSim + (performance.now() - this.anchorReal) * this.currentRate,
    leadRealMs = PERSIST_LEAD_REAL_MS,
  ): void {
    if (!this.stateFile || this.closed) return;
    // Never saved past the latest time, or the next start would refuse the file.
    const ceiling = Math.min(value + leadRealMs * this.currentRate, LATEST_CLOCK_MS);
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ now: ceiling, rate: this.currentRate }));
    renameSync(tmp, this.stateFile);
    this.persistedCeiling = ceiling;
  }
}

function assertRate(rate: number): void {
  if (!Number.isFinite(rate) || rate <= 0 || rate > MAX_CLOCK_RATE)
    throw new ClockRangeError(`clock rate must be a number > 0 and at most ${MAX_CLOCK_RATE}, got ${rate}`);
}

function readClockState(file: string): z.infer<typeof ClockStateSchema> | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const parsed = ClockStateSchema.safeParse(safeJson(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ClockStateError(
      file,
      issue ? `${issue.path.join(".") || "file"}: ${issue.message}` : "unreadable",
    );
  }
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
