import { StopExecutionCommand } from "@aws-sdk/client-sfn";
import { allEmails, loadVersion, partnersInAlliance } from "../alliance/load";
import { parseWith } from "../domain";
import {
  escalationIdOf,
  RaiseConcernSchema,
  rungInstance,
  WithdrawEscalationSchema,
} from "../escalation/inputs";
import { votesFrom } from "../escalation/votes";
import { notify } from "../mail/notify";
import { escalationWithdrawn } from "../mail/templates";
import { sfn } from "../shared/clients";
import { config } from "../shared/config";
import { claimAndStart } from "../shared/executions";
import { nowIso } from "../shared/time";
import {
  type Actor,
  closeEscalationRecord,
  closeRequest,
  type EscalationRecord,
  getEscalation,
  listEscalations,
  listRequests,
  openConcern,
  raiseEscalationRecord,
  readOutcomes,
  readTimeline,
} from "../store";
import { AdminRequestError, allianceOr404 } from "./alliances";

const INVALID = "the concern is invalid; nothing was raised";

/**
 * Raises a concern: it starts up the charter's escalation ladder at the first rung. 400 naming the field (a partner
 * the alliance does not have or that left); 409 when the alliance is not ACTIVE or its charter has no ladder, or a
 * concern of the same kind against one of the same partners is still open. Nothing is written when refused.
 */
export async function raiseEscalation(allianceId: string, body: unknown, actor: Actor) {
  const parsed = parseWith(RaiseConcernSchema, body);
  if (!parsed.ok) throw new AdminRequestError(400, INVALID, parsed.errors);
  const concern = parsed.value;
  const alliance = await allianceOr404(allianceId);
  if (alliance.status !== "ACTIVE")
    throw new AdminRequestError(
      409,
      `alliance ${allianceId} is ${alliance.status}; only an ACTIVE alliance escalates`,
    );
  const { draft } = await loadVersion(allianceId, alliance.version);
  if ((draft.charter.escalation?.rungs.length ?? 0) === 0)
    throw new AdminRequestError(409, `the charter of ${allianceId} has no escalation ladder`);
  // Force majeure is the charter's clause: without one there is none to invoke; with one it starts at its rung.
  const clause = draft.charter.forceMajeure;
  if (concern.kind === "force-majeure" && clause === undefined) {
    throw new AdminRequestError(400, INVALID, [
      { path: "kind", message: "cannot be force-majeure: the charter has no force-majeure clause" },
    ]);
  }
  const rungs = draft.charter.escalation?.rungs ?? [];
  const startRung =
    concern.kind === "force-majeure" && clause?.escalationRung !== undefined
      ? Math.max(
          0,
          rungs.findIndex((rung) => rung.name === clause.escalationRung),
        )
      : 0;
  const stillIn = await partnersInAlliance(allianceId, draft);
  const inAlliance = stillIn.map((p) => p.id);
  const first = rungs[startRung];
  if (first && !stillIn.some((p) => p.contacts.some((c) => first.participants.includes(c.role)))) {
    throw new AdminRequestError(
      409,
      `no partner has a contact with the role ${first.participants.join(" or ")} that rung "${first.name}" calls on; nothing was raised`,
    );
  }
  const unknown = concern.partnerIds
    .map((partnerId, i) => ({ partnerId, i }))
    .filter(({ partnerId }) => !inAlliance.includes(partnerId));
  if (unknown.length > 0) {
    throw new AdminRequestError(
      400,
      INVALID,
      unknown.map(({ partnerId, i }) => ({
        path: `partnerIds[${i}]`,
        message: `no partner "${partnerId}" in this alliance (partners: ${inAlliance.join(", ")})`,
      })),
    );
  }
  const partnerIds = [...new Set(concern.partnerIds)];
  for (const partnerId of partnerIds) {
    const open = await openConcern(allianceId, concern.kind, partnerId);
    if (open)
      throw new AdminRequestError(
        409,
        `a ${concern.kind} concern about ${partnerId} is already open (${open}); it must close before another is raised`,
      );
  }
  const cycle = alliance.escalationCycle ?? 0;
  const escalationId = escalationIdOf(allianceId, cycle + 1);
  const stateMachineArn = config().ESCALATION_STATE_MACHINE_ARN;
  if (!stateMachineArn) throw new Error("ESCALATION_STATE_MACHINE_ARN is not configured");
  const executionArn = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${escalationId}`;
  const at = nowIso();
  const escalation: EscalationRecord = {
    escalationId,
    allianceId,
    subject: concern.subject,
    description: concern.description,
    kind: concern.kind,
    partnerIds,
    critical: concern.critical,
    raisedBy: actor,
    raisedAt: at,
    charterVersion: alliance.version,
    status: "OPEN",
    rung: startRung,
    rungs: [],
    executionArn,
  };
  const start = await claimAndStart({
    claim: () =>
      raiseEscalationRecord({
        escalation,
        expectedCycle: cycle,
        event: {
          at,
          type: "escalation.raised",
          summary: `Concern raised (${concern.kind}${concern.critical ? ", critical" : ""}): "${concern.subject}" about ${partnerIds.join(", ")}`,
          actor,
          data: { escalationId, kind: concern.kind, partnerIds, critical: concern.critical },
        },
      }),
    release: async () => {
      await closeEscalationRecord({
        escalation,
        status: "WITHDRAWN",
        fields: { withdrawReason: "its workflow could not be started" },
        event: {
          at: nowIso(),
          type: "escalation.withdrawn",
          summary: `Escalation ${escalationId} could not be started`,
          actor,
        },
      });
    },
    stateMachineArn,
    name: escalationId,
    input: { allianceId, escalationId, rung: startRung },
  });
  if (start === "not-claimed") {
    throw new AdminRequestError(
      409,
      `another concern was raised at the same time, or one of the same kind about the same partner is open; retry`,
    );
  }
  return { escalationId, executionArn };
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
        missed: outcomes.filter((o) => o.status === "MISSED").map((o) => o.partnerId),
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
    allianceId,
    allEmails(draft),
    escalationWithdrawn({ allianceName: draft.name, subject: escalation.subject, reason }),
    actor,
  );
  return { escalationId, status: "WITHDRAWN" as const };
}
