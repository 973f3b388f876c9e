import { describe, expect, it } from "vitest";
import { type AllianceDraft, auditCharter, parseDraft } from "../../../functions/domain";
import { edited, loadExample, REMOVE } from "./fixtures";

const pilot = loadExample("pilot-three-partners.json");
const lightTouch = loadExample("light-touch-pilot.json");

function draftFrom(input: unknown, edits: Record<string, unknown> = {}): AllianceDraft {
  const result = parseDraft(edited(input, edits));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.draft;
}

const missingAreas = (draft: AllianceDraft) =>
  auditCharter(draft)
    .findings.filter((finding) => finding.severity === "missing")
    .map((finding) => finding.area);

describe("auditCharter: mode", () => {
  it("runs the three-partner pilot in full mode with nothing missing", () => {
    expect(auditCharter(draftFrom(pilot))).toEqual({
      mode: "full",
      modeReason: "Full charter: expected to last 18 months with 9 people involved.",
      findings: [],
      ok: true,
    });
  });

  it("runs the light-touch pilot as a one-page agreement and says why", () => {
    const audit = auditCharter(draftFrom(lightTouch));

    expect(audit).toMatchObject({ mode: "light-touch", findings: [], ok: true });
    expect(audit.modeReason).toBe(
      "Light-touch: expected to last 4 months (under 6) and 2 people involved (fewer than 3).",
    );
  });

  it("requires an organiser in either mode: who runs the alliance is named before anyone is mailed", () => {
    expect(missingAreas(draftFrom(pilot, { organiser: REMOVE }))).toEqual(["organiser"]);
    expect(missingAreas(draftFrom(lightTouch, { organiser: REMOVE }))).toEqual(["organiser"]);
  });

  it("picks light-touch for a short alliance even with many people", () => {
    expect(auditCharter(draftFrom(pilot, { expectedDurationMonths: 5 })).mode).toBe("light-touch");
  });

  it("picks light-touch for a long alliance with only two people", () => {
    const audit = auditCharter(draftFrom(lightTouch, { expectedDurationMonths: 24 }));

    expect(audit.mode).toBe("light-touch");
    expect(audit.modeReason).toBe("Light-touch: 2 people involved (fewer than 3).");
  });

  it("needs the full charter at exactly six months and three people", () => {
    const threePeople = draftFrom(lightTouch, {
      expectedDurationMonths: 6,
      "partners[1].contacts[1]": { name: "Ada Quinn", email: "ada.quinn@example.org", role: "sponsor" },
    });

    expect(auditCharter(threePeople).mode).toBe("full");
  });
});

describe("auditCharter: full mode names what is missing", () => {
  it("names decision-making, conflict resolution and exit for an empty charter", () => {
    const audit = auditCharter(draftFrom(pilot, { charter: {} }));

    expect(audit.ok).toBe(false);
    expect(missingAreas(draftFrom(pilot, { charter: {} }))).toEqual([
      "decision-making",
      "conflict-resolution",
      "exit",
    ]);
    expect(audit.findings.find((finding) => finding.area === "decision-making")?.message).toContain(
      "consensus on strategy, lead-decides on execution",
    );
  });

  it("names the execution rule when only strategy is decided", () => {
    const audit = auditCharter(
      draftFrom(pilot, {
        "charter.decisionRules": { strategy: { rule: { kind: "consensus" }, critical: true } },
      }),
    );

    expect(audit.ok).toBe(false);
    expect(audit.findings).toContainEqual({
      area: "decision-making",
      severity: "missing",
      message: "No decision rule for execution.",
    });
  });

  it("refuses a one-rung ladder in full mode", () => {
    const audit = auditCharter(
      draftFrom(pilot, { "charter.escalation.rungs[2]": REMOVE, "charter.escalation.rungs[1]": REMOVE }),
    );

    expect(audit.ok).toBe(false);
    expect(audit.findings).toContainEqual({
      area: "conflict-resolution",
      severity: "missing",
      message: "The escalation ladder has 1 rung; a full charter needs at least two.",
    });
  });

  it("warns when the force-majeure clause starts concerns at a rung the ladder lacks", () => {
    const audit = auditCharter(draftFrom(pilot, { "charter.forceMajeure.escalationRung": "Board" }));

    expect(audit.ok).toBe(true);
    expect(audit.findings).toContainEqual({
      area: "conflict-resolution",
      severity: "warning",
      message:
        'The force-majeure clause starts concerns at rung "Board", which the ladder does not have; they will start at the first rung.',
    });
  });

  it("warns when the ladder's deadlines add up to more than a year", () => {
    const audit = auditCharter(
      draftFrom(pilot, {
        "charter.escalation.rungs[0].deadlineDays": 90,
        "charter.escalation.rungs[1].deadlineDays": 90,
        "charter.escalation.rungs[2].deadlineDays": 90,
        "charter.escalation.rungs[3]": {
          name: "Board",
          participants: ["sponsor"],
          deadlineDays: 90,
          decision: { kind: "any-participant" },
        },
        "charter.escalation.rungs[4]": {
          name: "Mediator",
          participants: ["sponsor"],
          deadlineDays: 90,
          decision: { kind: "any-participant" },
        },
      }),
    );

    expect(audit.findings).toContainEqual({
      area: "conflict-resolution",
      severity: "warning",
      message:
        "The escalation ladder's deadlines add up to 450 days; keep them within a year (365 days) so a concern can climb every rung.",
    });
  });

  it("names each exit term that is missing", () => {
    const audit = auditCharter(
      draftFrom(pilot, {
        "charter.exitTerms.noticePeriodDays": REMOVE,
        "charter.exitTerms.divisionRule": REMOVE,
        "charter.exitTerms.nonDisparagement": REMOVE,
      }),
    );
    const exitMessages = audit.findings
      .filter((finding) => finding.area === "exit")
      .map((finding) => finding.message);

    expect(audit.ok).toBe(false);
    expect(exitMessages).toEqual([
      "No exit notice period: say how many days' notice a leaving partner gives.",
      'No division rule for "Clean Last Mile brand": set exitTerms.divisionRule or each asset\'s division.',
      "No non-disparagement answer: set exitTerms.nonDisparagement to true or false.",
    ]);
  });

  it("accepts a register where every asset names its own division, without a default rule", () => {
    const audit = auditCharter(
      draftFrom(pilot, {
        "charter.exitTerms.divisionRule": REMOVE,
        "charter.exitTerms.sharedAssets[3].division": "split-by-weight",
      }),
    );

    expect(audit.ok).toBe(true);
  });

  it("warns, without blocking, when a fast market is reviewed only once a year", () => {
    const audit = auditCharter(draftFrom(pilot, { "charter.review.cadence": "annual" }));

    expect(audit.ok).toBe(true);
    expect(audit.findings).toEqual([
      {
        area: "review",
        severity: "warning",
        message: "A fast market usually calls for quarterly reviews; the charter says annual.",
      },
    ]);
  });

  it("warns when a small partner has no minority veto", () => {
    const audit = auditCharter(draftFrom(pilot, { "charter.minorityVeto": REMOVE }));

    expect(audit.ok).toBe(true);
    expect(audit.findings.map((finding) => [finding.area, finding.severity])).toEqual([
      ["minority-protection", "warning"],
    ]);
    expect(audit.findings[0]?.message).toContain("Clean Corridors Trust is a small partner");
  });

  it("warns about missing force majeure, review and standard decision classes", () => {
    const audit = auditCharter(
      draftFrom(pilot, {
        "charter.forceMajeure": REMOVE,
        "charter.review": REMOVE,
        "charter.decisionRules.budget": REMOVE,
      }),
    );

    expect(audit.ok).toBe(true);
    expect(audit.findings.map((finding) => finding.area).sort()).toEqual([
      "decision-making",
      "force-majeure",
      "review",
    ]);
  });
});

describe("auditCharter: light-touch mode needs fewer parts", () => {
  it("asks only for a decision rule, an escalation contact and an exit notice", () => {
    const audit = auditCharter(draftFrom(lightTouch, { charter: {} }));

    expect(audit.mode).toBe("light-touch");
    expect(audit.ok).toBe(false);
    expect(audit.findings.map((finding) => [finding.area, finding.severity])).toEqual([
      ["decision-making", "missing"],
      ["conflict-resolution", "missing"],
      ["exit", "missing"],
    ]);
  });

  it("accepts a single escalation rung in place of an escalation contact", () => {
    const audit = auditCharter(
      draftFrom(lightTouch, {
        "charter.escalationContact": REMOVE,
        "charter.escalation": {
          rungs: [
            { name: "Leads", participants: ["lead"], deadlineDays: 5, decision: { kind: "consensus" } },
          ],
        },
      }),
    );

    expect(audit).toMatchObject({ mode: "light-touch", ok: true });
  });

  it("does not ask a light-touch alliance for non-disparagement or an asset register", () => {
    const draft = draftFrom(lightTouch);

    expect(draft.charter.exitTerms?.nonDisparagement).toBeUndefined();
    expect(auditCharter(draft).ok).toBe(true);
  });
});
