import { describe, expect, it } from "vitest";
import type { ClockState } from "../../../cli/commands";
import { clockInWords } from "../../../local/clock";

const DAY = 86_400_000;
const HOUR = 3_600_000;

const clock = (rate: number, skewMs: number): ClockState => ({
  now: "2031-05-01T12:00:00.000Z",
  rate,
  skew: "ignored by the text",
  skewMs,
});

describe("clockInWords", () => {
  it("says how far ahead of the wall clock the local clock is in days and hours", () => {
    expect(clockInWords(clock(1, 10 * DAY))).toBe(
      "Local time 2031-05-01T12:00:00.000Z (rate 1×, real time; 10 days ahead of the wall clock)",
    );
    expect(clockInWords(clock(1, 3 * DAY + 4 * HOUR))).toContain("3 days 4 hours ahead of the wall clock");
  });

  it("puts a fast rate in simulated time per second alongside the number", () => {
    expect(clockInWords(clock(86_400, 0))).toContain("rate 86400×, 1 day per second");
    expect(clockInWords(clock(3600, 0))).toContain("rate 3600×, 1 hour per second");
    expect(clockInWords(clock(0.5, 0))).toContain("rate 0.5×, 500 milliseconds per second");
  });

  it("calls a clock within a second of the wall clock in step, and one that ran slow behind", () => {
    expect(clockInWords(clock(1, 800))).toContain("in step with the wall clock");
    expect(clockInWords(clock(1, -800))).toContain("in step with the wall clock");
    expect(clockInWords(clock(0.5, -2 * HOUR))).toContain("2 hours behind the wall clock");
  });

  it("never prints a raw count of seconds", () => {
    expect(clockInWords(clock(86_400, 10 * DAY))).not.toMatch(/\d+s\b/);
  });
});
