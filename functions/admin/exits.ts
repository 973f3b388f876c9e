import { isDeepStrictEqual } from "node:util";
import { StopExecutionCommand } from "@aws-sdk/client-sfn";
import { allEmails, loadVersion, partnersInAlliance } from "../alliance/load";
import { type AllianceDraft, divisionPlan, exitSchedule, parseWith, transferSentence } from "../domain";
import { isContested } from "../exit/division";
import { DivisionDecisionSchema, ExitCancelSchema, ExitStartSchema, exitIdOf } from "../exit/inputs";
import { obligationStatuses, settledTransfers } from "../exit/wind-down";
import { notify, notifyOnce, onceMarker } from "../mail/notify";
import { exitCancelled, exitDivisionDecided } from "../mail/templates";
import { answerTask } from "../requests";
import { sfn } from "../shared/clients";
import { config } from "../shared/config";
import { claimAndStart } from "../shared/executions";
import { now, nowIso } from "../shared/time";
import {
  type Actor,
  type AllianceRecord,
  cancelExitRecord,
  closeRequest,
  type ExitRecord,
  getExit,
  listExits,
  listRequests,
  partnerStatuses,
  recordDivisionOnce,
  startExitRecord,
} from "../store";
import { AdminRequestError, allianceOr404 } from "./alliances";

const INVALID = "the exit request is invalid; nothing was started";

/** An exit not yet COMPLETED or CANCELLED: in its notice period, dividing its assets, or winding down. */
function isRunning(exit: ExitRecord): boolean {
  return exit.status !== "COMPLETED" && exit.status !== "CANCELLED";
}

/**
 * Starts a formal exit: one partner's (`partnerId`) or the alliance's dissolution (`dissolve: true`), for a reason,
 * taking effect on the requested date or when the charter's notice period ends. Refused with 400 naming the field
 * (a partner the alliance does not have, a date the notice period does not allow, force majeure the charter lacks)
 * and with 409 (the alliance is not ACTIVE, the partner already leaving or gone, an exit already running for it or a
 * dissolution running). Nothing is written when refused.
 */
export async function startExit(allianceId: string, body: unknown, actor: Actor) {
  const parsed = parseWith(ExitStartSchema, body);
  if (!parsed.ok) throw new AdminRequestError(400, INVALID, parsed.errors);
  const request = parsed.value;
  const alliance = await allianceOr404(allianceId);
  if (alliance.status !== "ACTIVE") {
    throw new AdminRequestError(
      409,
      `alliance ${allianceId} is ${alliance.status}; only an ACTIVE alliance has exits`,
    );
  }
  const { draft } = await loadVersion(allianceId, alliance.version);
  const [statuses, exits] = await Promise.all([partnerStatuses(allianceId), listExits(allianceId)]);
  const target = request.dissolve ? "all" : (request.partnerId as string);
  if (target !== "all") {
    const partner = draft.partners.find((p) => p.id === target);
    if (!partner) {
      throw new AdminRequestError(400, INVALID, [
        {
          path: "partnerId",
          message: `no partner "${target}" in this alliance (partners: ${draft.partners.map((p) => p.id).join(", ")})`,
        },
      ]);
    }
    const status = statuses.get(target);
    if (status) {
      throw new AdminRequestError(
        409,
        status.status === "EXITED"
          ? `${partner.name} has already EXITED the alliance`
          : `${partner.name}'s exit ${status.exitId} is already running; cancel it first to start another`,
      );
    }
  }
  const running = exits.find((e) => isRunning(e) && (e.partnerId === "all" || target === "all"));
  if (running) {
    throw new AdminRequestError(
      409,
      running.partnerId === "all"
        ? `the alliance's dissolution ${running.exitId} is already running`
        : `exit ${running.exitId} is running; a dissolution waits until it completes or is cancelled`,
    );
  }
  const schedule = exitSchedule(
    request,
    draft.charter.exitTerms,
    draft.charter.forceMajeure !== undefined,
    now(),
  );
  if (!schedule.ok)
    throw new AdminRequestError(400, INVALID, [{ path: schedule.field, message: schedule.message }]);

  const cycle = alliance.exitCycle ?? 0;
  const exitId = exitIdOf(allianceId, cycle + 1);
  const stateMachineArn = config().EXIT_STATE_MACHINE_ARN;
  if (!stateMachineArn) throw new Error("EXIT_STATE_MACHINE_ARN is not configured");
  const executionArn = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${exitId}`;
  const at = nowIso();
  const leaving = draft.partners.find((p) => p.id === target);
  const exit: ExitRecord = {
    exitId,
    allianceId,
    partnerId: target,
    status: "NOTICE",
    reason: request.reason,
    effectiveDate: schedule.effectiveDate,
    forceMajeure: schedule.shortened,
    requestedBy: actor,
    startedAt: at,
    charterVersion: alliance.version,
    executionArn,
    division: divisionPlan(draft.charter.exitTerms ?? { sharedAssets: [] }, draft.partners, target).map(
      (d) => ({
        asset: d.asset,
        rule: d.rule,
        summary: d.summary,
        transfers: d.transfers,
      }),
    ),
  };
  const start = await claimAndStart({
    claim: () =>
      startExitRecord({
        exit,
        expectedCycle: cycle,
        event: {
          at,
          type: "exit.started",
          summary: `${leaving ? `${leaving.name}'s exit` : "The alliance's dissolution"} started, effective ${schedule.effectiveDate.slice(0, 10)}${schedule.shortened ? " (notice shortened under force majeure)" : ""}: ${request.reason}`,
          actor,
          data: {
            exitId,
            partnerId: target,
            effectiveDate: schedule.effectiveDate,
            forceMajeure: schedule.shortened,
          },
        },
      }),
    // The exit stays recorded but cancelled: its id is spent, and the admin sees why nothing runs.
    release: async () => {
      await cancelExitRecord({
        exit,
        reason: "its workflow could not be started",
        at: nowIso(),
        event: {
          at: nowIso(),
          type: "exit.cancelled",
          summary: `Exit ${exitId} could not be started`,
          actor,
        },
      });
    },
    stateMachineArn,
    name: exitId,
    input: { allianceId, exitId, effectiveDate: schedule.effectiveDate },
  });
  if (start === "not-claimed") {
    throw new AdminRequestError(
      409,
      `another exit of alliance ${allianceId} was started at the same time; retry`,
    );
  }
  return { exitId, effectiveDate: schedule.effectiveDate, executionArn };
}

/**
 * One exit as an admin follows it: its stage, the division (as planned, how the partners answered, the admin's
 * decision), and each wind-down obligation with its owner, due date and whether it is done. 404 for an unknown exit.
 */
export async function showExit(allianceId: string, exitId: string) {
  await allianceOr404(allianceId);
  const exit = await getExit(allianceId, exitId);
  if (!exit) throw new AdminRequestError(404, `alliance ${allianceId} has no exit ${exitId}`);
  const obligations = await obligationStatuses(exit);
  return {
    exitId: exit.exitId,
    status: exit.status,
    ...(exit.partnerId === "all" ? { dissolve: true } : { partnerId: exit.partnerId }),
    reason: exit.reason,
    effectiveDate: exit.effectiveDate,
    forceMajeure: exit.forceMajeure,
    startedAt: exit.startedAt,
    ...(exit.closedAt ? { closedAt: exit.closedAt } : {}),
    ...(exit.cancelReason ? { cancelReason: exit.cancelReason } : {}),
    division: exit.division.map((d) => ({ ...d, transfers: d.transfers ?? [] })),
    ...(exit.divisionSettlement ? { divisionAnswers: exit.divisionSettlement } : {}),
    ...(exit.divisionDecision ? { divisionDecision: exit.divisionDecision } : {}),
    transfers: exit.divisionSettlement ? settledTransfers(exit) : [],
    obligations,
  };
}

/**
 * Decides a contested division (or one with assets the charter gives no rule): the written resolution, and
 * optionally the transfers that replace the plan's (each naming a registered asset and partners of the alliance).
 * The waiting workflow goes on to the wind-down obligations, and everyone is told. 409 when the exit is not waiting
 * for a decision (not contested, decided already, or past the division); 400 naming the field otherwise.
 */
export async function decideDivision(allianceId: string, exitId: string, body: unknown, actor: Actor) {
  const invalid = "the division decision is invalid; nothing changed";
  const parsed = parseWith(DivisionDecisionSchema, body);
  if (!parsed.ok) throw new AdminRequestError(400, invalid, parsed.errors);
  const decision = parsed.value;
  const alliance = await allianceOr404(allianceId);
  const exit = await getExit(allianceId, exitId);
  if (!exit) throw new AdminRequestError(404, `alliance ${allianceId} has no exit ${exitId}`);
  const { draft } = await loadVersion(allianceId, exit.charterVersion);
  const asked = { resolution: decision.resolution, transfers: decision.transfers };
  const decided = exit.divisionDecision;
  if (
    decided &&
    exit.status === "ASSET_DIVISION" &&
    isDeepStrictEqual(asked, { resolution: decided.resolution, transfers: decided.transfers })
  ) {
    // The same decision again (a retry after a failure): deliver what may not have been delivered.
    return deliverDivisionDecision(alliance, { ...exit, divisionDecision: decided }, draft, actor);
  }
  if (exit.status !== "ASSET_DIVISION" || !isContested(exit) || decided) {
    throw new AdminRequestError(
      409,
      decided
        ? `the division of exit ${exitId} was decided on ${decided.decidedAt}`
        : `exit ${exitId} is ${exit.status}${exit.status === "ASSET_DIVISION" ? " and its division is not contested (yet)" : ""}: there is no division to decide`,
    );
  }
  const partnerIds = (await partnersInAlliance(allianceId, draft)).map((p) => p.id);
  const errors = (decision.transfers ?? []).flatMap((t, i) => [
    ...(exit.division.some((d) => d.asset === t.asset)
      ? []
      : [{ path: `transfers[${i}].asset`, message: `no shared asset "${t.asset}" in the exit's division` }]),
    ...(["from", "to"] as const)
      .filter((field) => !partnerIds.includes(t[field]))
      .map((field) => ({
        path: `transfers[${i}].${field}`,
        message: `no partner "${t[field]}" in this alliance (partners: ${partnerIds.join(", ")})`,
      })),
    ...(t.from === t.to ? [{ path: `transfers[${i}].to`, message: "must differ from from" }] : []),
  ]);
  if (errors.length > 0) throw new AdminRequestError(400, invalid, errors);
  const at = nowIso();
  const divisionDecision = {
    resolution: decision.resolution,
    ...(decision.transfers ? { transfers: decision.transfers } : {}),
    decidedBy: actor,
    decidedAt: at,
  };
  const written = await recordDivisionOnce({
    exit,
    field: "divisionDecision",
    value: divisionDecision,
    event: {
      at,
      type: "exit.division-decided",
      summary: `The admin decided the asset division: ${decision.resolution}`,
      actor,
      data: { exitId, transfers: decision.transfers?.length ?? "as planned" },
    },
  });
  if (!written) throw new AdminRequestError(409, `the division of exit ${exitId} was decided meanwhile`);
  return deliverDivisionDecision(alliance, { ...exit, divisionDecision }, draft, actor);
}

/**
 * Hands a recorded division decision to the waiting exit (the token is read after the decision was written: a wait
 * that starts later, or again after reminding the admin, finds the decision and goes on alone) and tells everyone,
 * once.
 */
async function deliverDivisionDecision(
  alliance: AllianceRecord,
  exit: ExitRecord & { divisionDecision: NonNullable<ExitRecord["divisionDecision"]> },
  draft: AllianceDraft,
  actor: Actor,
) {
  const waiting = (await getExit(exit.allianceId, exit.exitId))?.divisionTaskToken;
  if (waiting) await answerTask(waiting, { decided: true });
  const leaving = draft.partners.find((p) => p.id === exit.partnerId);
  await notifyOnce(
    alliance,
    draft,
    onceMarker("exitDivisionDecided", exit.exitId),
    allEmails(draft),
    exitDivisionDecided({
      allianceName: draft.name,
      ...(leaving ? { leaving: leaving.name } : {}),
      resolution: exit.divisionDecision.resolution,
      transfers: settledTransfers(exit).map((t) =>
        transferSentence(t, (id) => draft.partners.find((p) => p.id === id)?.name ?? id),
      ),
    }),
    actor,
  );
  return { exitId: exit.exitId, status: exit.status, divisionDecision: exit.divisionDecision };
}

/**
 * Cancels an exit before its effective date: the workflow stops, the partner stays ACTIVE, the exit's open requests
 * close, and everyone is told. 409 once the exit has completed or was cancelled; 400 without a reason.
 */
export async function cancelExit(allianceId: string, exitId: string, body: unknown, actor: Actor) {
  const parsed = parseWith(ExitCancelSchema, body);
  if (!parsed.ok)
    throw new AdminRequestError(400, "the cancellation is invalid; nothing changed", parsed.errors);
  const alliance = await allianceOr404(allianceId);
  const exit = await getExit(allianceId, exitId);
  if (!exit) throw new AdminRequestError(404, `alliance ${allianceId} has no exit ${exitId}`);
  if (exit.status !== "NOTICE")
    throw new AdminRequestError(
      409,
      `exit ${exitId} is ${exit.status}; only a running exit can be cancelled`,
    );
  const at = nowIso();
  const { draft } = await loadVersion(allianceId, alliance.version);
  const leaving = draft.partners.find((p) => p.id === exit.partnerId);
  const cancelled = await cancelExitRecord({
    exit,
    reason: parsed.value.reason,
    at,
    event: {
      at,
      type: "exit.cancelled",
      summary: `${leaving ? `${leaving.name}'s exit` : "The dissolution"} was cancelled: ${parsed.value.reason}`,
      actor,
      data: { exitId },
    },
  });
  if (!cancelled) throw new AdminRequestError(409, `exit ${exitId} completed or was cancelled meanwhile`);
  if (exit.executionArn) {
    await sfn.send(
      new StopExecutionCommand({
        executionArn: exit.executionArn,
        error: "ExitCancelled",
        cause: parsed.value.reason,
      }),
    );
  }
  for (const request of (await listRequests(allianceId)).filter(
    (r) => r.instance === exitId && r.status === "OPEN",
  )) {
    await closeRequest({ request, status: "CANCELLED", reason: "the exit was cancelled" });
  }
  await notify(
    { id: allianceId, draft },
    allEmails(draft),
    exitCancelled({
      allianceName: draft.name,
      ...(leaving ? { leaving: leaving.name } : {}),
      reason: parsed.value.reason,
    }),
    actor,
  );
  return { exitId, status: "CANCELLED" as const };
}
