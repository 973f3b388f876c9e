import { describe, expect, it } from "vitest";
import { broughtForward, CheckInAnswerSchema, checkInFinding, parseWith } from "../../../functions/domain";

describe("a health check-in answer", () => {
  it("takes a score, a comment and an acknowledgement", () => {
    const parsed = parseWith(CheckInAnswerSchema, {
      health: 3,
      comment: "Better than last month",
      acknowledge: { partnerId: "harbor-rail", note: "Shared the forecast early" },
    });
    expect(parsed.ok).toBe(true);
  });

  it.each([
    [{ health: 0 }, "health"],
    [{ health: 2.5 }, "health"],
    [{ health: 4, acknowledge: { partnerId: "harbor-rail", note: "" } }, "acknowledge.note"],
    [{ health: 4, acknowledge: { partnerId: "Not A Slug", note: "x" } }, "acknowledge.partnerId"],
  ])("refuses %o at %s", (answer, path) => {
    const parsed = parseWith(CheckInAnswerSchema, answer);
    expect(parsed.ok ? [] : parsed.errors.map((e) => e.path)).toContain(path);
  });
});

describe("what a check-in finds", () => {
  it("averages the scores given (silence is no score) and raises the alarm below the threshold", () => {
    expect(checkInFinding([2, 1, 2], 3, 2.5)).toEqual({ average: 1.67, answered: 3, asked: 3, alarm: true });
    expect(checkInFinding([3, 2], 3, 2.5)).toEqual({ average: 2.5, answered: 2, asked: 3, alarm: false });
    expect(checkInFinding([], 3, 2.5)).toEqual({ answered: 0, asked: 3, alarm: false });
  });

  it("brings a review forward to within 14 days, never later than it was planned", () => {
    const now = Date.parse("2026-03-01T10:00:00Z");
    expect(broughtForward("2026-08-01T10:00:00Z", now)).toBe("2026-03-15T10:00:00Z");
    expect(broughtForward("2026-03-05T10:00:00Z", now)).toBe("2026-03-05T10:00:00Z");
    expect(broughtForward(undefined, now)).toBe("2026-03-15T10:00:00Z");
  });
});
