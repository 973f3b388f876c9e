import { allEmails, loadVersion, partnersInAlliance } from "../alliance/load";
import type { AllianceDraft } from "../domain";
import { notifyOnce, onceMarker } from "../mail/notify";
import { exitDivisionContested, exitDivisionProposed } from "../mail/templates";
import { answerTask, decisionsOf, type Round } from "../requests";
import { adminEmail } from "../shared/config";
import { now, nowIso } from "../shared/time";
import {
  advanceExit,
  type ExitRecord,
  getExit,
  keepDivisionTaskToken,
  readOutcomes,
  recordDivisionOnce,
} from "../store";
import {
  DIVISION_DECISION_REMINDER_DAYS,
  type DivisionDecisionTask,
  EXIT_SYSTEM,
  type ExitInput,
} from "./inputs";

/** How long each partner has to approve or contest the division. */
const DIVISION_DAYS = 7;

const DAY_S = 86_400;

/** Whether a settled division goes to the admin: a partner contested it, or an asset has no division rule. */
export function isContested(exit: ExitRecord): boolean {
  const settlement = exit.divisionSettlement;
  return (
    settlement !== undefined &&
    (settlement.contests.length > 0 ||
      settlement.undivided.length > 0 ||
      (settlement.excused?.length ?? 0) > 0)
  );
}

/** The exit, which the workflow's input names; its absence is a programming error. */
export async function exitOf(input: ExitInput): Promise<ExitRecord> {
  const exit = await getExit(input.allianceId, input.exitId);
  if (!exit) throw new Error(`no exit ${input.exitId}`);
  return exit;
}

/**
 * The notice period has ended: the exit moves to ASSET_DIVISION, everyone is told how the shared assets divide, and
 * the lead of every partner still in the alliance (the leaving one too) is asked to approve or contest it. No round
 * when the charter registers no shared asset.
 */
export async function proposeDivision(input: ExitInput): Promise<{ round?: Round }> {
  let exit = await exitOf(input);
  if (exit.status === "NOTICE") {
    await advanceExit({
      exit,
      from: "NOTICE",
      to: "ASSET_DIVISION",
      event: {
        at: nowIso(),
        type: "exit.division-proposed",
        summary:
          exit.division.length > 0
            ? "The notice period ended; the division of the shared assets is put to the partners"
            : "The notice period ended; the charter registers no shared asset to divide",
        actor: EXIT_SYSTEM,
        data: { exitId: exit.exitId },
      },
    });
    exit = await exitOf(input);
  }
  if (exit.status !== "ASSET_DIVISION" || exit.division.length === 0) return {};
  const { alliance, draft } = await loadVersion(input.allianceId, exit.charterVersion);
  const leaving = draft.partners.find((p) => p.id === exit.partnerId);
  await notifyOnce(
    alliance,
    draft,
    onceMarker("exitDivision", exit.exitId),
    allEmails(draft),
    exitDivisionProposed({
      allianceName: draft.name,
      ...(leaving ? { leaving: leaving.name } : {}),
      division: exit.division,
      deadline: new Date(now() + DIVISION_DAYS * DAY_S * 1000).toISOString(),
    }),
    EXIT_SYSTEM,
  );
  const asked = await partnersInAlliance(input.allianceId, draft);
  return {
    round: {
      instance: exit.exitId,
      charterVersion: exit.charterVersion,
      deadlineSeconds: DIVISION_DAYS * DAY_S,
      remindBeforeSeconds: 2 * DAY_S,
      recipients: asked.map((p) => ({ who: "lead", partnerId: p.id })),
    },
  };
}

/**
 * The division round has closed: records who approved, who contested (and why) and who was silent (no objection).
 * Contested, or with assets the charter gives no rule, it goes to the admin: everyone is told, and the admin is asked
 * to decide. Once: a retried task reads the settlement it recorded.
 */
export async function settleDivision(input: ExitInput): Promise<{ contested: boolean }> {
  let exit = await exitOf(input);
  if (exit.status !== "ASSET_DIVISION" || exit.division.length === 0) return { contested: false };
  const { alliance, draft } = await loadVersion(input.allianceId, exit.charterVersion);
  const nameOf = (id: string) => draft.partners.find((p) => p.id === id)?.name ?? id;
  if (!exit.divisionSettlement) {
    const decisions = await decisionsOf(input.allianceId, exit.exitId, "asset-division");
    const outcomes = await readOutcomes(input.allianceId, exit.exitId, "asset-division");
    const answers = [...decisions.entries()];
    const settlement = {
      approved: answers.filter(([, d]) => d.approve).map(([partnerId]) => partnerId),
      contests: answers
        .filter(([, d]) => !d.approve)
        .map(([partnerId, d]) => ({ partnerId, reason: d.reason ?? "" })),
      silent: outcomes.filter((o) => o.status !== "DECIDED" && !o.excused).map((o) => o.partnerId),
      excused: outcomes.filter((o) => o.excused).map((o) => o.partnerId),
      undivided: exit.division.filter((d) => d.rule === "undivided").map((d) => d.asset),
      settledAt: nowIso(),
    };
    const contested = isContested({ ...exit, divisionSettlement: settlement });
    await recordDivisionOnce({
      exit,
      field: "divisionSettlement",
      value: settlement,
      event: {
        at: settlement.settledAt,
        type: contested ? "exit.division-contested" : "exit.division-approved",
        summary: contested
          ? `The asset division goes to the admin: ${[
              ...settlement.contests.map((c) => `${nameOf(c.partnerId)} contested it (${c.reason})`),
              ...settlement.undivided.map((asset) => `${asset} has no division rule`),
              ...settlement.excused.map(
                (id) => `${nameOf(id)} could not answer (its deadlines are suspended under force majeure)`,
              ),
            ].join("; ")}`
          : `The asset division stands: ${settlementInWords(settlement, nameOf)}`,
        actor: EXIT_SYSTEM,
        data: { exitId: exit.exitId },
      },
    });
    // Read back: an earlier attempt may have recorded the settlement first, and that one counts.
    exit = await exitOf(input);
  }
  const contested = isContested(exit);
  if (!contested) return { contested };
  await notifyOnce(
    alliance,
    draft,
    onceMarker("exitContested", exit.exitId),
    allEmails(draft),
    contestedEmail(exit, draft, false),
    EXIT_SYSTEM,
  );
  await notifyOnce(
    alliance,
    draft,
    onceMarker("exitContestedAdmin", exit.exitId),
    [adminEmail()],
    contestedEmail(exit, draft, true),
    EXIT_SYSTEM,
  );
  return { contested };
}

/** How the partners answered an uncontested division: "approved by A, B; no objection from C". */
export function settlementInWords(
  settlement: NonNullable<ExitRecord["divisionSettlement"]>,
  nameOf: (partnerId: string) => string,
): string {
  return [
    settlement.approved.length > 0 && `approved by ${settlement.approved.map(nameOf).join(", ")}`,
    settlement.silent.length > 0 && `no objection from ${settlement.silent.map(nameOf).join(", ")}`,
  ]
    .filter(Boolean)
    .join("; ");
}

/**
 * Waits for the admin's decision on a contested division: keeps this task's token on the exit for the admin API to
 * answer, or, when the admin decided before this task ran (a retry, or a reminder's new wait), answers it at once.
 */
export async function awaitDivisionDecision(task: DivisionDecisionTask): Promise<{ waiting: boolean }> {
  const exit = await exitOf(task);
  if (!exit.divisionDecision && (await keepDivisionTaskToken(exit, task.taskToken))) return { waiting: true };
  const now = await exitOf(task);
  if (!now.divisionDecision) throw new Error(`exit ${task.exitId} is ${now.status}: no division to decide`);
  await answerTask(task.taskToken, { decided: true });
  return { waiting: false };
}

/** The admin has not decided the contested division for a while: they are reminded (once per wait). */
export async function remindDivisionDecision(input: ExitInput): Promise<{ reminded: boolean }> {
  const exit = await exitOf(input);
  if (exit.status !== "ASSET_DIVISION" || exit.divisionDecision) return { reminded: false };
  const { alliance, draft } = await loadVersion(input.allianceId, exit.charterVersion);
  const waited = Math.floor(
    (now() - Date.parse(exit.divisionSettlement?.settledAt ?? exit.effectiveDate)) /
      (DIVISION_DECISION_REMINDER_DAYS * DAY_S * 1000),
  );
  const email = contestedEmail(exit, draft, true);
  const reminded = await notifyOnce(
    alliance,
    draft,
    `${onceMarker("exitDivisionReminder", exit.exitId)}_${waited}`,
    [adminEmail()],
    { ...email, subject: `Reminder: ${email.subject}` },
    EXIT_SYSTEM,
  );
  return { reminded };
}

/** Why the division goes to the admin, to the partners or (with how to decide) to the admin. */
function contestedEmail(exit: ExitRecord, draft: AllianceDraft, forAdmin: boolean) {
  const nameOf = (id: string) => draft.partners.find((p) => p.id === id)?.name ?? id;
  const leaving = draft.partners.find((p) => p.id === exit.partnerId);
  return exitDivisionContested({
    allianceName: draft.name,
    allianceId: exit.allianceId,
    exitId: exit.exitId,
    ...(leaving ? { leaving: leaving.name } : {}),
    contests: (exit.divisionSettlement?.contests ?? []).map((c) => ({
      partnerName: nameOf(c.partnerId),
      reason: c.reason,
    })),
    undivided: exit.divisionSettlement?.undivided ?? [],
    forAdmin,
  });
}
