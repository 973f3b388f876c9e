import { AdminRequestError } from "../admin/alliances";
import { startExit } from "../admin/exits";
import { allEmails, loadVersion, partnersInAlliance } from "../alliance/load";
import type { AllianceDraft } from "../domain";
import { notifyOnce, onceMarker } from "../mail/notify";
import { escalationAtRung, escalationExhausted, escalationResolved } from "../mail/templates";
import type { Round } from "../requests";
import { adminEmail } from "../shared/config";
import { now, nowIso } from "../shared/time";
import {
  type AllianceRecord,
  closeEscalationRecord,
  type EscalationRecord,
  getEscalation,
  partnerStatuses,
  readOutcomes,
  recordRungs,
  recordTrustEntry,
} from "../store";
import { ESCALATION_SYSTEM, type EscalationInput, type RungTask, rungInstance } from "./inputs";
import { raisedByWords } from "./raise";
import { rungPartners, rungVerdict } from "./votes";

const DAY_MS = 86_400_000;
const ROLE_WORDS = {
  lead: "the partners' leads",
  committee: "the steering committee",
  sponsor: "the executive sponsors",
};

/** The escalation and the charter version it runs under; its absence is a programming error. */
async function load(input: EscalationInput) {
  const escalation = await getEscalation(input.allianceId, input.escalationId);
  if (!escalation) throw new Error(`no escalation ${input.escalationId}`);
  const { alliance, draft } = await loadVersion(input.allianceId, escalation.charterVersion);
  const rungs = draft.charter.escalation?.rungs ?? [];
  return { escalation, alliance, draft, rungs };
}

const nameIn = (draft: AllianceDraft) => (id: string) => draft.partners.find((p) => p.id === id)?.name ?? id;

/**
 * A concern reaches a rung: the rung is recorded (once: a retry finds it), everyone is told what the concern is, who
 * decides now and by when, and why it moved; each partner still in the alliance with a contact in one of the rung's
 * roles is asked (every such contact of it; the first to answer answers for the partner). No round once the
 * escalation is no longer OPEN (withdrawn meanwhile).
 */
export async function openRung(input: RungTask): Promise<{ round?: Round }> {
  const { escalation, alliance, draft, rungs } = await load(input);
  const rung = rungs[input.rung];
  if (escalation.status !== "OPEN" || !rung) return {};
  // A dissolved alliance (or one no longer ACTIVE) asks no one: the concern is withdrawn, and says why.
  if (alliance.status !== "ACTIVE") {
    await closeEscalationRecord({
      escalation,
      status: "WITHDRAWN",
      fields: { withdrawReason: `the alliance is ${alliance.status}` },
      event: {
        at: nowIso(),
        type: "escalation.withdrawn",
        summary: `"${escalation.subject}" was withdrawn: the alliance is ${alliance.status}`,
        actor: ESCALATION_SYSTEM,
        data: { escalationId: escalation.escalationId },
      },
    });
    return {};
  }
  let reached = escalation.rungs[input.rung];
  if (!reached) {
    const at = nowIso();
    reached = {
      name: rung.name,
      startedAt: at,
      deadline: new Date(now() + rung.deadlineDays * DAY_MS).toISOString(),
    };
    // A force-majeure concern starts at the rung the charter's clause names: the rungs below are skipped.
    const skipped = rungs.slice(escalation.rungs.length, input.rung).map((below) => ({
      name: below.name,
      startedAt: at,
      deadline: at,
      outcome: "skipped" as const,
      reason: `a force-majeure concern starts at ${rung.name}, as the charter's clause says`,
      closedAt: at,
    }));
    await recordRungs({
      escalation,
      rung: input.rung,
      rungs: [...escalation.rungs.slice(0, input.rung), ...skipped, reached],
      event: {
        at: reached.startedAt,
        type: escalation.rungs.length === 0 ? "escalation.opened" : "escalation.moved",
        summary: `"${escalation.subject}" is with ${rung.name} (rung ${input.rung + 1}) until ${reached.deadline.slice(0, 10)}`,
        actor: ESCALATION_SYSTEM,
        data: { escalationId: escalation.escalationId, rung: input.rung + 1 },
      },
    });
  }
  const previous = escalation.rungs[input.rung - 1];
  const moved = previous && previous.outcome !== "skipped" ? previous : undefined;
  await notifyOnce(
    alliance,
    draft,
    `${onceMarker("escalationRung", escalation.escalationId)}_${input.rung}`,
    await recipients(input.allianceId, draft),
    escalationAtRung({
      allianceName: draft.name,
      subject: escalation.subject,
      description: escalation.description,
      concerned: escalation.partnerIds.map(nameIn(draft)),
      raisedBy: raisedByWords(escalation.raisedBy, draft),
      rungName: rung.name,
      rungNumber: input.rung + 1,
      participants: rung.participants.map((role) => ROLE_WORDS[role]).join(" and "),
      deadline: reached.deadline,
      ...(moved
        ? { moved: `${moved.name} ${MOVED_WORDS[moved.outcome ?? "missed"]}: ${moved.reason ?? ""}` }
        : {}),
    }),
    ESCALATION_SYSTEM,
  );
  const deadlineSeconds = Math.max(60, Math.floor((Date.parse(reached.deadline) - now()) / 1000));
  return {
    round: {
      instance: rungInstance(escalation.escalationId, input.rung),
      charterVersion: escalation.charterVersion,
      deadlineSeconds,
      remindBeforeSeconds: Math.min(2 * 86_400, Math.floor(deadlineSeconds / 2)),
      recipients: (await rungPartners(input.allianceId, draft, rung)).map((partner) => ({
        who: "role" as const,
        partnerId: partner.id,
        role: rung.participants.find((role) => partner.contacts.some((c) => c.role === role)) ?? "lead",
      })),
    },
  };
}

const MOVED_WORDS = {
  skipped: "was skipped",
  resolved: "resolved it",
  escalated: "escalated it",
  vetoed: "could not resolve it: a minority veto",
  missed: "did not resolve it by its deadline",
} as const;

/**
 * A rung's round has closed (everyone answered, the outcome settled early, or the deadline passed): its verdict is
 * recorded. Resolved: the escalation is RESOLVED with the written resolution, everyone is told, and an upheld
 * free-rider or missed-commitment concern is a trust withdrawal for each partner it concerns. Otherwise the next rung
 * takes it, or, past the last, the escalation is EXHAUSTED and the charter's afterLastRung applies.
 */
export async function closeRung(
  input: RungTask,
): Promise<{ outcome: "resolved" | "next" | "exhausted" | "closed"; rung: number }> {
  const { escalation, alliance, draft, rungs } = await load(input);
  const rung = rungs[input.rung];
  if (!rung || escalation.rung !== input.rung) return { outcome: "closed", rung: input.rung };
  // An earlier attempt closed it: finish what that attempt may not have (each step is once-only).
  if (escalation.status === "RESOLVED") {
    await finishResolved(escalation, alliance, draft);
    return { outcome: "resolved", rung: input.rung };
  }
  if (escalation.status === "EXHAUSTED") {
    await finishExhausted(escalation, alliance, draft);
    return { outcome: "exhausted", rung: input.rung };
  }
  if (escalation.status !== "OPEN") return { outcome: "closed", rung: input.rung };

  const instance = rungInstance(escalation.escalationId, input.rung);
  const outcomes = await readOutcomes(input.allianceId, instance, "rung-decision");
  const missed = outcomes.some((o) => o.status === "MISSED");
  const reached = escalation.rungs[input.rung] ?? {
    name: rung.name,
    startedAt: nowIso(),
    deadline: nowIso(),
  };
  const counted = await rungVerdict({
    allianceId: input.allianceId,
    draft,
    rung,
    critical: escalation.critical,
    outcomes,
    deadlinePassed: missed || Date.parse(reached.deadline) <= now(),
  });
  // The round closed without a verdict (its requests withdrawn): nothing more will come, so the deadline counts.
  const verdict =
    counted.outcome === "pending"
      ? { ...counted, outcome: "missed" as const }
      : { ...counted, outcome: counted.outcome };
  const at = nowIso();
  const closedRung = {
    ...reached,
    outcome: verdict.outcome,
    reason: verdict.reason,
    ...(verdict.vetoedBy ? { vetoedBy: verdict.vetoedBy } : {}),
    closedAt: at,
  };
  const rungsNow = [...escalation.rungs.slice(0, input.rung), closedRung];

  if (verdict.outcome !== "resolved" && input.rung + 1 < rungs.length) {
    await recordRungs({
      escalation,
      rung: input.rung,
      rungs: rungsNow,
      event: {
        at,
        type: `escalation.${verdict.outcome}`,
        summary: `${rung.name} ${MOVED_WORDS[verdict.outcome]} ("${escalation.subject}"): ${verdict.reason}`,
        actor: ESCALATION_SYSTEM,
        data: {
          escalationId: escalation.escalationId,
          rung: input.rung + 1,
          ...(verdict.vetoedBy ? { vetoedBy: verdict.vetoedBy } : {}),
        },
      },
    });
    return { outcome: "next", rung: input.rung + 1 };
  }

  // Closed first (a withdrawal meanwhile wins), then what follows from it.
  const resolved = verdict.outcome === "resolved";
  const closed = resolved
    ? {
        ...escalation,
        status: "RESOLVED" as const,
        rungs: rungsNow,
        resolution: { text: verdict.resolution ?? "", rung: input.rung, at },
      }
    : { ...escalation, status: "EXHAUSTED" as const, rungs: rungsNow };
  const written = await closeEscalationRecord({
    escalation,
    status: closed.status,
    fields: resolved ? { rungs: rungsNow, resolution: closed.resolution } : { rungs: rungsNow },
    event: {
      at,
      type: resolved ? "escalation.resolved" : "escalation.exhausted",
      summary: resolved
        ? `"${escalation.subject}" was resolved at ${rung.name}: ${verdict.resolution ?? ""}`
        : `"${escalation.subject}" passed the last rung (${rung.name} ${MOVED_WORDS[verdict.outcome]}: ${verdict.reason})`,
      actor: ESCALATION_SYSTEM,
      data: {
        escalationId: escalation.escalationId,
        rung: input.rung + 1,
        ...(resolved ? {} : { afterLastRung: draft.charter.escalation?.afterLastRung ?? "notify-admin" }),
      },
    },
  });
  if (!written) {
    // Withdrawn (or closed by an earlier attempt) meanwhile: that state decides what happens now.
    const now = await getEscalation(input.allianceId, input.escalationId);
    if (now?.status === "OPEN")
      throw new Error(`escalation ${input.escalationId} could not be closed; retrying`);
    return closeRung(input);
  }
  if (resolved) await finishResolved(closed, alliance, draft);
  else await finishExhausted(closed, alliance, draft);
  return { outcome: resolved ? "resolved" : "exhausted", rung: input.rung };
}

/** Everyone still in the alliance: who hears where a concern stands. */
async function recipients(allianceId: string, draft: AllianceDraft): Promise<string[]> {
  return allEmails({ ...draft, partners: await partnersInAlliance(allianceId, draft) });
}

/** After a resolution: the trust withdrawals an upheld concern brings, then everyone told (each once). */
async function finishResolved(escalation: EscalationRecord, alliance: AllianceRecord, draft: AllianceDraft) {
  const rung = escalation.rungs[escalation.rung];
  const resolution = escalation.resolution ?? { text: "", rung: escalation.rung, at: nowIso() };
  const withdrawn = await upheldWithdrawals(escalation, resolution.at, draft);
  await notifyOnce(
    alliance,
    draft,
    onceMarker("escalationClosed", escalation.escalationId),
    await recipients(escalation.allianceId, draft),
    escalationResolved({
      allianceName: draft.name,
      subject: escalation.subject,
      rungName: rung?.name ?? `rung ${escalation.rung + 1}`,
      resolution: resolution.text,
      reason: rung?.reason ?? "",
      ...(withdrawn.length > 0
        ? { trust: `Upheld: a trust withdrawal is recorded for ${withdrawn.map(nameIn(draft)).join(", ")}.` }
        : {}),
    }),
    ESCALATION_SYSTEM,
  );
}

/** Past the last rung: the charter's afterLastRung (the exit plan, or the admin), and everyone told (each once). */
async function finishExhausted(escalation: EscalationRecord, alliance: AllianceRecord, draft: AllianceDraft) {
  const rung = escalation.rungs[escalation.rung];
  const next =
    draft.charter.escalation?.afterLastRung === "invoke-exit"
      ? await invokeExitPlan(escalation, draft)
      : "The charter leaves it to the alliance's admin, who has been told.";
  const email = (forAdmin: boolean) =>
    escalationExhausted({
      allianceName: draft.name,
      allianceId: escalation.allianceId,
      escalationId: escalation.escalationId,
      subject: escalation.subject,
      reason: `${rung?.name ?? "the last rung"} ${MOVED_WORDS[rung?.outcome ?? "missed"]}: ${rung?.reason ?? ""}`,
      next,
      forAdmin,
    });
  const marker = onceMarker("escalationClosed", escalation.escalationId);
  await notifyOnce(
    alliance,
    draft,
    marker,
    await recipients(escalation.allianceId, draft),
    email(false),
    ESCALATION_SYSTEM,
  );
  await notifyOnce(alliance, draft, `${marker}_admin`, [adminEmail()], email(true), ESCALATION_SYSTEM);
}

/**
 * An upheld free-rider or missed-commitment concern: a 2-point withdrawal for each partner concerned that is still in
 * the alliance, at the resolution's time with a fixed id (a retry records nothing twice). The partners charged.
 */
async function upheldWithdrawals(
  escalation: EscalationRecord,
  at: string,
  draft: AllianceDraft,
): Promise<string[]> {
  if (escalation.kind !== "free-rider" && escalation.kind !== "missed-commitment") return [];
  const inAlliance = new Set((await partnersInAlliance(escalation.allianceId, draft)).map((p) => p.id));
  const charged = escalation.partnerIds.filter((id) => inAlliance.has(id));
  for (const partnerId of charged) {
    const name = draft.partners.find((p) => p.id === partnerId)?.name ?? partnerId;
    await recordTrustEntry(
      escalation.allianceId,
      {
        entryId: `upheld-${escalation.escalationId}-${partnerId}`,
        at,
        partnerId,
        direction: "withdrawal",
        kind: "missed",
        points: 2,
        note: `Upheld concern (${escalation.kind}): ${escalation.subject}`,
        recordedBy: "concord",
      },
      {
        at,
        type: "trust.withdrawal",
        summary: `Trust withdrawal for ${name}: −2 (missed): the concern "${escalation.subject}" was upheld`,
        actor: ESCALATION_SYSTEM,
        data: { partnerId, kind: "missed", points: 2, escalationId: escalation.escalationId },
      },
      ["ACTIVE"],
    );
  }
  return charged;
}

/**
 * Past the last rung, when the charter says so: the exit plan starts for each partner the concern is about, as if an
 * admin had started it (the charter's notice period; the exit's own refusals apply). Returns the sentence for the
 * emails and the timeline. A retried task finds the exit already running and says so.
 */
async function invokeExitPlan(escalation: EscalationRecord, draft: AllianceDraft): Promise<string> {
  const nameOf = nameIn(draft);
  const lines: string[] = [];
  const statuses = await partnerStatuses(escalation.allianceId);
  for (const partnerId of escalation.partnerIds) {
    const status = statuses.get(partnerId);
    if (status) {
      lines.push(
        status.status === "EXITED"
          ? `${nameOf(partnerId)} has already left the alliance.`
          : `${nameOf(partnerId)}'s exit ${status.exitId} is under way.`,
      );
      continue;
    }
    try {
      const started = await startExit(
        escalation.allianceId,
        {
          partnerId,
          reason: `The concern "${escalation.subject}" passed the last rung of the escalation ladder`,
        },
        ESCALATION_SYSTEM,
      );
      lines.push(
        `${nameOf(partnerId)}'s exit ${started.exitId} has started, effective ${started.effectiveDate.slice(0, 10)}.`,
      );
    } catch (error) {
      if (!(error instanceof AdminRequestError)) throw error;
      lines.push(`${nameOf(partnerId)}'s exit did not start: ${error.message}.`);
    }
  }
  return `The charter invokes the exit plan. ${lines.join(" ")}`;
}
