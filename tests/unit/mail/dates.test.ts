import { describe, expect, it } from "vitest";
import {
  formatDateTime,
  formatDeadline,
  formatShortDate,
  InvalidMailDateError,
  relativeTime,
} from "../../../functions/mail/dates";

const NOW = Date.parse("2025-11-28T17:00:00Z");
const HOUR = 3_600_000;

describe("dates in mail", () => {
  it("writes absolute times in UTC with the weekday", () => {
    expect(formatDateTime("2025-12-12T17:00:00Z")).toBe("Friday 12 December 2025, 17:00 UTC");
    expect(formatShortDate("2025-12-12T17:00:00Z")).toBe("12 Dec 2025");
  });

  it("says 'in 14 days' for a 14-day deadline even minutes after it was set", () => {
    const deadline = NOW + 14 * 24 * HOUR;
    expect(relativeTime(deadline, NOW)).toBe("in 14 days");
    expect(relativeTime(deadline, NOW + 5 * 60_000)).toBe("in 14 days");
    expect(formatDeadline(deadline, NOW)).toBe("Friday 12 December 2025, 17:00 UTC (in 14 days)");
  });

  it("counts hours under a day, and past times as ago", () => {
    expect(relativeTime(NOW + 24 * HOUR, NOW)).toBe("in 1 day");
    expect(relativeTime(NOW + 5 * HOUR, NOW)).toBe("in 5 hours");
    expect(relativeTime(NOW + 10 * 60_000, NOW)).toBe("in less than an hour");
    expect(relativeTime(NOW - 3 * 24 * HOUR, NOW)).toBe("3 days ago");
  });

  it("names the field when a date cannot be read", () => {
    expect(() => formatDeadline("next week", NOW)).toThrow(InvalidMailDateError);
    expect(() => formatDeadline("next week", NOW)).toThrow(/deadline/);
  });
});
