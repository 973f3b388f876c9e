import { partnersInAlliance } from "../alliance/load";
import { type AllianceDraft, type FieldError, suspensionEnd } from "../domain";
import { config } from "../shared/config";
import { claimAndStart } from "../shared/executions";
import { nowIso } from "../shared/time";
import {
  type Actor,
  type AllianceRecord,
  closeEscalationRecord,
  type EscalationRecord,
  openConcern,
  raiseEscalationRecord,
} from "../store";
import { escalationIdOf, type RaiseConcern } from "./inputs";

/** A concern was not raised: 400 with the fields at fault, or 409 when the alliance's state refuses it. */
export class ConcernRefusedError extends Error {
  constructor(
    readonly statusCode: 400 | 409,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = "ConcernRefusedError";
  }
}

/** The message of a refusal for a field: nothing was raised. */
export const INVALID_CONCERN = "the concern is invalid; nothing was raised";

/** Who raised a concern, in words: "Northwind Telematics (amara@example.com)", or the alliance's admin. */
export function raisedByWords(raisedBy: Actor, draft: Pick<AllianceDraft, "partners">): string {
  if (raisedBy.kind !== "partner") return raisedBy.kind === "admin" ? "the alliance's admin" : "Concord";
  const partner = draft.partners.find((p) => p.id === raisedBy.partnerId);
  return `${partner?.name ?? raisedBy.partnerId} (${raisedBy.email})`;
}

/** The rung (0-based) a concern starts at: a force-majeure concern at the one its clause names, else the first. */
export function startingRung(draft: AllianceDraft, kind: RaiseConcern["kind"]): number {
  const name = kind === "force-majeure" ? draft.charter.forceMajeure?.escalationRung : undefined;
  const rungs = draft.charter.escalation?.rungs ?? [];
  return name === undefined
    ? 0
    : Math.max(
        0,
        rungs.findIndex((rung) => rung.name === name),
      );
}

/**
 * Raises a concern, an admin's or a partner's: it starts up the charter's escalation ladder. Refused
 * (ConcernRefusedError) for a partner the alliance does not have or that left (400, naming the field), force majeure
 * without the clause (400), an alliance not ACTIVE or without a ladder, a first rung nobody can answer, or a concern
 * of the same kind against one of the same partners still open (409). Nothing is written when refused.
 */
export async function raiseConcern(input: {
  alliance: AllianceRecord;
  draft: AllianceDraft;
  concern: RaiseConcern;
  actor: Actor;
}): Promise<{ escalationId: string; executionArn: string }> {
  const { alliance, draft, concern, actor } = input;
  const allianceId = alliance.id;
  if (alliance.status !== "ACTIVE")
    throw new ConcernRefusedError(
      409,
      `alliance ${allianceId} is ${alliance.status}; only an ACTIVE alliance escalates`,
    );
  const rungs = draft.charter.escalation?.rungs ?? [];
  if (rungs.length === 0)
    throw new ConcernRefusedError(409, `the charter of ${allianceId} has no escalation ladder`);
  // Force majeure is the charter's clause: without one there is none to invoke; with one it starts at its rung.
  if (concern.kind === "force-majeure" && draft.charter.forceMajeure === undefined) {
    throw new ConcernRefusedError(400, INVALID_CONCERN, [
      { path: "kind", message: "cannot be force-majeure: the charter has no force-majeure clause" },
    ]);
  }
  const startRung = startingRung(draft, concern.kind);
  const stillIn = await partnersInAlliance(allianceId, draft);
  const inAlliance = stillIn.map((p) => p.id);
  const first = rungs[startRung];
  if (first && !stillIn.some((p) => p.contacts.some((c) => first.participants.includes(c.role)))) {
    throw new ConcernRefusedError(
      409,
      `no partner has a contact with the role ${first.participants.join(" or ")} that rung "${first.name}" calls on; nothing was raised`,
    );
  }
  const unknown = concern.partnerIds
    .map((partnerId, i) => ({ partnerId, i }))
    .filter(({ partnerId }) => !inAlliance.includes(partnerId));
  if (unknown.length > 0) {
    throw new ConcernRefusedError(
      400,
      INVALID_CONCERN,
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
      throw new ConcernRefusedError(
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
  // Force majeure suspends the deadlines of the partners it is about, for the clause's period.
  const clause = draft.charter.forceMajeure;
  const suspensions =
    concern.kind === "force-majeure" && clause
      ? partnerIds.map((partnerId) => ({
          allianceId,
          partnerId,
          escalationId,
          from: at,
          until: suspensionEnd(at, clause),
        }))
      : [];
  const start = await claimAndStart({
    claim: () =>
      raiseEscalationRecord({
        escalation,
        expectedCycle: cycle,
        suspensions,
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
    throw new ConcernRefusedError(
      409,
      "another concern was raised at the same time, or one of the same kind about the same partner is open; retry",
    );
  }
  return { escalationId, executionArn };
}
