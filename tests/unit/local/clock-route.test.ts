import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LocalClock } from "../../../local/clock";
import { changeClock } from "../../../local/http-front";

const DAY = 86_400_000;

interface Refusal {
  message: string;
  errors: { path: string; message: string }[];
}

describe("POST /local/clock", () => {
  let clock: LocalClock;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
    clock = new LocalClock();
  });
  afterEach(() => {
    clock.close();
    vi.useRealTimers();
  });

  it.each([
    ["reset that is not true", { reset: false }, "reset", /reset must be true/],
    ["reset that is not a boolean", { reset: "yes" }, "reset", /reset must be true/],
    ["force that is not a boolean", { reset: true, force: "yes" }, "force", /force must be true or false/],
    ["force without a reset", { force: true }, "force", /only applies to a reset/],
    ["a reset with an advance", { reset: true, advance: "3d" }, "advance", /cannot be combined with reset/],
    ["a reset with a rate", { reset: true, rate: 2 }, "rate", /cannot be combined with reset/],
  ])("refuses %s with a 400 naming the field, and changes nothing", (_what, body, field, message) => {
    clock.advance(DAY);
    const before = clock.now();

    const answer = changeClock(clock, body);

    expect(answer.status).toBe(400);
    const refusal = answer.body as Refusal;
    expect(refusal.errors.map((e) => e.path)).toEqual([field]);
    expect(refusal.errors[0]?.message).toMatch(message);
    expect(clock.now()).toBe(before);
  });

  it("names an unknown field in its 400", () => {
    const answer = changeClock(clock, { resett: true });

    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain("resett");
  });

  it("refuses a reset that would move time back with a 409 that asks for force, and changes nothing", () => {
    clock.setRate(86_400);
    clock.advance(10 * DAY);
    const before = clock.now();

    const answer = changeClock(clock, { reset: true });

    expect(answer.status).toBe(409);
    const refusal = answer.body as Refusal;
    expect(refusal.message).toMatch(/10 days ahead of the wall clock/);
    expect(refusal.errors.map((e) => e.path)).toEqual(["force"]);
    expect(refusal.errors[0]?.message).toMatch(/deadlines already passed stay passed/);
    expect(clock.now()).toBe(before);
    expect(clock.rate).toBe(86_400);
  });

  it("resets with force to the wall clock at rate 1 and answers with the clock", () => {
    clock.setRate(86_400);
    clock.advance(10 * DAY);

    const answer = changeClock(clock, { reset: true, force: true });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      now: new Date(Date.now()).toISOString(),
      rate: 1,
      skew: "0s",
      skewMs: 0,
    });
  });

  it("keeps the clock's machine fields as they were, adding the signed skew in ms", () => {
    clock.advance(10 * DAY);

    const answer = changeClock(clock, { rate: 86_400 });

    expect(answer.body).toEqual({
      now: new Date(Date.now() + 10 * DAY).toISOString(),
      rate: 86_400,
      skew: "1w 3d",
      skewMs: 10 * DAY,
    });
  });
});
