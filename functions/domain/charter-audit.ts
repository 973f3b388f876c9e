import { expectedCadence } from "./cadence";
import { STANDARD_DECISION_CLASSES } from "./decision-rule";
import type { AllianceDraft } from "./draft";
import { assetDivision } from "./exit-terms";
import { allContacts } from "./partner";

/** Light-touch applies below this expected duration (months) … */
export const LIGHT_TOUCH_MAX_MONTHS_EXCLUSIVE = 6;
/** … or below this many people across all partners. */
export const LIGHT_TOUCH_MAX_PEOPLE_EXCLUSIVE = 3;

/** The charter area a finding is about. */
export type AuditArea =
  | "decision-making"
  | "conflict-resolution"
  | "exit"
  | "review"
  | "minority-protection"
  | "force-majeure"
  | "organiser";

/** One thing the audit found: "missing" blocks formation, "warning" is advice for the partners. */
export interface AuditFinding {
  area: AuditArea;
  severity: "missing" | "warning";
  message: string;
}

/** The audit's verdict: the mode, why, what is missing or doubtful, and whether formation may proceed. */
export interface CharterAudit {
  mode: "full" | "light-touch";
  modeReason: string;
  findings: AuditFinding[];
  /** False when any finding is "missing". */
  ok: boolean;
}

/** Light-touch (one-page agreement) or full charter, and the reason in words. */
export function auditMode(draft: Pick<AllianceDraft, "expectedDurationMonths" | "partners">): {
  mode: CharterAudit["mode"];
  modeReason: string;
} {
  const people = allContacts(draft.partners).length;
  const short = draft.expectedDurationMonths < LIGHT_TOUCH_MAX_MONTHS_EXCLUSIVE;
  const small = people < LIGHT_TOUCH_MAX_PEOPLE_EXCLUSIVE;
  if (short || small) {
    const reasons = [
      short
        ? `expected to last ${draft.expectedDurationMonths} months (under ${LIGHT_TOUCH_MAX_MONTHS_EXCLUSIVE})`
        : "",
      small
        ? `${people} ${people === 1 ? "person" : "people"} involved (fewer than ${LIGHT_TOUCH_MAX_PEOPLE_EXCLUSIVE})`
        : "",
    ].filter((reason) => reason !== "");
    return { mode: "light-touch", modeReason: `Light-touch: ${reasons.join(" and ")}.` };
  }
  return {
    mode: "full",
    modeReason: `Full charter: expected to last ${draft.expectedDurationMonths} months with ${people} people involved.`,
  };
}

/**
 * Check a parsed draft's charter for the parts its mode requires, naming each missing part.
 * Full mode needs decision rules (strategy and execution at least), an escalation ladder of two or more
 * rungs, and exit terms (notice period, a division rule for every shared asset, a non-disparagement answer).
 * Light-touch needs one decision rule, one escalation contact (or rung) and an exit notice period.
 */
export function auditCharter(draft: AllianceDraft): CharterAudit {
  const { mode, modeReason } = auditMode(draft);
  const findings = [
    ...(draft.organiser
      ? []
      : [
          missing(
            "organiser",
            "No organiser: name who runs the alliance (organiser: name, email, organisation). Every email names them, replies reach them, and they are told when something needs them.",
          ),
        ]),
    ...(mode === "full" ? auditFull(draft) : auditLightTouch(draft)),
  ];
  return { mode, modeReason, findings, ok: !findings.some((finding) => finding.severity === "missing") };
}

function auditLightTouch({ charter }: AllianceDraft): AuditFinding[] {
  const findings: AuditFinding[] = [];
  if (Object.keys(charter.decisionRules ?? {}).length === 0) {
    findings.push(
      missing("decision-making", "No decision rule: add at least one (e.g. strategy: consensus)."),
    );
  }
  if (charter.escalationContact === undefined && (charter.escalation?.rungs.length ?? 0) === 0) {
    findings.push(
      missing(
        "conflict-resolution",
        "No escalation contact: name one person disputes go to (escalationContact).",
      ),
    );
  }
  if (charter.exitTerms?.noticePeriodDays === undefined) {
    findings.push(
      missing("exit", "No exit notice period: say how many days' notice a leaving partner gives."),
    );
  }
  return findings;
}

function auditFull(draft: AllianceDraft): AuditFinding[] {
  const { charter } = draft;
  const findings: AuditFinding[] = [];

  const rules = charter.decisionRules ?? {};
  const absentClasses = (["strategy", "execution"] as const).filter(
    (decisionClass) => rules[decisionClass] === undefined,
  );
  if (Object.keys(rules).length === 0) {
    findings.push(
      missing(
        "decision-making",
        "No decision rules: say how strategy and execution decisions are made (the playbook's hybrid: consensus on strategy, lead-decides on execution).",
      ),
    );
  } else if (absentClasses.length > 0) {
    findings.push(missing("decision-making", `No decision rule for ${absentClasses.join(" or ")}.`));
  }
  const otherStandard = STANDARD_DECISION_CLASSES.filter(
    (decisionClass) =>
      decisionClass !== "strategy" && decisionClass !== "execution" && rules[decisionClass] === undefined,
  );
  if (Object.keys(rules).length > 0 && otherStandard.length > 0) {
    findings.push(
      warning(
        "decision-making",
        `No rule for ${otherStandard.join(" or ")}; such decisions will need consensus.`,
      ),
    );
  }

  const rungs = charter.escalation?.rungs ?? [];
  if (rungs.length === 0) {
    findings.push(
      missing(
        "conflict-resolution",
        "No escalation ladder: add at least two rungs with deadlines (e.g. operational leads → steering committee → executive sponsors).",
      ),
    );
  } else if (rungs.length < 2) {
    findings.push(
      missing(
        "conflict-resolution",
        `The escalation ladder has ${rungs.length} rung; a full charter needs at least two.`,
      ),
    );
  }
  // A Standard execution lives at most a year: a ladder whose deadlines add up to more could not finish.
  const ladderDays = rungs.reduce((total, rung) => total + rung.deadlineDays, 0);
  if (ladderDays > 365) {
    findings.push(
      warning(
        "conflict-resolution",
        `The escalation ladder's deadlines add up to ${ladderDays} days; keep them within a year (365 days) so a concern can climb every rung.`,
      ),
    );
  }
  const startRung = charter.forceMajeure?.escalationRung;
  if (startRung !== undefined && !rungs.some((rung) => rung.name === startRung)) {
    findings.push(
      warning(
        "conflict-resolution",
        `The force-majeure clause starts concerns at rung "${startRung}", which the ladder does not have; they will start at the first rung.`,
      ),
    );
  }
  const presentRoles = new Set(allContacts(draft.partners).map((contact) => contact.role));
  rungs.forEach((rung) => {
    if (!rung.participants.some((role) => presentRoles.has(role))) {
      findings.push(
        warning(
          "conflict-resolution",
          `Rung "${rung.name}" calls on ${rung.participants.join(", ")}, but no partner has a contact with that role.`,
        ),
      );
    }
  });

  const exit = charter.exitTerms;
  if (exit === undefined) {
    findings.push(
      missing(
        "exit",
        "No exit terms: add a notice period, how shared assets divide, and a non-disparagement answer.",
      ),
    );
  } else {
    if (exit.noticePeriodDays === undefined) {
      findings.push(
        missing("exit", "No exit notice period: say how many days' notice a leaving partner gives."),
      );
    }
    const undivided = exit.sharedAssets.filter((asset) => assetDivision(asset, exit) === undefined);
    if (exit.divisionRule === undefined && (exit.sharedAssets.length === 0 || undivided.length > 0)) {
      findings.push(
        missing(
          "exit",
          undivided.length > 0
            ? `No division rule for ${undivided.map((asset) => `"${asset.name}"`).join(", ")}: set exitTerms.divisionRule or each asset's division.`
            : "No asset division rule: set exitTerms.divisionRule (how shared assets divide when someone leaves).",
        ),
      );
    }
    if (exit.nonDisparagement === undefined) {
      findings.push(
        missing("exit", "No non-disparagement answer: set exitTerms.nonDisparagement to true or false."),
      );
    }
  }

  if (charter.review === undefined) {
    findings.push(
      warning("review", "No review cadence: reviews will run semiannually until the charter sets one."),
    );
  } else if (charter.review.cadence !== expectedCadence(charter.review.marketPace)) {
    const expected = expectedCadence(charter.review.marketPace);
    findings.push(
      warning(
        "review",
        `A ${charter.review.marketPace} market usually calls for ${expected} reviews; the charter says ${charter.review.cadence}.`,
      ),
    );
  }

  findings.push(...auditMinorityProtection(draft));

  if (charter.forceMajeure === undefined) {
    findings.push(
      warning(
        "force-majeure",
        "No force-majeure clause: obligations are not suspended for events outside anyone's control.",
      ),
    );
  }
  return findings;
}

function auditMinorityProtection({ partners, charter }: AllianceDraft): AuditFinding[] {
  const veto = charter.minorityVeto;
  const eligible = veto?.enabled ? veto.eligibleSizeClasses : ["small"];
  const holders = partners.filter((partner) => eligible.includes(partner.sizeClass));
  if (holders.length === 0) return [];
  const names = holders.map((partner) => partner.name).join(", ");
  if (!veto?.enabled) {
    return [
      warning(
        "minority-protection",
        `No minority veto, though ${names} ${holders.length === 1 ? "is a small partner" : "are small partners"}: consider a veto on critical decisions.`,
      ),
    ];
  }
  const critical = Object.values(charter.decisionRules ?? {}).some((classRule) => classRule.critical);
  if (!critical) {
    return [
      warning(
        "minority-protection",
        "The minority veto is enabled but no decision class is marked critical, so it never applies.",
      ),
    ];
  }
  return [];
}

function missing(area: AuditArea, message: string): AuditFinding {
  return { area, severity: "missing", message };
}

function warning(area: AuditArea, message: string): AuditFinding {
  return { area, severity: "warning", message };
}
