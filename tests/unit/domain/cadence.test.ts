import { describe, expect, it } from "vitest";
import {
  expectedCadence,
  firstReviewDate,
  InvalidDateError,
  nextReviewDate,
  parseWith,
  ReviewSchema,
  reviewCadenceOf,
  reviewRulesOf,
} from "../../../functions/domain";

describe("nextReviewDate", () => {
  it.each([
    ["2026-01-15T09:30:00Z", "quarterly", "2026-04-15T09:30:00Z"],
    ["2026-01-15T09:30:00Z", "semiannual", "2026-07-15T09:30:00Z"],
    ["2026-01-15T09:30:00Z", "annual", "2027-01-15T09:30:00Z"],
    ["2026-11-20T00:00:00Z", "quarterly", "2027-02-20T00:00:00Z"],
    ["2026-01-31T12:00:00Z", "quarterly", "2026-04-30T12:00:00Z"],
    ["2026-08-31T12:00:00Z", "semiannual", "2027-02-28T12:00:00Z"],
    ["2024-02-29T08:00:00Z", "annual", "2025-02-28T08:00:00Z"],
    ["2027-11-30T08:00:00Z", "quarterly", "2028-02-29T08:00:00Z"],
  ] as const)("from %s, %s → %s", (from, cadence, due) => {
    expect(nextReviewDate(from, cadence)).toBe(due);
  });

  it("accepts a Date or epoch milliseconds and drops the milliseconds", () => {
    const from = Date.UTC(2026, 2, 10, 14, 5, 7, 999);

    expect(nextReviewDate(from, "quarterly")).toBe("2026-06-10T14:05:07Z");
    expect(nextReviewDate(new Date(from), "quarterly")).toBe("2026-06-10T14:05:07Z");
  });

  it("refuses a date it cannot read", () => {
    expect(() => nextReviewDate("next spring", "quarterly")).toThrow(InvalidDateError);
    expect(() => nextReviewDate(Number.NaN, "annual")).toThrow(InvalidDateError);
  });
});

describe("expectedCadence", () => {
  it("reviews fast markets quarterly, moderate ones twice a year, slow ones yearly", () => {
    expect(expectedCadence("fast")).toBe("quarterly");
    expect(expectedCadence("moderate")).toBe("semiannual");
    expect(expectedCadence("slow")).toBe("annual");
  });

  it("falls back to semiannual reviews when the charter sets no cadence", () => {
    expect(reviewCadenceOf(undefined)).toBe("semiannual");
    expect(reviewCadenceOf({ cadence: "quarterly", marketPace: "fast" })).toBe("quarterly");
  });
});

describe("the charter's review rules", () => {
  it("fills the playbook's defaults where the charter is silent", () => {
    expect(reviewRulesOf(undefined)).toEqual({
      cadence: "semiannual",
      missedAnswer: "abstain",
      missedAnswerWithdrawal: 1,
      checkIns: { everyMonths: 1, threshold: 2.5 },
    });
  });

  it("takes the charter's missed-answer rule, withdrawal size and check-in settings, or check-ins off", () => {
    const review = ReviewSchema.parse({
      cadence: "quarterly",
      marketPace: "fast",
      missedAnswer: "against",
      missedAnswerWithdrawal: 3,
      checkIns: { everyMonths: 2 },
    });
    expect(reviewRulesOf(review)).toEqual({
      cadence: "quarterly",
      missedAnswer: "against",
      missedAnswerWithdrawal: 3,
      checkIns: { everyMonths: 2, threshold: 2.5 },
    });
    const off = ReviewSchema.parse({ cadence: "annual", marketPace: "slow", checkIns: "off" });
    expect(reviewRulesOf(off).checkIns).toBeUndefined();
  });

  it.each([
    [{ missedAnswer: "maybe" }, "missedAnswer"],
    [{ missedAnswerWithdrawal: 11 }, "missedAnswerWithdrawal"],
    [{ checkIns: { everyMonths: 0 } }, "checkIns"],
    [{ checkIns: { threshold: 6 } }, "checkIns"],
  ])("refuses %o, naming %s", (over, field) => {
    const parsed = parseWith(ReviewSchema, { cadence: "annual", marketPace: "slow", ...over });
    expect(parsed.ok ? [] : parsed.errors.map((e) => e.path.split(/[.[]/)[0])).toContain(field);
  });
});

describe("firstReviewDate", () => {
  const ACTIVATED = "2026-03-10T09:00:00Z";

  it("keeps the cadence when the alliance runs longer than one cadence period", () => {
    expect(firstReviewDate(ACTIVATED, "quarterly", 18)).toBe("2026-06-10T09:00:00Z");
    expect(firstReviewDate(ACTIVATED, "semiannual", 7)).toBe("2026-09-10T09:00:00Z");
  });

  it("reviews a short alliance halfway through its expected duration instead of after it ended", () => {
    expect(firstReviewDate(ACTIVATED, "semiannual", 4)).toBe("2026-05-10T09:00:00Z");
    expect(firstReviewDate(ACTIVATED, "quarterly", 3)).toBe("2026-04-10T09:00:00Z");
    expect(firstReviewDate(ACTIVATED, "annual", 1)).toBe("2026-04-10T09:00:00Z");
  });
});
