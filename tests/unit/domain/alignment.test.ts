import { describe, expect, it } from "vitest";
import { alignmentGaps, type InterestMap, parseInterestMap, sameInterest } from "../../../functions/domain";
import { exampleDraft, loadExample } from "./fixtures";

const draft = exampleDraft("pilot-three-partners.json");

function pilotMaps(): Record<string, InterestMap> {
  const raw = loadExample("pilot-interest-maps.json") as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(raw).map(([partnerId, map]) => {
      const parsed = parseInterestMap(map);
      if (!parsed.ok) throw new Error(`${partnerId}: ${JSON.stringify(parsed.errors)}`);
      return [partnerId, parsed.interestMap];
    }),
  );
}

describe("alignmentGaps on the three-partner pilot", () => {
  const report = alignmentGaps(draft.partners, pilotMaps(), draft.goals);

  it("finds the goal all three partners share", () => {
    expect(report.sharedGoals).toEqual(["Cut last-mile delivery emissions"]);
  });

  it("names what a partner cannot afford to lose that nobody else is aiming to protect", () => {
    const unbacked = report.gaps
      .filter((gap) => gap.kind === "unbacked-must-keep")
      .map((gap) => [gap.partnerId, gap.item]);

    expect(unbacked).toEqual([
      ["northwind-telematics", "Ownership of the route-optimisation model"],
      ["clean-corridors", "Independence of our emissions verification"],
      ["clean-corridors", "Reputation with funders"],
    ]);
  });

  it("treats a must-keep as backed when another partner states it as a goal", () => {
    // Harbor & Rail cannot lose on-time delivery; Northwind aims for it on optimised routes.
    expect(
      report.gaps.some((gap) => gap.partnerId === "harbor-rail" && gap.kind === "unbacked-must-keep"),
    ).toBe(false);
  });

  it("flags a partner goal the alliance's goals leave out", () => {
    expect(report.gaps.filter((gap) => gap.kind === "goal-outside-alliance")).toEqual([
      {
        kind: "goal-outside-alliance",
        partnerId: "harbor-rail",
        item: "Lower cost per delivery",
        message:
          'The goal "Lower cost per delivery" (Harbor & Rail Logistics) is not among the alliance\'s goals.',
      },
    ]);
  });

  it("gives the same answer every time", () => {
    expect(alignmentGaps(draft.partners, pilotMaps(), draft.goals)).toEqual(report);
  });
});

describe("alignmentGaps with maps still missing", () => {
  it("names the partners who have not shared a map and compares the rest", () => {
    const { "clean-corridors": _notYet, ...maps } = pilotMaps();
    const report = alignmentGaps(draft.partners, maps);

    expect(report.gaps[0]).toEqual({
      kind: "missing-interest-map",
      partnerId: "clean-corridors",
      message: "Clean Corridors Trust has not shared its interest map yet.",
    });
    expect(report.sharedGoals).toEqual(["Cut last-mile delivery emissions"]);
  });

  it("reports no shared goals when fewer than two maps are in", () => {
    expect(alignmentGaps(draft.partners, {}).sharedGoals).toEqual([]);
  });
});

describe("sameInterest", () => {
  it.each([
    ["Cut delivery emissions", "cut   delivery EMISSIONS!", true],
    ["On-time delivery above 97%", "On-time delivery above 97% on optimised routes", true],
    ["Protect our brand", "brand", true],
    ["Reputation with funders", "Lower cost per delivery", false],
    ["Cut delivery emissions", "Lower cost per delivery", false],
  ])("%j vs %j → %s", (a, b, same) => {
    expect(sameInterest(a, b)).toBe(same);
  });
});

describe("parseInterestMap", () => {
  it("requires at least one stated goal and one thing the partner cannot afford to lose", () => {
    const result = parseInterestMap({ explicit: [], cannotAffordToLose: [""] });

    expect(result).toEqual({
      ok: false,
      errors: [
        { path: "explicit", message: "must list at least one item" },
        { path: "cannotAffordToLose[0]", message: "must not be empty" },
      ],
    });
  });

  it("defaults implicit interests to none and caps the length of an item", () => {
    expect(parseInterestMap({ explicit: ["Grow"], cannotAffordToLose: ["Brand"] })).toEqual({
      ok: true,
      interestMap: { explicit: ["Grow"], implicit: [], cannotAffordToLose: ["Brand"] },
    });
    expect(parseInterestMap({ explicit: ["x".repeat(201)], cannotAffordToLose: ["Brand"] })).toMatchObject({
      ok: false,
      errors: [{ path: "explicit[0]", message: "must be at most 200 characters" }],
    });
  });
});
