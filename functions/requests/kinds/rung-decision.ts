import { loadVersion } from "../../alliance/load";
import { auditMode } from "../../domain";
import { parseRungInstance, rungInstance } from "../../escalation/inputs";
import { raisedByWords } from "../../escalation/raise";
import {
  type RungDecisionAnswer,
  RungDecisionSchema,
  rungVerdict,
  rungVotes,
  voteLine,
} from "../../escalation/votes";
import { decisionRuleInWords } from "../../mail/charter-summary";
import { rungRequest } from "../../mail/templates";
import { type ConcernView, readRungForm, rungDecisionForm } from "../../pages";
import { html } from "../../shared/html";
import { getEscalation, readOutcomes } from "../../store";
import type { KindWords, RequestKindSpec } from "../kind";

const WORDS: KindWords = {
  noun: "answer on the concern",
  task: "resolve or escalate a concern",
  partnerTask: "resolve or escalate the concern",
  button: "Resolve or escalate",
};

/** The concern and what happened at the rungs before this one, as the page and email show them. */
async function concernOf(allianceId: string, instance: string): Promise<ConcernView | undefined> {
  const names = parseRungInstance(instance);
  if (!names) return undefined;
  const escalation = await getEscalation(allianceId, names.escalationId);
  if (!escalation) return undefined;
  const { draft } = await loadVersion(allianceId, escalation.charterVersion);
  const rungs = draft.charter.escalation?.rungs ?? [];
  const rung = rungs[names.rung];
  const nameOf = (id: string) => draft.partners.find((p) => p.id === id)?.name ?? id;
  const history: string[] = [];
  for (const [index, reached] of escalation.rungs.slice(0, names.rung).entries()) {
    history.push(
      `Rung ${index + 1}, ${reached.name}: ${reached.outcome ?? "open"}${reached.reason ? ` (${reached.reason})` : ""}`,
    );
    for (const vote of await rungVotes(allianceId, rungInstance(escalation.escalationId, index))) {
      history.push(`  ${voteLine(nameOf(vote.partnerId), vote)}`);
    }
  }
  return {
    subject: escalation.subject,
    description: escalation.description,
    kind: escalation.kind,
    critical: escalation.critical,
    concerned: escalation.partnerIds.map(nameOf),
    raisedBy: raisedByWords(escalation.raisedBy, draft),
    rungName: rung?.name ?? `rung ${names.rung + 1}`,
    rungNumber: names.rung + 1,
    rungCount: rungs.length,
    rule: rung ? decisionRuleInWords(rung.decision, draft.partners) : "its rule",
    history,
  };
}

/** Escalation: each rung's participants answer for their partner; silence counts as an abstention. */
export const rungDecisionKind: RequestKindSpec<RungDecisionAnswer, ConcernView> = {
  decision: RungDecisionSchema,
  words: WORDS,
  loadPacket: ({ allianceId, instance }) => concernOf(allianceId, instance),
  requestEmail: ({ draft, partner, contact, link, deadline, packet }) =>
    rungRequest({
      button: WORDS.button,
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      link,
      deadline,
      subject: packet?.subject ?? "a concern",
      rungName: packet?.rungName ?? "your rung",
      history: packet?.history ?? [],
    }),
  form: ({ draft, partner, contact, deadline, secret, colleagues, errors, values, packet, revising }) =>
    rungDecisionForm({
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      deadline,
      secret,
      colleagues,
      concern: packet,
      mode: auditMode(draft).mode,
      ...(revising ? { revising } : {}),
      ...(errors ? { errors } : {}),
      ...(values ? { values } : {}),
    }),
  readForm: (body) => {
    const read = readRungForm(body);
    if (!read.ok || read.action !== "decide") return read;
    return { ...read, decision: { kind: "rung-decision", ...read.decision } };
  },
  show: ({ choice, text }) => html`<dl>
<dt><strong>Answer</strong></dt><dd>${voteLine("", { choice })}</dd>
${text !== undefined && html`<dt><strong>In writing</strong></dt><dd>${text}</dd>`}
</dl>`,
  summary: (answer) => voteLine("", answer),
  silence: (_draft, partnerName) => ({
    countedAs: "abstain",
    consequence: `${partnerName} did not answer on the concern by the rung's deadline; it counts as an abstention.`,
  }),
  // A partner may change its answer while its rung is open and undecided; the last answer counts.
  revisable: async ({ allianceId, instance }) =>
    (await rungState(allianceId, instance))?.verdict.outcome === "pending",
  // The rung closes as soon as its outcome can no longer change: the partners still to answer are not waited for.
  settles: async ({ allianceId, instance }) => {
    const verdict = (await rungState(allianceId, instance))?.verdict;
    return verdict === undefined || verdict.outcome === "pending"
      ? undefined
      : `the rung has decided: ${verdict.reason}`;
  },
};

/** A rung still open (its escalation OPEN and at this rung, not yet closed) and its verdict on the answers so far. */
async function rungState(allianceId: string, instance: string) {
  const names = parseRungInstance(instance);
  const escalation = names && (await getEscalation(allianceId, names.escalationId));
  if (!names || !escalation || escalation.status !== "OPEN" || escalation.rung !== names.rung)
    return undefined;
  if (escalation.rungs[names.rung]?.outcome !== undefined) return undefined;
  const { draft } = await loadVersion(allianceId, escalation.charterVersion);
  const rung = draft.charter.escalation?.rungs[names.rung];
  if (!rung) return undefined;
  const verdict = await rungVerdict({
    allianceId,
    draft,
    rung,
    critical: escalation.critical,
    outcomes: await readOutcomes(allianceId, instance, "rung-decision"),
    deadlinePassed: false,
  });
  return { escalation, verdict };
}
