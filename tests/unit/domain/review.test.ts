import { describe, expect, it } from "vitest";
import {
  type DecisionRule,
  decideReview,
  type GoalAnswer,
  parseWith,
  type ReviewAnswer,
  ReviewAnswerSchema,
  type ReviewDecisionInput,
} from "../../../functions/domain";
import { exampleDraft } from "./fixtures";

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

// Northwind (large, 4), Harbor & Rail (medium, 4), Clean Corridors (small, 2): total weight 10.
const partners = exampleDraft("pilot-three-partners.json").partners;
const NW = "northwind-telematics";
const HR = "harbor-rail";
const CC = "clean-corridors";
const GOALS = ["Cut empty truck kilometres by 20%", "Share one booking API"];

type Answer = Pick<ReviewAnswer, "goals" | "stance" | "cadence">;
const keepAll: Answer = { stance: "continue", goals: [{ action: "keep" }, { action: "keep" }] };
const change = (wording: string): GoalAnswer => ({ action: "change", wording });
const decide = (
  answers: Record<string, Answer>,
  rule: DecisionRule = { kind: "consensus" },
  extra: Partial<ReviewDecisionInput> = {},
) =>
  decideReview({
    strategy: { rule, critical: false },
    partners,
    goals: GOALS,
    answers: new Map(Object.entries(answers)),
    missedAnswer: "abstain",
    cadence: "quarterly",
    ...extra,
  });
const majority: DecisionRule = { kind: "weighted-majority", threshold: 0.6 };

describe("a review's decision", () => {
  it("continues, goals untouched, when everyone continues and keeps every goal", () => {
    const decision = decide({ [NW]: keepAll, [HR]: keepAll, [CC]: keepAll });
    expect(decision).toMatchObject({ outcome: "continue", goals: GOALS, changes: [] });
    expect(decision.reason).toBe(
      "The partners chose to continue (Approved by consensus: all 3 partners approved.).",
    );
  });

  it("recommends an exit when continuing is not carried, whatever the goals", () => {
    const leave: Answer = { ...keepAll, stance: "leave" };
    expect(decide({ [NW]: keepAll, [HR]: keepAll, [CC]: leave }).outcome).toBe("exit-recommended");
    // Under a weighted majority the big two carry continuing (8 of 10) and the small partner's wish to leave is a dispute.
    const decision = decide({ [NW]: keepAll, [HR]: keepAll, [CC]: leave }, majority);
    expect(decision.outcome).toBe("escalate");
    expect(decision.reason).toContain("but Clean Corridors Trust would leave");
  });

  it("counts a missed answer by the charter: an abstention blocks consensus; 'against' sinks a majority", () => {
    expect(decide({ [NW]: keepAll, [HR]: keepAll }).outcome).toBe("exit-recommended");
    // 8 of 10 continue; the missed 2 abstain (still in the total): 0.8 ≥ 0.6.
    expect(decide({ [NW]: keepAll, [HR]: keepAll }, majority).outcome).toBe("continue");
    expect(decide({ [NW]: keepAll }, majority, { missedAnswer: "abstain" }).outcome).toBe("exit-recommended");
    expect(
      decide(
        { [NW]: keepAll, [HR]: keepAll },
        { kind: "weighted-majority", threshold: 0.85 },
        { missedAnswer: "against" },
      ).outcome,
    ).toBe("exit-recommended");
  });

  it("adjusts the goals that a carried proposal changes or drops, and keeps the rest", () => {
    const proposal: Answer = {
      stance: "continue",
      goals: [change("Cut empty kilometres by 30%"), { action: "drop" }],
    };
    const decision = decide({ [NW]: proposal, [HR]: proposal, [CC]: keepAll }, majority);
    expect(decision).toEqual({
      outcome: "adjust-goals",
      reason: expect.stringContaining("carried 2 goal change(s)"),
      goals: ["Cut empty kilometres by 30%"],
      changes: [{ before: GOALS[0], after: "Cut empty kilometres by 30%" }, { before: GOALS[1] }],
    });
  });

  it("keeps a goal when a proposal to change it is not carried", () => {
    const lone: Answer = { stance: "continue", goals: [{ action: "drop" }, { action: "keep" }] };
    expect(decide({ [NW]: keepAll, [HR]: keepAll, [CC]: lone }, majority)).toMatchObject({
      outcome: "continue",
      goals: GOALS,
    });
    // Consensus: one partner alone cannot drop a goal either.
    expect(decide({ [NW]: keepAll, [HR]: keepAll, [CC]: lone }).outcome).toBe("continue");
  });

  it("escalates when the partners agree a goal must change but carry no one wording", () => {
    const a: Answer = {
      stance: "continue",
      goals: [change("Cut empty kilometres by 25%"), { action: "keep" }],
    };
    const b: Answer = {
      stance: "continue",
      goals: [change("Cut empty kilometres by 40%"), { action: "keep" }],
    };
    const decision = decide({ [NW]: a, [HR]: b, [CC]: b }, { kind: "weighted-majority", threshold: 0.9 });
    expect(decision.outcome).toBe("escalate");
    expect(decision.reason).toContain(`"${GOALS[0]}" must change, but no one proposal was carried`);
    expect(decision.goals).toEqual(GOALS);
  });

  it("treats the same wording with other spacing as one proposal, and a missing goal answer as keep", () => {
    const a: Answer = { stance: "continue", goals: [change("Cut empty kilometres by 30%")] };
    const b: Answer = { stance: "continue", goals: [change("  Cut empty kilometres by 30%  ")] };
    expect(decide({ [NW]: a, [HR]: b, [CC]: a }).goals).toEqual(["Cut empty kilometres by 30%", GOALS[1]]);
  });

  it("adopts a new review cadence that the partners carry, and keeps the charter's when they do not", () => {
    const annual: Answer = { ...keepAll, cadence: "annual" };
    expect(decide({ [NW]: annual, [HR]: annual, [CC]: annual })).toMatchObject({
      outcome: "adjust-goals",
      cadence: "annual",
      goals: GOALS,
      reason: expect.stringContaining("carried annual reviews from now on"),
    });
    const lone = decide({ [NW]: annual, [HR]: keepAll, [CC]: keepAll }, majority);
    expect(lone.outcome).toBe("continue");
    expect(lone.cadence).toBeUndefined();
    // Proposing the cadence the charter already has is no change.
    expect(decide({ [NW]: { ...keepAll, cadence: "quarterly" }, [HR]: keepAll, [CC]: keepAll }).outcome).toBe(
      "continue",
    );
  });

  it("escalates instead of dropping every goal", () => {
    const dropAll: Answer = { stance: "continue", goals: [{ action: "drop" }, { action: "drop" }] };
    expect(decide({ [NW]: dropAll, [HR]: dropAll, [CC]: dropAll }).outcome).toBe("escalate");
  });

  it("lets a small partner's veto block a critical goal change", () => {
    const proposal: Answer = { stance: "continue", goals: [{ action: "drop" }, { action: "keep" }] };
    const decision = decideReview({
      strategy: { rule: majority, critical: true },
      minorityVeto: { enabled: true, appliesTo: "critical", eligibleSizeClasses: ["small"] },
      partners,
      goals: GOALS,
      answers: new Map(Object.entries({ [NW]: proposal, [HR]: proposal, [CC]: keepAll })),
      missedAnswer: "abstain",
      cadence: "quarterly",
    });
    expect(decision.outcome).toBe("continue");
  });
});
