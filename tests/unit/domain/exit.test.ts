import { describe, expect, it } from "vitest";
import {
  divisionPlan,
  type ExitTerms,
  exitSchedule,
  type Partner,
  windDownObligations,
} from "../../../functions/domain";

const NOW = Date.parse("2027-01-31T09:00:00Z");

describe("when an exit takes effect", () => {
  const terms = { noticePeriodDays: 90 };

  it("takes effect when the notice period ends unless a later date is asked for", () => {
    expect(exitSchedule({}, terms, false, NOW)).toEqual({
      ok: true,
      effectiveDate: "2027-05-01T09:00:00Z",
      earliest: "2027-05-01T09:00:00Z",
      noticeDays: 90,
      shortened: false,
    });
    expect(exitSchedule({ effectiveDate: "2027-06-30" }, terms, false, NOW)).toMatchObject({
      ok: true,
      effectiveDate: "2027-06-30T00:00:00Z",
    });
  });

  it("counts the notice across a leap day", () => {
    const leap = Date.parse("2028-02-01T00:00:00Z");
    expect(exitSchedule({}, { noticePeriodDays: 30 }, false, leap)).toMatchObject({
      effectiveDate: "2028-03-02T00:00:00Z",
    });
  });

  it("refuses a date before the notice period ends, naming it, unless force majeure is invoked", () => {
    expect(exitSchedule({ effectiveDate: "2027-03-01" }, terms, false, NOW)).toEqual({
      ok: false,
      field: "effectiveDate",
      message:
        "must be on or after 2027-05-01T09:00:00Z: the charter's notice period is 90 day(s) (invoke force majeure to shorten it)",
    });
    expect(exitSchedule({ effectiveDate: "2027-03-01", forceMajeure: true }, terms, true, NOW)).toMatchObject(
      {
        ok: true,
        effectiveDate: "2027-03-01T00:00:00Z",
        shortened: true,
      },
    );
  });

  it("refuses force majeure without the clause, a past date and a malformed one", () => {
    expect(exitSchedule({ forceMajeure: true }, terms, false, NOW)).toMatchObject({
      ok: false,
      field: "forceMajeure",
    });
    expect(exitSchedule({ effectiveDate: "2026-12-01" }, terms, true, NOW)).toMatchObject({
      ok: false,
      field: "effectiveDate",
      message: expect.stringContaining("must not be in the past"),
    });
    expect(exitSchedule({ effectiveDate: "soon" }, terms, false, NOW)).toMatchObject({
      ok: false,
      field: "effectiveDate",
    });
  });

  it("allows an exit at once when the charter sets no notice period", () => {
    expect(exitSchedule({}, undefined, false, NOW)).toMatchObject({
      ok: true,
      effectiveDate: "2027-01-31T09:00:00Z",
    });
  });
});

describe("how the shared assets divide", () => {
  const partner = (id: string, votingWeight: number): Partner => ({
    id,
    name: id,
    sizeClass: "medium",
    votingWeight,
    contacts: [{ name: id, email: `${id}@example.com`, role: "lead" }],
  });
  const partners = [partner("north", 4), partner("harbor", 4), partner("clean", 2)];
  const terms = (rule: ExitTerms["divisionRule"], owners: string[]): ExitTerms => ({
    sharedAssets: [{ name: "Route data", owners }],
    ...(rule ? { divisionRule: rule } : {}),
  });

  it("return-to-contributor: the leaver takes back its contribution; each owner its share on dissolution", () => {
    const [plan] = divisionPlan(terms("return-to-contributor", ["north", "clean"]), partners, "clean");
    expect(plan).toMatchObject({
      rule: "return-to-contributor",
      holders: { north: 0.5, clean: 0.5 },
      transfers: [],
    });
    expect(plan?.summary).toBe("Route data: clean takes back its contribution (50 %).");
    const [dissolved] = divisionPlan(terms("return-to-contributor", ["north", "clean"]), partners, "all");
    expect(dissolved?.summary).toContain("each owner takes back its equal share");
  });

  it("split-by-weight: shared among the owners by voting weight", () => {
    const [plan] = divisionPlan(terms("split-by-weight", ["north", "harbor", "clean"]), partners, "clean");
    expect(plan?.holders).toEqual({ north: 0.4, harbor: 0.4, clean: 0.2 });
  });

  it("buyout: the remaining owners buy the leaver's share by weight; every remaining partner when it owned it alone", () => {
    const [plan] = divisionPlan(terms("buyout", ["north", "harbor", "clean"]), partners, "clean");
    expect(plan?.holders).toEqual({ north: 0.5, harbor: 0.5 });
    expect(plan?.transfers).toEqual([
      { from: "clean", to: "north", share: 0.1, what: "buyout" },
      { from: "clean", to: "harbor", share: 0.1, what: "buyout" },
    ]);
    const [alone] = divisionPlan(terms("buyout", ["clean"]), partners, "clean");
    expect(alone?.transfers.map((t) => t.to)).toEqual(["north", "harbor"]);
    const [dissolved] = divisionPlan(terms("buyout", ["north", "clean"]), partners, "all");
    expect(dissolved?.summary).toContain("no partner remains to buy");
  });

  it("license-back: the heaviest remaining owner keeps it and licenses it to the leaver", () => {
    const [plan] = divisionPlan(terms("license-back", ["harbor", "clean"]), partners, "clean");
    expect(plan?.holders).toEqual({ harbor: 1 });
    expect(plan?.transfers).toEqual([
      { from: "clean", to: "harbor", share: 2 / 6, what: "hand-over" },
      { from: "harbor", to: "clean", share: 0, what: "license" },
    ]);
    const [alone] = divisionPlan(terms("license-back", ["clean"]), partners, "clean");
    expect(alone?.summary).toBe("Route data: clean keeps it and licenses it to north, harbor.");
  });

  it("leaves an asset the leaver does not own as it is, and one without a rule to the admin", () => {
    const [untouched] = divisionPlan(terms("buyout", ["north", "harbor"]), partners, "clean");
    expect(untouched).toMatchObject({
      transfers: [],
      summary: "Route data: not the leaving partner's; stays as it is.",
    });
    const [undivided] = divisionPlan(terms(undefined, ["clean"]), partners, "clean");
    expect(undivided).toMatchObject({ rule: "undivided", holders: {} });
  });

  it("uses an asset's own rule over the exit terms' default", () => {
    const [plan] = divisionPlan(
      {
        sharedAssets: [{ name: "Brand", owners: ["clean"], division: "license-back" }],
        divisionRule: "buyout",
      },
      partners,
      "clean",
    );
    expect(plan?.rule).toBe("license-back");
  });
});

describe("wind-down obligations", () => {
  const partners = [
    { id: "north", name: "Northwind" },
    { id: "harbor", name: "Harbor & Rail" },
    { id: "clean", name: "Clean Corridors" },
  ];
  const due = "2027-06-30T00:00:00Z";

  it("makes each transfer its giver's obligation, then the leaver's confidential information", () => {
    const obligations = windDownObligations(
      [
        { asset: "Dataset", from: "clean", to: "north", share: 0.25, what: "buyout" },
        { asset: "Model", from: "north", to: "clean", share: 0, what: "license" },
        { asset: "Portal", from: "clean", to: "harbor", share: 0.5, what: "hand-over" },
      ],
      [partners[2] as (typeof partners)[number]],
      partners,
      due,
    );
    expect(obligations).toEqual([
      {
        id: "ob-01",
        owner: "clean",
        asset: "Dataset",
        what: "Clean Corridors transfers its 25 % share of Dataset to Northwind, which buys it",
        dueDate: due,
      },
      {
        id: "ob-02",
        owner: "north",
        asset: "Model",
        what: "Northwind grants Clean Corridors a licence to use Model",
        dueDate: due,
      },
      {
        id: "ob-03",
        owner: "clean",
        asset: "Portal",
        what: "Clean Corridors hands its 50 % share of Portal to Harbor & Rail",
        dueDate: due,
      },
      {
        id: "ob-04",
        owner: "clean",
        what: "Clean Corridors returns or destroys the alliance's confidential information it holds, and confirms it in writing",
        dueDate: due,
      },
    ]);
  });

  it("asks every partner for its confidential information on dissolution, and nothing else without transfers", () => {
    const obligations = windDownObligations([], partners, partners, due);
    expect(obligations.map((o) => [o.id, o.owner])).toEqual([
      ["ob-01", "north"],
      ["ob-02", "harbor"],
      ["ob-03", "clean"],
    ]);
  });
});
