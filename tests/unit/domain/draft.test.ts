import { describe, expect, it } from "vitest";
import { formatFieldErrors, parseDraft } from "../../../functions/domain";
import { edited, exampleDraft, loadExample, REMOVE } from "./fixtures";

const pilot = loadExample("pilot-three-partners.json");

describe("parseDraft with the shipped examples", () => {
  it("accepts the three-partner pilot with its partners, hybrid rules and asset register", () => {
    const draft = exampleDraft("pilot-three-partners.json");

    expect(draft.partners.map((partner) => partner.id)).toEqual([
      "northwind-telematics",
      "harbor-rail",
      "clean-corridors",
    ]);
    expect(draft.partners.find((partner) => partner.id === "clean-corridors")?.sizeClass).toBe("small");
    expect(draft.charter.decisionRules?.strategy?.rule).toEqual({ kind: "consensus" });
    expect(draft.charter.decisionRules?.execution?.rule).toEqual({
      kind: "lead-decides",
      leadPartnerId: "harbor-rail",
    });
    expect(draft.charter.escalation?.rungs).toHaveLength(3);
    expect(draft.charter.exitTerms?.sharedAssets.length).toBeGreaterThan(0);
    expect(draft).not.toHaveProperty("$schema");
  });

  it("accepts the light-touch pilot and fills in the approval round's defaults", () => {
    const draft = exampleDraft("light-touch-pilot.json");

    expect(draft.partners).toHaveLength(2);
    expect(draft.charter.approval).toEqual({
      rule: { kind: "consensus" },
      onMissedDeadline: "remind-then-abstain",
      responseDeadlineDays: 14,
      reminderDaysBeforeDeadline: 3,
    });
    expect(draft.charter.exitTerms?.sharedAssets).toEqual([]);
  });

  it("lower-cases and trims contact emails so one person is one contact", () => {
    const result = parseDraft(
      edited(pilot, { "partners[0].contacts[0].email": "  Amara.Okafor@Example.COM " }),
    );

    expect(result.ok && result.draft.partners[0]?.contacts[0]?.email).toBe("amara.okafor@example.com");
  });

  it("treats a missing charter as an empty one, for the audit to judge", () => {
    const result = parseDraft(edited(pilot, { charter: REMOVE }));

    expect(result.ok && result.draft.charter.decisionRules).toBeUndefined();
  });

  it.each([
    ["invalid/duplicate-partner-ids.json", "partners[1].id"],
    ["invalid/bad-email-and-weight.json", "partners[0].contacts[0].email"],
    ["invalid/bad-email-and-weight.json", "partners[1].votingWeight"],
    ["invalid/one-partner.json", "partners"],
  ])("refuses examples/%s at %s", (file, path) => {
    const result = parseDraft(loadExample(file));

    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((error) => error.path)).toContain(path);
  });
});

describe("parseDraft refuses bad drafts, naming the field and the problem", () => {
  const cases: { name: string; edits: Record<string, unknown>; path: string; message: string }[] = [
    { name: "missing partners", edits: { partners: REMOVE }, path: "partners", message: "is required" },
    {
      name: "a single partner",
      edits: { "partners[2]": REMOVE, "partners[1]": REMOVE },
      path: "partners",
      message: "at least two partners",
    },
    {
      name: "duplicate partner ids",
      edits: { "partners[2].id": "harbor-rail" },
      path: "partners[2].id",
      message: 'repeats the partner id "harbor-rail"',
    },
    {
      name: "a bad email",
      edits: { "partners[1].contacts[0].email": "diego.alvarez@" },
      path: "partners[1].contacts[0].email",
      message: "must be a valid email address",
    },
    {
      name: "the same email at two partners, in another case",
      edits: { "partners[1].contacts[0].email": "Amara.Okafor@example.com" },
      path: "partners[1].contacts[0].email",
      message: 'already a contact of "northwind-telematics"',
    },
    {
      name: "a partner with no lead contact",
      edits: { "partners[0].contacts[0].role": "committee" },
      path: "partners[0].contacts",
      message: 'at least one contact with role "lead"',
    },
    {
      name: "a partner with no contacts",
      edits: { "partners[0].contacts": [] },
      path: "partners[0].contacts",
      message: "at least one contact",
    },
    {
      name: "an unknown contact role",
      edits: { "partners[0].contacts[1].role": "observer" },
      path: "partners[0].contacts[1].role",
      message: 'must be one of "lead", "committee", "sponsor"',
    },
    {
      name: "a voting weight of zero",
      edits: { "partners[2].votingWeight": 0 },
      path: "partners[2].votingWeight",
      message: "must be greater than 0",
    },
    {
      name: "a negative voting weight",
      edits: { "partners[2].votingWeight": -2 },
      path: "partners[2].votingWeight",
      message: "must be greater than 0",
    },
    {
      name: "a voting weight given as text",
      edits: { "partners[2].votingWeight": "2" },
      path: "partners[2].votingWeight",
      message: "must be a number",
    },
    {
      name: "an unknown size class",
      edits: { "partners[2].sizeClass": "tiny" },
      path: "partners[2].sizeClass",
      message: 'must be one of "small", "medium", "large"',
    },
    {
      name: "a partner id that is not kebab-case",
      edits: { "partners[0].id": "Northwind Telematics" },
      path: "partners[0].id",
      message: "lower-case letters, digits and single hyphens",
    },
    {
      name: "a misspelt field",
      edits: { "partners[0].votingWieght": 3 },
      path: "partners[0].votingWieght",
      message: "is not a known field",
    },
    {
      name: "a majority threshold of exactly one half",
      edits: { "charter.decisionRules.budget.rule.threshold": 0.5 },
      path: "charter.decisionRules.budget.rule.threshold",
      message: "must be greater than 0.5",
    },
    {
      name: "a majority threshold above one",
      edits: { "charter.decisionRules.budget.rule.threshold": 1.2 },
      path: "charter.decisionRules.budget.rule.threshold",
      message: "at most 1",
    },
    {
      name: "lead-decides naming an unknown partner",
      edits: { "charter.decisionRules.execution.rule.leadPartnerId": "acme-freight" },
      path: "charter.decisionRules.execution.rule.leadPartnerId",
      message: 'names "acme-freight", which is not a partner in this draft',
    },
    {
      name: "an unknown decision rule kind",
      edits: { "charter.decisionRules.strategy.rule.kind": "coin-toss" },
      path: "charter.decisionRules.strategy.rule.kind",
      message: 'must have kind "consensus", "weighted-majority" or "lead-decides"',
    },
    {
      name: "a decision class key that is not kebab-case",
      edits: { "charter.decisionRules.Hiring": { rule: { kind: "consensus" } } },
      path: "charter.decisionRules.Hiring",
      message: "is not an allowed key",
    },
    {
      name: "an escalation rung without a deadline",
      edits: { "charter.escalation.rungs[1].deadlineDays": REMOVE },
      path: "charter.escalation.rungs[1].deadlineDays",
      message: "is required",
    },
    {
      name: "a shared asset owned by an unknown partner",
      edits: { "charter.exitTerms.sharedAssets[0].owners[0]": "acme-freight" },
      path: "charter.exitTerms.sharedAssets[0].owners[0]",
      message: 'names "acme-freight"',
    },
    {
      name: "an unknown division rule",
      edits: { "charter.exitTerms.divisionRule": "coin-toss" },
      path: "charter.exitTerms.divisionRule",
      message: 'one of "return-to-contributor"',
    },
    {
      name: "a reminder that would go out before the request",
      edits: { "charter.approval.reminderDaysBeforeDeadline": 14 },
      path: "charter.approval.reminderDaysBeforeDeadline",
      message: "must be less than responseDeadlineDays (14)",
    },
    {
      name: "an escalation contact who is nobody's contact",
      edits: { "charter.escalationContact": "someone@example.net" },
      path: "charter.escalationContact",
      message: "is not a contact of any partner",
    },
    {
      name: "a fractional duration",
      edits: { expectedDurationMonths: 2.5 },
      path: "expectedDurationMonths",
      message: "must be a whole number of months",
    },
    { name: "no goals", edits: { goals: [] }, path: "goals", message: "at least one goal" },
  ];

  it.each(cases)("$name → $path", ({ edits, path, message }) => {
    const result = parseDraft(edited(pilot, edits));

    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toContainEqual({
      path,
      message: expect.stringContaining(message),
    });
  });

  it.each([null, "a draft", [], 42])("refuses %j as a whole", (input) => {
    expect(parseDraft(input)).toEqual({
      ok: false,
      errors: [{ path: "", message: "The draft must be a JSON object" }],
    });
  });

  it("reports every problem at once, one line per field", () => {
    const result = parseDraft(
      edited(pilot, { "partners[0].votingWeight": 0, "partners[1].contacts[0].email": "nope", name: "" }),
    );

    expect(result.ok ? "" : formatFieldErrors(result.errors).split("\n")).toEqual([
      "name: must be at least 3 characters",
      "partners[0].votingWeight: must be greater than 0",
      'partners[1].contacts[0].email: must be a valid email address, e.g. "name@example.com"',
    ]);
  });

  it("says a list is expected, once, when a partner list is not a list", () => {
    const result = parseDraft(edited(pilot, { partners: "northwind, harbor" }));

    expect(result.ok ? [] : result.errors).toEqual([
      { path: "partners", message: "must be a list of partners" },
    ]);
  });
});
