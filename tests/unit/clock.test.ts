import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ClockBackwardsError,
  ClockClosedError,
  ClockRangeError,
  ClockStateError,
  IN_STEP_MS,
  LocalClock,
} from "../../local/clock";

const DAY = 86_400_000;

/** Tracks whether a promise has settled. */
function watch(promise: Promise<unknown>): { settled: boolean; outcome: Promise<unknown> } {
  const state = { settled: false, outcome: promise };
  promise.then(
    () => {
      state.settled = true;
    },
    () => {
      state.settled = true;
    },
  );
  return state;
}

describe("LocalClock on simulated real time", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs at its rate and jumps forward on advance", () => {
    const clock = new LocalClock({ rate: 60 });
    const start = clock.now();
    vi.advanceTimersByTime(1000);
    expect(clock.now() - start).toBeCloseTo(60_000, 0);
    clock.advance(DAY);
    expect(clock.now() - start).toBeCloseTo(DAY + 60_000, 0);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    clock.close();
  });

  it("wakes a sleeper when its time comes, not before", async () => {
    const clock = new LocalClock({ rate: 1000 });
    const sleeper = watch(clock.sleepUntil(clock.now() + 60_000));
    await vi.advanceTimersByTimeAsync(59);
    expect(sleeper.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(sleeper.settled).toBe(true);
    clock.close();
  });

  it("wakes sleepers whose time an advance passes, and only those", async () => {
    const clock = new LocalClock();
    const soon = watch(clock.sleepUntil(clock.now() + 30 * DAY));
    const later = watch(clock.sleepUntil(clock.now() + 60 * DAY));
    clock.advance(30 * DAY);
    await vi.advanceTimersByTimeAsync(0);
    expect([soon.settled, later.settled]).toEqual([true, false]);
    clock.close();
  });

  it("re-evaluates sleepers when the rate changes", async () => {
    const clock = new LocalClock();
    const sleeper = watch(clock.sleepUntil(clock.now() + DAY));
    clock.setRate(DAY);
    await vi.advanceTimersByTimeAsync(1);
    expect(sleeper.settled).toBe(true);
    clock.close();
  });

  it("sleeps longer than setTimeout allows without firing early", async () => {
    const clock = new LocalClock();
    const sleeper = watch(clock.sleepUntil(clock.now() + 40 * DAY));
    await vi.advanceTimersByTimeAsync(39 * DAY);
    expect(sleeper.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(DAY);
    expect(sleeper.settled).toBe(true);
    clock.close();
  });

  it("settles pending sleepers on close and on abort", async () => {
    const clock = new LocalClock();
    const aborter = new AbortController();
    const aborted = clock.sleepUntil(clock.now() + DAY, aborter.signal);
    aborter.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    const pending = clock.sleepUntil(clock.now() + DAY);
    clock.close();
    await expect(pending).rejects.toBeInstanceOf(ClockClosedError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("tells listeners about rate changes and jumps", () => {
    const clock = new LocalClock();
    const listener = vi.fn();
    const unsubscribe = clock.onChange(listener);
    clock.setRate(2);
    clock.advance(1000);
    unsubscribe();
    clock.advance(1000);
    expect(listener).toHaveBeenCalledTimes(2);
    expect(clock.rate).toBe(2);
    clock.close();
  });
});

describe("LocalClock with a state file", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "concord-clock-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("never goes backwards across a restart, even without a clean close", () => {
    const stateFile = path.join(dir, "clock.json");
    const first = new LocalClock({ stateFile, rate: 3600 });
    first.advance(10 * DAY);
    const seen = first.now();

    const second = new LocalClock({ stateFile });
    expect(second.now()).toBeGreaterThanOrEqual(seen);
    expect(second.rate).toBe(3600);
    second.close();
    const closedAt = second.now();

    const third = new LocalClock({ stateFile, rate: 1 });
    expect(third.now()).toBeGreaterThanOrEqual(closedAt);
    expect(third.now()).toBeLessThan(closedAt + DAY);
    third.close();
    first.close();
  });
});

describe("LocalClock at the edge of time", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "concord-clock-edge-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses an advance past the end of year 9999 and neither moves nor saves the clock", async () => {
    const stateFile = path.join(dir, "clock.json");
    const clock = new LocalClock({ stateFile });
    const before = clock.now();
    const saved = readFileSync(stateFile, "utf8");
    expect(() => clock.advance(20_000_000 * 7 * DAY)).toThrow(ClockRangeError);
    expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow(ClockRangeError);
    expect(clock.now() - before).toBeLessThan(60_000);
    expect(readFileSync(stateFile, "utf8")).toBe(saved);
    clock.close();
    // The saved clock still starts.
    new LocalClock({ stateFile }).close();
  });

  it("says what is wrong with a corrupt saved clock and how to start afresh", async () => {
    const stateFile = path.join(dir, "clock.json");
    writeFileSync(stateFile, JSON.stringify({ now: 8.64e20, rate: 1 }));
    expect(() => new LocalClock({ stateFile })).toThrow(ClockStateError);
    expect(() => new LocalClock({ stateFile })).toThrow(
      /now: is after the end of year 9999.*delete that file/,
    );
    writeFileSync(stateFile, "{not json");
    expect(() => new LocalClock({ stateFile })).toThrow(/not valid.*delete that file/);
  });
});

describe("LocalClock reset", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "concord-clock-reset-"));
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses to move a clock that is ahead back to the wall clock unless forced, and changes nothing", () => {
    const stateFile = path.join(dir, "clock.json");
    const clock = new LocalClock({ stateFile, rate: 3600 });
    clock.advance(10 * DAY);
    const before = clock.now();
    const saved = readFileSync(stateFile, "utf8");

    expect(() => clock.reset()).toThrow(ClockBackwardsError);
    expect(() => clock.reset()).toThrow(/10 days ahead of the wall clock.*back 10 days, so nothing changed/);

    expect(clock.now()).toBe(before);
    expect(clock.rate).toBe(3600);
    expect(readFileSync(stateFile, "utf8")).toBe(saved);
    clock.close();
  });

  it("moves a forced reset back to the wall clock at rate 1 and saves it, so a restart resumes there", () => {
    const stateFile = path.join(dir, "clock.json");
    const clock = new LocalClock({ stateFile, rate: 3600 });
    clock.advance(10 * DAY);

    clock.reset({ allowBackwards: true });

    expect(clock.now()).toBe(Date.now());
    expect(clock.rate).toBe(1);
    clock.close();
    const restarted = new LocalClock({ stateFile });
    expect(restarted.now() - Date.now()).toBeLessThanOrEqual(IN_STEP_MS);
    expect(restarted.rate).toBe(1);
    restarted.close();
  });

  it("leaves what already woke done and wakes pending sleepers when the clock reaches their time again", async () => {
    const clock = new LocalClock();
    const start = clock.now();
    const passed = watch(clock.sleepUntil(start + 2 * DAY));
    const pending = watch(clock.sleepUntil(start + 5 * DAY));
    clock.advance(3 * DAY);
    await vi.advanceTimersByTimeAsync(0);
    expect([passed.settled, pending.settled]).toEqual([true, false]);

    clock.reset({ allowBackwards: true });
    await vi.advanceTimersByTimeAsync(4 * DAY);
    expect(pending.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(DAY);
    expect(pending.settled).toBe(true);
    clock.close();
  });

  it("moves a clock that ran slow forward without force, waking the sleepers it passes", async () => {
    const clock = new LocalClock({ rate: 0.5 });
    const start = clock.now();
    const sleeper = watch(clock.sleepUntil(start + 90_000));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(sleeper.settled).toBe(false);

    clock.reset();
    await vi.advanceTimersByTimeAsync(0);

    expect(sleeper.settled).toBe(true);
    expect(clock.now()).toBe(Date.now());
    expect(clock.rate).toBe(1);
    clock.close();
  });

  it("counts a clock less than a second ahead as in step and resets it without force", () => {
    const clock = new LocalClock();
    clock.advance(IN_STEP_MS);
    const listener = vi.fn();
    clock.onChange(listener);

    clock.reset();

    expect(clock.now()).toBe(Date.now());
    expect(listener).toHaveBeenCalledTimes(1);
    clock.close();
  });

  it("refuses a reset once closed", () => {
    const clock = new LocalClock();
    clock.close();
    expect(() => clock.reset()).toThrow(ClockClosedError);
  });
});
