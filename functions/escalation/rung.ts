import { AdminRequestError } from "../admin/alliances";
import { startExit } from "../admin/exits";
import { allEmails, loadVersion } from "../alliance/load";
import { type AllianceDraft, decideRung } from "../domain";
import { notifyOnce } from "../mail/notify";
import { escalationAtRung, escalationExhausted, escalationResolved } from "../mail/templates";
import type { Round } from "../requests";
import { adminEmail } from "../shared/config";
import { now, nowIso } from "../shared/time";
import {
  closeEscalationRecord,
  type EscalationRecord,
  getEscalation,
  readOutcomes,
  recordRungs,
  recordTrustEntry,
} from "../store";
import { ESCALATION_SYSTEM, type EscalationInput, type RungTask, rungInstance } from "./inputs";
import { rungPartners, rungVotes } from "./votes";

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
    `escalationRung_${escalation.escalationId.replace(/-/g, "_")}_${input.rung}`,
    allEmails(draft),
    escalationAtRung({
      allianceName: draft.name,
      subject: escalation.subject,
      description: escalation.description,
      concerned: escalation.partnerIds.map(nameIn(draft)),
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
  if (escalation.status !== "OPEN" || !rung) return { outcome: "closed", rung: input.rung };
  const instance = rungInstance(escalation.escalationId, input.rung);
  const missed = (await readOutcomes(input.allianceId, instance, "rung-decision")).some(
    (o) => o.status === "MISSED",
  );
  const reached = escalation.rungs[input.rung] ?? {
    name: rung.name,
    startedAt: nowIso(),
    deadline: nowIso(),
  };
  const counted = decideRung(
    rung.decision,
    await rungPartners(input.allianceId, draft, rung),
    await rungVotes(input.allianceId, instance),
    {
      critical: escalation.critical,
      minorityVeto: rung.minorityVeto ? draft.charter.minorityVeto : undefined,
      deadlinePassed: missed || Date.parse(reached.deadline) <= now(),
    },
  );
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
  const nameOf = nameIn(draft);

  if (verdict.outcome === "resolved") {
    const trust = await upheldWithdrawals(escalation, draft);
    await recordRungs({ escalation, rung: input.rung, rungs: rungsNow });
    await closeEscalationRecord({
      escalation,
      status: "RESOLVED",
      fields: { rungs: rungsNow, resolution: { text: verdict.resolution ?? "", rung: input.rung, at } },
      event: {
        at,
        type: "escalation.resolved",
        summary: `"${escalation.subject}" was resolved at ${rung.name}: ${verdict.resolution ?? ""}`,
        actor: ESCALATION_SYSTEM,
        data: { escalationId: escalation.escalationId, rung: input.rung + 1 },
      },
    });
    await notifyOnce(
      alliance,
      `escalationClosed_${escalation.escalationId.replace(/-/g, "_")}`,
      allEmails(draft),
      escalationResolved({
        allianceName: draft.name,
        subject: escalation.subject,
        rungName: rung.name,
        resolution: verdict.resolution ?? "",
        reason: verdict.reason,
        ...(trust.length > 0
          ? { trust: `Upheld: a trust withdrawal is recorded for ${trust.map(nameOf).join(", ")}.` }
          : {}),
      }),
      ESCALATION_SYSTEM,
    );
    return { outcome: "resolved", rung: input.rung };
  }

  if (input.rung + 1 < rungs.length) {
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

  const invokeExit = draft.charter.escalation?.afterLastRung === "invoke-exit";
  const next = invokeExit
    ? await invokeExitPlan(escalation, draft)
    : "The charter leaves it to the alliance's admin, who has been told.";
  await closeEscalationRecord({
    escalation,
    status: "EXHAUSTED",
    fields: { rungs: rungsNow },
    event: {
      at,
      type: "escalation.exhausted",
      summary: `"${escalation.subject}" passed the last rung (${rung.name} ${MOVED_WORDS[verdict.outcome]}): ${next}`,
      actor: ESCALATION_SYSTEM,
      data: {
        escalationId: escalation.escalationId,
        afterLastRung: invokeExit ? "invoke-exit" : "notify-admin",
      },
    },
  });
  const email = (forAdmin: boolean) =>
    escalationExhausted({
      allianceName: draft.name,
      allianceId: input.allianceId,
      escalationId: escalation.escalationId,
      subject: escalation.subject,
      reason: `${rung.name} ${MOVED_WORDS[verdict.outcome]}: ${verdict.reason}`,
      next,
      forAdmin,
    });
  const marker = `escalationClosed_${escalation.escalationId.replace(/-/g, "_")}`;
  await notifyOnce(alliance, marker, allEmails(draft), email(false), ESCALATION_SYSTEM);
  await notifyOnce(alliance, `${marker}_admin`, [adminEmail()], email(true), ESCALATION_SYSTEM);
  return { outcome: "exhausted", rung: input.rung };
}

/** An upheld free-rider or missed-commitment concern: a 2-point withdrawal per partner concerned (fixed ids). */
async function upheldWithdrawals(escalation: EscalationRecord, draft: AllianceDraft): Promise<string[]> {
  if (escalation.kind !== "free-rider" && escalation.kind !== "missed-commitment") return [];
  const at = nowIso();
  for (const partnerId of escalation.partnerIds) {
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
  return escalation.partnerIds;
}

/**
 * Past the last rung, when the charter says so: the exit plan starts for each partner the concern is about, as if an
 * admin had started it (the charter's notice period; the exit's own refusals apply). Returns the sentence for the
 * emails and the timeline. A retried task finds the exit already running and says so.
 */
async function invokeExitPlan(escalation: EscalationRecord, draft: AllianceDraft): Promise<string> {
  const nameOf = nameIn(draft);
  const lines: string[] = [];
  for (const partnerId of escalation.partnerIds) {
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
