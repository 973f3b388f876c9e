import { afterEach, describe, expect, it } from "vitest";
import { LocalClock } from "../../../local/clock";
import { LocalScheduler } from "../../../local/scheduler";

const naming = { region: "us-east-1", accountId: "000000000000", stackName: "Concord" };
const ARN = "arn:aws:lambda:us-east-1:000000000000:function:sweep";
const clocks: LocalClock[] = [];
afterEach(() => {
  for (const clock of clocks.splice(0)) clock.close();
});

/** A function that fails `failures` times, recording the local time of every invocation. */
function flakyFunction(clock: LocalClock, failures: number) {
  const calls: number[] = [];
  return {
    calls,
    find: () => ({ arn: ARN }) as never,
    invoke: async () => {
      calls.push(clock.now());
      if (calls.length <= failures) throw new Error("the sweep failed");
      return null;
    },
  };
}

async function settle(clock: LocalClock, ms: number): Promise<void> {
  // Advancing wakes sleepers; a few turns of the event loop let the retry run.
  clock.advance(ms);
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe("the local EventBridge schedule", () => {
  it("retries a failed run as Lambda retries an asynchronous invocation: a minute, then two minutes later", async () => {
    const clock = new LocalClock();
    clocks.push(clock);
    const fn = flakyFunction(clock, 2);
    const scheduler = new LocalScheduler(
      [{ ruleName: "Sweep", periodMs: 3_600_000, targets: [ARN] }],
      clock,
      fn,
      naming,
    );
    const run = scheduler.fire({ ruleName: "Sweep", periodMs: 3_600_000, targets: [ARN] }, clock.now());
    await settle(clock, 0);
    expect(fn.calls).toHaveLength(1);
    await settle(clock, 60_000);
    expect(fn.calls).toHaveLength(2);
    await settle(clock, 120_000);
    await run;
    expect(fn.calls).toHaveLength(3);
    const [first = 0, second = 0, third = 0] = fn.calls;
    expect(second - first).toBeGreaterThanOrEqual(60_000);
    expect(third - second).toBeGreaterThanOrEqual(120_000);
  });

  it("gives the event up after two retries", async () => {
    const clock = new LocalClock();
    clocks.push(clock);
    const fn = flakyFunction(clock, 5);
    const scheduler = new LocalScheduler([], clock, fn, naming);
    const run = scheduler.fire({ ruleName: "Sweep", periodMs: 3_600_000, targets: [ARN] }, clock.now());
    await settle(clock, 0);
    await settle(clock, 60_000);
    await settle(clock, 120_000);
    await run;
    await settle(clock, 3_600_000);
    expect(fn.calls).toHaveLength(3);
  });

  it("keeps sweeping every period after the clock is moved back (clock reset --force)", async () => {
    const clock = new LocalClock();
    clocks.push(clock);
    const fn = flakyFunction(clock, 0);
    const scheduler = new LocalScheduler(
      [{ ruleName: "Sweep", periodMs: 3_600_000, targets: [ARN] }],
      clock,
      fn,
      naming,
    );
    scheduler.start();
    await settle(clock, 30 * 86_400_000);
    expect(fn.calls).toHaveLength(1);
    clock.reset({ allowBackwards: true });
    await settle(clock, 0);
    await settle(clock, 3_600_000);
    scheduler.stop();
    expect(fn.calls).toHaveLength(2);
    expect(fn.calls[1]).toBeLessThan(Date.now() + 2 * 3_600_000);
  });

  it("invokes nothing the function's resource policy does not let the rule invoke", async () => {
    const clock = new LocalClock();
    clocks.push(clock);
    const fn = flakyFunction(clock, 0);
    const scheduler = new LocalScheduler([], clock, fn, naming, () => false);
    await scheduler.fire({ ruleName: "Sweep", periodMs: 3_600_000, targets: [ARN] }, clock.now());
    expect(fn.calls).toEqual([]);
  });
});
