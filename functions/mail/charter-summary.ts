import {
  type AllianceDraft,
  allContacts,
  auditMode,
  type ContactRole,
  type DecisionRule,
  type DivisionRule,
  type MissedDeadline,
  monthsBetweenReviews,
  type Partner,
  type RungDecision,
  reviewCadenceOf,
  STANDARD_DECISION_CLASSES,
} from "../domain";
import { html, type SafeHtml } from "../shared/html";
import { typed } from "./layout";

/** One titled part of the charter summary ("Decision rules") and its lines in plain words. */
export interface CharterSummarySection {
  title: string;
  lines: string[];
}

/**
 * The charter in plain words, as structured lines plus ready-made text and HTML forms. Templates and
 * pages re-render from `sections` (escaping as they go), so a summary that travelled as JSON is safe.
 */
export interface CharterSummary {
  mode: "full" | "light-touch";
  sections: CharterSummarySection[];
  /** Plain-text form: a titled block per section, one "- " line per item. */
  text: string;
  /** HTML form: a heading and a list per section, inline-styled (works in email and on pages). */
  html: string;
}

/** What an alliance calls its charter: a light-touch alliance has a one-page agreement (default "charter"). */
export function documentNameOf(mode: "full" | "light-touch" | undefined): string {
  return mode === "light-touch" ? "one-page agreement" : "charter";
}

/** Summarises a parsed draft's charter: the one renderer emails and partner pages share. */
export function charterSummary(draft: AllianceDraft): CharterSummary {
  const { mode, modeReason } = auditMode(draft);
  const { partners } = draft;
  const sections: CharterSummarySection[] = [
    {
      title: "Agreement",
      lines: [
        mode === "light-touch"
          ? "Light-touch mode: a one-page agreement instead of the full charter (fewer steps, the same audit trail)."
          : "Full governance charter.",
        modeReason,
      ],
    },
    {
      title: "Partners",
      lines: partners.map(
        (partner) =>
          `${partner.name} (${partner.sizeClass}, voting weight ${formatNumber(partner.votingWeight)})`,
      ),
    },
    { title: "Goals", lines: [...draft.goals] },
    { title: "Decision rules", lines: decisionRuleLines(draft) },
    { title: "Minority protection", lines: minorityVetoLines(draft) },
    { title: "Escalation", lines: escalationLines(draft) },
    { title: "Reviews", lines: reviewLines(draft) },
    { title: "Exit terms", lines: exitLines(draft) },
    { title: "Force majeure", lines: forceMajeureLines(draft) },
    {
      title: mode === "light-touch" ? "Approving this agreement" : "Approving this charter",
      lines: approvalLines(draft),
    },
  ];
  return {
    mode,
    sections,
    text: charterSummaryText({ sections }),
    html: charterSummaryHtml({ sections }).toString(),
  };
}

/** Renders summary sections as plain text. */
export function charterSummaryText(summary: Pick<CharterSummary, "sections">): string {
  return (
    summary.sections
      // A line may quote free text (the force-majeure clause): its own line breaks stay inside the bullet.
      .map((section) =>
        [`${section.title}:`, ...section.lines.map((line) => `  - ${typed(line)}`)].join("\n"),
      )
      .join("\n\n")
  );
}

/** Renders summary sections as inline-styled HTML, escaping every line. */
export function charterSummaryHtml(summary: Pick<CharterSummary, "sections">): SafeHtml {
  return html`${summary.sections.map(
    (section) => html`<h3 style="margin:18px 0 6px;font-size:15px;">${section.title}</h3>
<ul style="margin:0 0 8px;padding-left:20px;">${section.lines.map((line) => html`<li style="margin:2px 0;">${line}</li>`)}</ul>
`,
  )}`;
}

/** A decision rule (or a rung's decision) in words: "consensus of all partners", "the lead partner (Acme) decides", … */
export function decisionRuleInWords(
  rule: DecisionRule | RungDecision,
  partners: readonly Pick<Partner, "id" | "name">[],
): string {
  switch (rule.kind) {
    case "consensus":
      return "consensus of all partners";
    case "weighted-majority":
      return `weighted majority, ${percent(rule.threshold)} of voting weight`;
    case "lead-decides":
      return `the lead partner (${partnerName(partners, rule.leadPartnerId)}) decides`;
    case "any-participant":
      return "any participant resolves";
  }
}

function decisionRuleLines({ charter, partners }: AllianceDraft): string[] {
  const rules = charter.decisionRules ?? {};
  const standard: string[] = STANDARD_DECISION_CLASSES.filter((name) => rules[name] !== undefined);
  const custom = Object.keys(rules)
    .filter((name) => !standard.includes(name))
    .sort();
  const vetoOn = charter.minorityVeto?.enabled === true;
  const lines = [...standard, ...custom].map((decisionClass) => {
    const classRule = rules[decisionClass];
    if (classRule === undefined) return "";
    const critical = classRule.critical
      ? vetoOn
        ? " (critical: the minority veto applies)"
        : " (critical)"
      : "";
    return `${decisionClass.replaceAll("-", " ")} — ${decisionRuleInWords(classRule.rule, partners)}${critical}`;
  });
  if (lines.length === 0)
    return ["No decision rules set: every decision needs the consensus of all partners."];
  const uncovered = STANDARD_DECISION_CLASSES.filter((name) => rules[name] === undefined);
  if (uncovered.length > 0) {
    lines.push(`anything else (${uncovered.join(", ")}) — consensus of all partners`);
  }
  return lines;
}

function minorityVetoLines({ charter, partners }: AllianceDraft): string[] {
  const veto = charter.minorityVeto;
  if (!veto?.enabled) return ["No minority veto."];
  const holders = partners.filter((partner) => veto.eligibleSizeClasses.includes(partner.sizeClass));
  const critical = Object.entries(charter.decisionRules ?? {})
    .filter(([, classRule]) => classRule.critical)
    .map(([decisionClass]) => decisionClass.replaceAll("-", " "));
  return [
    `A reject from a ${veto.eligibleSizeClasses.join(" or ")} partner blocks any critical decision` +
      (holders.length > 0 ? ` (veto holders: ${holders.map((partner) => partner.name).join(", ")}).` : "."),
    critical.length > 0
      ? `Critical decisions: ${critical.join(", ")}.`
      : "No decision class is marked critical, so the veto never applies.",
  ];
}

const ROLE_WORDS: Record<ContactRole, string> = {
  lead: "the partners' leads",
  committee: "the steering committee",
  sponsor: "the executive sponsors",
};

function escalationLines({ charter, partners }: AllianceDraft): string[] {
  const rungs = charter.escalation?.rungs ?? [];
  const lines = rungs.map((rung, index) => {
    const who = rung.participants.map((role) => ROLE_WORDS[role]).join(" and ");
    const veto = rung.minorityVeto ? "; minority veto applies" : "";
    return `Rung ${index + 1}, ${rung.name}: ${who}; ${decisionRuleInWords(rung.decision, partners)}; ${days(rung.deadlineDays)} to resolve${veto}.`;
  });
  if (rungs.length > 1)
    lines.push("A dispute not resolved by its rung's deadline moves up to the next rung.");
  if (charter.escalation !== undefined) {
    lines.push(
      charter.escalation.afterLastRung === "invoke-exit"
        ? "If the last rung does not resolve it, the exit plan is invoked."
        : "If the last rung does not resolve it, the alliance's admin is told.",
    );
  }
  if (charter.escalationContact !== undefined) {
    const contact = allContacts(partners).find((candidate) => candidate.email === charter.escalationContact);
    lines.push(
      contact === undefined
        ? `Disputes go to ${charter.escalationContact}.`
        : `Disputes go to ${contact.name} of ${partnerName(partners, contact.partnerId)} (${contact.email}).`,
    );
  }
  return lines.length > 0 ? lines : ["No escalation path."];
}

function reviewLines({ charter }: AllianceDraft): string[] {
  const cadence = reviewCadenceOf(charter.review);
  const every = `every ${monthsBetweenReviews(cadence)} months (${cadence})`;
  if (charter.review === undefined) {
    return [`No review cadence set: realignment reviews run ${every}.`];
  }
  return [`Realignment review ${every}; the market is ${charter.review.marketPace}-moving.`];
}

const DIVISION_WORDS: Record<DivisionRule, string> = {
  "return-to-contributor": "returns to whoever contributed it",
  "split-by-weight": "is split by voting weight",
  buyout: "the remaining partners buy out the leaver's share",
  "license-back": "one partner keeps it and licenses it back to the others",
};

function exitLines({ charter, partners }: AllianceDraft): string[] {
  const exit = charter.exitTerms;
  if (exit === undefined) return ["No exit terms."];
  const lines: string[] = [
    exit.noticePeriodDays === undefined
      ? "Notice period: not set."
      : `Notice period: ${days(exit.noticePeriodDays)} between an exit notice and the exit taking effect.`,
  ];
  for (const asset of exit.sharedAssets) {
    const owners = asset.owners.map((id) => partnerName(partners, id)).join(", ");
    const division = asset.division ?? exit.divisionRule;
    lines.push(
      `Shared asset "${asset.name}" (owned by ${owners}): ${division === undefined ? "how it divides is not set" : DIVISION_WORDS[division]}.`,
    );
  }
  if (exit.divisionRule !== undefined) {
    lines.push(
      exit.sharedAssets.length === 0
        ? `No shared assets registered yet; any that arise: ${DIVISION_WORDS[exit.divisionRule]}.`
        : `Any other shared asset: ${DIVISION_WORDS[exit.divisionRule]}.`,
    );
  } else if (exit.sharedAssets.length === 0) {
    lines.push("No shared assets registered, and no rule for dividing any that arise.");
  }
  lines.push(
    exit.nonDisparagement === undefined
      ? "Non-disparagement: not stated."
      : exit.nonDisparagement
        ? "Non-disparagement: a leaving partner acknowledges a non-disparagement clause."
        : "Non-disparagement: no clause.",
  );
  return lines;
}

function forceMajeureLines({ charter }: AllianceDraft): string[] {
  const clause = charter.forceMajeure;
  if (clause === undefined) return ["No force-majeure clause."];
  return [
    `"${clause.clause}"`,
    clause.suspendsObligationsDays === undefined
      ? "Obligations stay suspended while the event lasts."
      : `Obligations stay suspended for up to ${days(clause.suspendsObligationsDays)}; after that the exit terms may be invoked.`,
  ];
}

const MISSED_WORDS: Record<MissedDeadline, string> = {
  abstain: "no answer by the deadline counts as an abstention",
  reject: "no answer by the deadline counts as a rejection",
  "remind-then-abstain": "no answer by the deadline counts as an abstention",
};

function approvalLines({ charter, partners }: AllianceDraft): string[] {
  const round = charter.approval;
  return [
    `Approved by ${decisionRuleInWords(round.rule, partners)}.`,
    `Each partner answers within ${days(round.responseDeadlineDays)}` +
      (round.reminderDaysBeforeDeadline > 0
        ? `, with a reminder ${days(round.reminderDaysBeforeDeadline)} before the deadline; `
        : "; ") +
      `${MISSED_WORDS[round.onMissedDeadline]}.`,
    "If it is not approved, it returns to the admin with the partners' comments.",
  ];
}

function partnerName(partners: readonly Pick<Partner, "id" | "name">[], id: string): string {
  return partners.find((partner) => partner.id === id)?.name ?? id;
}

function days(count: number): string {
  return `${count} day${count === 1 ? "" : "s"}`;
}

function percent(ratio: number): string {
  return `${Number((ratio * 100).toFixed(1))}%`;
}

function formatNumber(value: number): string {
  return String(Number(value.toFixed(2)));
}

/** One difference between two versions of a charter, in the summary's words: a line changed, added or removed. */
export interface CharterChange {
  /** The summary section it is in ("Exit terms"), or "Alliance" (name, purpose, organiser) or "Contacts". */
  section: string;
  /** The line in the earlier version; absent when the line was added. */
  before?: string;
  /** The line in the later version; absent when the line was removed. */
  after?: string;
}

/**
 * What changed from one version of a draft to the next, as a partner would read it: every line of the charter
 * summary (rules, terms, goals, partners), plus the name, purpose, organiser and contacts, compared section by
 * section. A line that changed is one change (before → after) when it is plainly the same item: the same key
 * ("budget — …", "Notice period: …", "Acme (large, …)"), or the one line removed and the one added in its section.
 */
export function charterChanges(before: AllianceDraft, after: AllianceDraft): CharterChange[] {
  const was = comparedSections(before);
  return comparedSections(after).flatMap((section, index) =>
    sectionChanges(section.title, was[index]?.lines ?? [], section.lines),
  );
}

/** The sections two versions are compared by: the summary's, with who runs the alliance and who speaks for whom. */
function comparedSections(draft: AllianceDraft): CharterSummarySection[] {
  const organiser = draft.organiser;
  return [
    {
      title: "Alliance",
      lines: [
        `Name: ${draft.name}`,
        `Purpose: ${draft.purpose}`,
        `Expected duration: ${draft.expectedDurationMonths} month${draft.expectedDurationMonths === 1 ? "" : "s"}`,
        ...(organiser
          ? [`Organiser: ${organiser.name} (${organiser.organisation}), ${organiser.email}`]
          : []),
      ],
    },
    ...charterSummary(draft).sections,
    {
      title: "Contacts",
      lines: draft.partners.flatMap((partner) =>
        partner.contacts.map(
          (contact) => `${partner.name}, ${contact.role}: ${contact.name} (${contact.email})`,
        ),
      ),
    },
  ];
}

// The item a summary line is about: its words before " — ", ": " or " (" ("budget", "Notice period", "Acme").
function itemKey(line: string): string | undefined {
  const ends = [" — ", ": ", " ("].map((mark) => line.indexOf(mark)).filter((at) => at > 0);
  return ends.length === 0 ? undefined : line.slice(0, Math.min(...ends));
}

function sectionChanges(section: string, was: readonly string[], now: readonly string[]): CharterChange[] {
  const removed = was.filter((line) => !now.includes(line));
  const added = now.filter((line) => !was.includes(line));
  const changes: CharterChange[] = [];
  const unique = (lines: readonly string[], key: string) =>
    lines.filter((line) => itemKey(line) === key).length === 1;
  for (const line of [...added]) {
    const key = itemKey(line);
    if (key === undefined || !unique(added, key) || !unique(removed, key)) continue;
    const old = removed.find((candidate) => itemKey(candidate) === key) as string;
    changes.push({ section, before: old, after: line });
    removed.splice(removed.indexOf(old), 1);
    added.splice(added.indexOf(line), 1);
  }
  const [onlyRemoved] = removed;
  const [onlyAdded] = added;
  if (removed.length === 1 && added.length === 1 && onlyRemoved !== undefined && onlyAdded !== undefined) {
    return [...changes, { section, before: onlyRemoved, after: onlyAdded }];
  }
  return [
    ...changes,
    ...added.map((line) => ({ section, after: line })),
    ...removed.map((line) => ({ section, before: line })),
  ];
}
