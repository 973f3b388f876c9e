import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../../local/duration";

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

describe("formatDuration", () => {
  it.each([
    [1.5 * DAY, "1d 12h"],
    [10 * DAY, "1w 3d"],
    [90 * SECOND, "1m 30s"],
    [250, "250ms"],
    [0, "0s"],
    [-DAY, "0s"],
  ])("writes %d ms compactly as %s, as the clock's JSON has it", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    [10 * DAY, "10 days"],
    [3 * DAY + 4 * HOUR, "3 days 4 hours"],
    [DAY, "1 day"],
    [DAY + 2 * SECOND, "1 day 2 seconds"],
    [61 * SECOND, "1 minute 1 second"],
    [500, "500 milliseconds"],
    [0.25, "less than a millisecond"],
    [0, "0 seconds"],
  ])("writes %d ms for a person as %s", (ms, text) => {
    expect(formatDuration(ms, "long")).toBe(text);
  });

  it("rounds the long form to the second, so a clock a hair off a whole day reads as that day", () => {
    expect(formatDuration(10 * DAY - 3, "long")).toBe("10 days");
    expect(formatDuration(10 * DAY + 499, "long")).toBe("10 days");
  });

  it("formats what parseDuration reads back to the same length", () => {
    expect(parseDuration(formatDuration(1.5 * DAY).replaceAll(" ", ""))).toBe(1.5 * DAY);
  });
});
