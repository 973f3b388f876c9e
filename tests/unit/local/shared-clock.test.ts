import { describe, expect, it } from "vitest";
import { createSharedClock, sharedClockReader, writeSharedClock } from "../../../local/lambda/shared-clock";

const realNow = () => performance.timeOrigin + performance.now();

describe("the clock every function container reads", () => {
  it("runs from its anchor at its rate", () => {
    const anchorReal = realNow() - 1_000;
    const buffer = createSharedClock({
      anchorSimMs: Date.UTC(2030, 0, 1),
      anchorRealEpochMs: anchorReal,
      rate: 86_400,
      latestMs: Number.MAX_SAFE_INTEGER,
    });
    const elapsedDays = (sharedClockReader(buffer)() - Date.UTC(2030, 0, 1)) / 86_400_000;
    // One real second (and a little) at a day per second.
    expect(elapsedDays).toBeGreaterThanOrEqual(1);
    expect(elapsedDays).toBeLessThan(1.5);
  });

  it("shows a jump to every reader at once, and never passes the latest time", () => {
    const buffer = createSharedClock({
      anchorSimMs: 0,
      anchorRealEpochMs: realNow(),
      rate: 1,
      latestMs: 10_000,
    });
    const read = sharedClockReader(buffer);
    expect(read()).toBeLessThan(1_000);
    writeSharedClock(buffer, { anchorSimMs: 5_000, anchorRealEpochMs: realNow(), rate: 1, latestMs: 10_000 });
    expect(read()).toBeGreaterThanOrEqual(5_000);
    writeSharedClock(buffer, {
      anchorSimMs: 9_999,
      anchorRealEpochMs: realNow(),
      rate: 1e9,
      latestMs: 10_000,
    });
    expect(read()).toBe(10_000);
  });

  it("stands still at rate 0 (a closed clock)", () => {
    const buffer = createSharedClock({
      anchorSimMs: 42,
      anchorRealEpochMs: realNow() - 5_000,
      rate: 0,
      latestMs: 1e15,
    });
    expect(sharedClockReader(buffer)()).toBe(42);
  });
});
