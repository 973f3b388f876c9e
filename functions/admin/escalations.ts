import { StopExecutionCommand } from "@aws-sdk/client-sfn";
import { allEmails, loadVersion } from "../alliance/load";
import { parseWith } from "../domain";
import { RaiseConcernSchema, rungInstance, WithdrawEscalationSchema } from "../escalation/inputs";
import { ConcernRefusedError, INVALID_CONCERN, raiseConcern } from "../escalation/raise";
import { votesFrom } from "../escalation/votes";
import { notify } from "../mail/notify";
import { escalationWithdrawn } from "../mail/templates";
import { sfn } from "../shared/clients";
import { nowIso } from "../shared/time";
import {
  type Actor,
  closeEscalationRecord,
  closeRequest,
  getEscalation,
  listEscalations,
  listRequests,
  readOutcomes,
  readTimeline,
} from "../store";
import { AdminRequestError, allianceOr404 } from "./alliances";

/**
 * Raises a concern as an admin: see raiseConcern. 400 naming the field; 409 when the alliance's state refuses it.
 * Nothing is written when refused.
 */
export async function raiseEscalation(allianceId: string, body: unknown, actor: Actor) {
  const parsed = parseWith(RaiseConcernSchema, body);
  if (!parsed.ok) throw new AdminRequestError(400, INVALID_CONCERN, parsed.errors);
  const alliance = await allianceOr404(allianceId);
  const { draft } = await loadVersion(allianceId, alliance.version);
  try {
    return await raiseConcern({ alliance, draft, concern: parsed.value, actor });
  } catch (error) {
    if (error instanceof ConcernRefusedError)
      throw new AdminRequestError(error.statusCode, error.message, error.errors);
    throw error;
  }
}

/** The alliance's escalations, oldest first. */
export async function listAllianceEscalations(allianceId: string) {
  await allianceOr404(allianceId);
  return {
    escalations: (await listEscalations(allianceId)).map((e) => ({
      escalationId: e.escalationId,
      status: e.status,
      rung: e.rung + 1,
      subject: e.subject,
      kind: e.kind,
      critical: e.critical,
      raisedAt: e.raisedAt,
    })),
  };
}

/**
 * One escalation as an admin follows it: its status, the rung it is at (1-based), every rung reached with its
 * deadline and verdict, the answers at each rung (who owes what by when at the current one), the resolution, and its
 * thread of the timeline.
 */
export async function showEscalation(allianceId: string, escalationId: string) {
  await allianceOr404(allianceId);
  const escalation = await getEscalation(allianceId, escalationId);
  if (!escalation)
    throw new AdminRequestError(404, `alliance ${allianceId} has no escalation ${escalationId}`);
  const rungs = await Promise.all(
    escalation.rungs.map(async (reached, index) => {
      const instance = rungInstance(escalationId, index);
      const outcomes = await readOutcomes(allianceId, instance, "rung-decision");
      const votes = votesFrom(outcomes);
      return {
        rung: index + 1,
        ...reached,
        votes,
        pending: outcomes
          .filter((o) => o.status === "OPEN" && reached.outcome === undefined)
          .map((o) => ({ partnerId: o.partnerId, deadline: o.deadline })),
        missed: outcomes.filter((o) => o.status === "MISSED" && !o.excused).map((o) => o.partnerId),
        excused: outcomes.filter((o) => o.excused).map((o) => o.partnerId),
      };
    }),
  );
  const timeline = (await readTimeline(allianceId)).filter(
    (e) =>
      (e.data as { escalationId?: string } | undefined)?.escalationId === escalationId ||
      (e.data as { instance?: string } | undefined)?.instance?.startsWith(`${escalationId}-`) === true,
  );
  return {
    escalationId,
    status: escalation.status,
    subject: escalation.subject,
    description: escalation.description,
    kind: escalation.kind,
    critical: escalation.critical,
    partnerIds: escalation.partnerIds,
    raisedBy: escalation.raisedBy,
    raisedAt: escalation.raisedAt,
    rung: escalation.rung + 1,
    rungs,
    votes: rungs[escalation.rung]?.votes ?? [],
    ...(escalation.resolution
      ? { resolution: { ...escalation.resolution, rung: escalation.resolution.rung + 1 } }
      : {}),
    ...(escalation.closedAt ? { closedAt: escalation.closedAt } : {}),
    ...(escalation.withdrawReason ? { withdrawReason: escalation.withdrawReason } : {}),
    timeline,
  };
}

/**
 * Withdraws an open escalation: the workflow stops, its open links close with a page that says so, everyone is told,
 * and the reason is recorded. 409 once it is closed; 400 without a reason.
 */
export async function withdrawEscalation(
  allianceId: string,
  escalationId: string,
  body: unknown,
  actor: Actor,
) {
  const parsed = parseWith(WithdrawEscalationSchema, body);
  if (!parsed.ok)
    throw new AdminRequestError(400, "the withdrawal is invalid; nothing changed", parsed.errors);
  const alliance = await allianceOr404(allianceId);
  const escalation = await getEscalation(allianceId, escalationId);
  if (!escalation)
    throw new AdminRequestError(404, `alliance ${allianceId} has no escalation ${escalationId}`);
  if (escalation.status !== "OPEN")
    throw new AdminRequestError(
      409,
      `escalation ${escalationId} is ${escalation.status}; only an open one can be withdrawn`,
    );
  const at = nowIso();
  const { reason } = parsed.value;
  const closed = await closeEscalationRecord({
    escalation,
    status: "WITHDRAWN",
    fields: { withdrawReason: reason },
    event: {
      at,
      type: "escalation.withdrawn",
      summary: `"${escalation.subject}" was withdrawn: ${reason}`,
      actor,
      data: { escalationId },
    },
  });
  if (!closed) throw new AdminRequestError(409, `escalation ${escalationId} closed meanwhile`);
  if (escalation.executionArn) {
    await sfn.send(
      new StopExecutionCommand({
        executionArn: escalation.executionArn,
        error: "EscalationWithdrawn",
        cause: reason,
      }),
    );
  }
  for (const request of (await listRequests(allianceId)).filter(
    (r) => r.instance.startsWith(`${escalationId}-`) && r.status === "OPEN",
  )) {
    await closeRequest({ request, status: "CANCELLED", reason: `the concern was withdrawn: ${reason}` });
  }
  const { draft } = await loadVersion(allianceId, alliance.version);
  await notify(
    { id: allianceId, draft },
    allEmails(draft),
    escalationWithdrawn({ allianceName: draft.name, subject: escalation.subject, reason }),
    actor,
  );
  return { escalationId, status: "WITHDRAWN" as const };
}
