import { describe, expect, it } from "vitest";
import { parseWith, ReviewAnswerSchema, reviewOutcome } from "../../../functions/domain";

const answer = (over: Record<string, unknown> = {}) => ({
  strategicFit: 4,
  goals: [{ action: "keep" }, { action: "drop" }],
  stance: "continue",
  ...over,
});

describe("a realignment review answer", () => {
  it("takes a score, an action per goal and a stance", () => {
    expect(parseWith(ReviewAnswerSchema, answer()).ok).toBe(true);
  });

  it("needs the new wording of a goal it changes", () => {
    const parsed = parseWith(ReviewAnswerSchema, answer({ goals: [{ action: "change" }] }));
    expect(parsed.ok ? [] : parsed.errors).toEqual([
      { path: "goals[0].wording", message: "is required to change a goal: write the goal as it should read" },
    ]);
  });

  it.each([
    [{ strategicFit: 0 }, "strategicFit"],
    [{ strategicFit: 6 }, "strategicFit"],
    [{ strategicFit: 3.5 }, "strategicFit"],
    [{ stance: "maybe" }, "stance"],
    [{ goals: [{ action: "merge" }] }, "goals[0].action"],
  ])("refuses %o at %s", (over, path) => {
    const parsed = parseWith(ReviewAnswerSchema, answer(over));
    expect(parsed.ok ? [] : parsed.errors.map((e) => e.path)).toContain(path);
  });
});

describe("a review's outcome", () => {
  it("is an exit recommendation when continuing is not carried, whatever the goals", () => {
    expect(reviewOutcome(false, [{ goals: [{ action: "keep" }] }])).toBe("exit-recommended");
  });

  it("adjusts the goals when the partners continue and one would change or drop a goal", () => {
    expect(reviewOutcome(true, [{ goals: [{ action: "keep" }] }, { goals: [{ action: "drop" }] }])).toBe(
      "adjust-goals",
    );
  });

  it("continues when the partners continue and keep every goal", () => {
    expect(reviewOutcome(true, [{ goals: [{ action: "keep" }] }, { goals: [] }])).toBe("continue");
  });
});
