import { describe, expect, it } from "vitest";
import { formatFieldErrors, MAX_DRAFT_BYTES, parseDraft } from "../../../functions/domain";
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
    ["invalid/lone-surrogate-and-control-characters.json", "partners[0].name"],
    ["invalid/lone-surrogate-and-control-characters.json", "partners[1].contacts[0].name"],
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
      name: "a rung deciding by a rule no rung knows",
      edits: { "charter.escalation.rungs[0].decision.kind": "coin-toss" },
      path: "charter.escalation.rungs[0].decision.kind",
      message: '"any-participant"',
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

describe("parseDraft refuses text that is not safe to store, mail or print", () => {
  const esc = "\u001b";
  const cases: { name: string; edits: Record<string, unknown>; path: string; message: string }[] = [
    {
      name: "a lone surrogate in a partner name",
      edits: { "partners[0].name": "Lumen \ud800 Analytics" },
      path: "partners[0].name",
      message: "must be well-formed Unicode (a lone surrogate at character 7)",
    },
    {
      name: "a lone surrogate in the purpose",
      edits: { purpose: "A pilot \udfff that breaks mail" },
      path: "purpose",
      message: "must be well-formed Unicode (a lone surrogate at character 9)",
    },
    {
      name: "a lone surrogate in a contact email",
      edits: { "partners[0].contacts[0].email": "amara\ud800@example.com" },
      path: "partners[0].contacts[0].email",
      message: "must be well-formed Unicode",
    },
    {
      name: "ESC in a partner name",
      edits: { "partners[1].name": `Harbor${esc}[2J${esc}]0;pwned` },
      path: "partners[1].name",
      message: "must not contain control characters (U+001B at character 7)",
    },
    {
      name: "BEL in a contact name",
      edits: { "partners[1].contacts[1].name": "Mei Lin\u0007" },
      path: "partners[1].contacts[1].name",
      message: "must not contain control characters (U+0007 at character 8)",
    },
    {
      name: "CR LF in the alliance name",
      edits: { name: "Clean Last Mile\r\nInjected line: APPROVED by all" },
      path: "name",
      message: "must be a single line (a line break at character 16)",
    },
    {
      name: "LF in a goal",
      edits: { "goals[1]": "Publish data\nBcc: all@example.com" },
      path: "goals[1]",
      message: "must be a single line",
    },
    {
      name: "U+202E in a partner name",
      edits: { "partners[2].name": "Clean \u202eTrust" },
      path: "partners[2].name",
      message: "must not contain invisible text-direction controls (U+202E at character 7)",
    },
    {
      name: "a tab in an escalation rung name",
      edits: { "charter.escalation.rungs[0].name": "Operational\tleads" },
      path: "charter.escalation.rungs[0].name",
      message: "must not contain tabs",
    },
    {
      name: "a line break in a shared asset's name",
      edits: { "charter.exitTerms.sharedAssets[0].name": "Route model\nForged" },
      path: "charter.exitTerms.sharedAssets[0].name",
      message: "must be a single line",
    },
    {
      name: "ESC in the purpose (free text keeps line breaks only)",
      edits: { purpose: `Pilot zero-emission delivery.\n${esc}[31mAPPROVED` },
      path: "purpose",
      message: "must not contain control characters (U+001B at character 31)",
    },
    {
      name: "ESC in a shared asset's description",
      edits: { "charter.exitTerms.sharedAssets[0].description": `Tuned model${esc}c` },
      path: "charter.exitTerms.sharedAssets[0].description",
      message: "must not contain control characters (U+001B",
    },
    {
      name: "U+2066 in the force-majeure clause",
      edits: { "charter.forceMajeure.clause": "No partner is liable for \u2066events\u2069 beyond control." },
      path: "charter.forceMajeure.clause",
      message: "must not contain invisible text-direction controls (U+2066",
    },
    {
      name: "a control character in the $schema hint",
      edits: { $schema: "./alliance-draft.schema.json\u0000" },
      path: "$schema",
      message: "must not contain control characters (U+0000",
    },
  ];

  it.each(cases)("$name → $path", ({ edits, path, message }) => {
    const result = parseDraft(edited(pilot, edits));

    expect(result.ok ? [] : result.errors).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it("keeps line breaks in free text, stored as \\n", () => {
    const result = parseDraft(
      edited(pilot, {
        purpose: "Pilot zero-emission delivery.\r\nTwo districts, one year.",
        "charter.exitTerms.sharedAssets[0].description": "Northwind's model\nas tuned on pilot data",
      }),
    );

    expect(result.ok && result.draft.purpose).toBe("Pilot zero-emission delivery.\nTwo districts, one year.");
    expect(result.ok && result.draft.charter.exitTerms?.sharedAssets[0]?.description).toBe(
      "Northwind's model\nas tuned on pilot data",
    );
  });
});

describe("parseDraft bounds every list and refuses repeats that mean nothing", () => {
  const partnerIds = ["northwind-telematics", "harbor-rail", "clean-corridors"];
  const many = <T>(count: number, item: (index: number) => T): T[] =>
    Array.from({ length: count }, (_, index) => item(index));

  const cases: { name: string; edits: Record<string, unknown>; path: string; message: string }[] = [
    {
      name: "30 000 owners of one asset",
      edits: { "charter.exitTerms.sharedAssets[0].owners": many(30_000, (i) => partnerIds[i % 3]) },
      path: "charter.exitTerms.sharedAssets[0].owners",
      message: "must name at most 50 owners",
    },
    {
      name: "12 000 decision classes",
      edits: {
        "charter.decisionRules": Object.fromEntries(
          many(12_000, (i) => [`class-${i}`, { rule: { kind: "consensus" } }]),
        ),
      },
      path: "charter.decisionRules",
      message: "must define at most 50 decision classes (got 12000)",
    },
    {
      name: "100 000 rung participants",
      edits: { "charter.escalation.rungs[0].participants": many(100_000, () => "lead") },
      path: "charter.escalation.rungs[0].participants",
      message: "must name at most 3 contact roles",
    },
    {
      name: "100 000 veto size classes",
      edits: { "charter.minorityVeto.eligibleSizeClasses": many(100_000, () => "small") },
      path: "charter.minorityVeto.eligibleSizeClasses",
      message: "must list at most 3 size classes",
    },
    {
      name: "a rung for every day of the year",
      edits: {
        "charter.escalation.rungs": many(365, (i) => ({
          name: `Rung ${i}`,
          participants: ["lead"],
          deadlineDays: 7,
          decision: { kind: "consensus" },
        })),
      },
      path: "charter.escalation.rungs",
      message: "must have at most 6 rungs",
    },
    {
      name: "a thousand goals",
      edits: { goals: many(1000, (i) => `Goal ${i}`) },
      path: "goals",
      message: "must list at most 30 goals",
    },
    {
      name: "a thousand shared assets",
      edits: {
        "charter.exitTerms.sharedAssets": many(1000, (i) => ({
          name: `Asset ${i}`,
          owners: ["harbor-rail"],
        })),
      },
      path: "charter.exitTerms.sharedAssets",
      message: "must list at most 100 assets",
    },
    {
      name: "a hundred contacts at one partner",
      edits: {
        "partners[0].contacts": many(100, (i) => ({
          name: `Person ${i}`,
          email: `p${i}@example.com`,
          role: "lead",
        })),
      },
      path: "partners[0].contacts",
      message: "must list at most 20 contacts",
    },
    {
      name: "a megabyte of purpose",
      edits: { purpose: "x".repeat(1_000_000) },
      path: "purpose",
      message: "must be at most 2000 characters",
    },
    {
      name: "an email address no server delivers",
      edits: { "partners[0].contacts[0].email": `${"a".repeat(300)}@example.com` },
      path: "partners[0].contacts[0].email",
      message: "must be at most 254 characters",
    },
    {
      name: "the same owner twice",
      edits: { "charter.exitTerms.sharedAssets[0].owners": ["northwind-telematics", "northwind-telematics"] },
      path: "charter.exitTerms.sharedAssets[0].owners[1]",
      message: 'repeats the owner "northwind-telematics"',
    },
    {
      name: "the same size class twice",
      edits: { "charter.minorityVeto.eligibleSizeClasses": ["small", "small"] },
      path: "charter.minorityVeto.eligibleSizeClasses[1]",
      message: 'repeats the size class "small"',
    },
    {
      name: "the same role twice at a rung",
      edits: { "charter.escalation.rungs[1].participants": ["committee", "committee"] },
      path: "charter.escalation.rungs[1].participants[1]",
      message: 'repeats the role "committee"',
    },
    {
      name: "the same goal twice, in another case",
      edits: { "goals[3]": "cut last-mile delivery emissions in the pilot districts by 40%" },
      path: "goals[3]",
      message: 'repeats the goal "cut last-mile delivery emissions in the pilot districts by 40%"',
    },
    {
      name: "two partners with one name",
      edits: { "partners[2].name": "Harbor & Rail Logistics" },
      path: "partners[2].name",
      message: 'repeats the partner name "Harbor & Rail Logistics"',
    },
  ];

  it.each(cases)("$name → $path, and only that", ({ edits, path, message }) => {
    const result = parseDraft(edited(pilot, edits));

    expect(result.ok ? [] : result.errors).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it("leaves the shipped examples far inside MAX_DRAFT_BYTES, the body limit checked before parsing", () => {
    for (const file of ["pilot-three-partners.json", "light-touch-pilot.json"]) {
      expect(Buffer.byteLength(JSON.stringify(loadExample(file)), "utf8")).toBeLessThan(MAX_DRAFT_BYTES / 10);
    }
    expect(MAX_DRAFT_BYTES).toBeLessThan(400_000);
  });
});
