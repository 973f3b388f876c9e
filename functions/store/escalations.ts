import { nextCycle } from "./alliances";
import { keys } from "./keys";
import type {
  EscalationRecord,
  EscalationRungRecord,
  EscalationStatus,
  SuspensionRecord,
  TimelineEvent,
} from "./records";
import { getOne, queryPrefix, statusMove, table, transactUnlessConditionFails } from "./table";
import { timelinePut } from "./timeline";

/** The claims an escalation holds while open: one per partner it concerns, for its kind. */
function concernKeys(escalation: Pick<EscalationRecord, "allianceId" | "kind" | "partnerIds">) {
  return escalation.partnerIds.map((partnerId) =>
    keys.concern(escalation.allianceId, escalation.kind, partnerId),
  );
}

/**
 * Records a raised escalation, in one transaction: the alliance's escalation count moves on (only while ACTIVE and
 * at `expectedCycle`, so two raised at once get two numbers), the escalation, one claim per partner it concerns (a
 * second open concern of the same kind against the same partner is refused), and the timeline entry. False when any
 * condition fails (nothing is written).
 */
export function raiseEscalationRecord(input: {
  escalation: EscalationRecord;
  expectedCycle: number;
  event: TimelineEvent;
  /** A force-majeure concern's suspensions of its partners' deadlines, written with it. */
  suspensions?: readonly SuspensionRecord[];
}): Promise<boolean> {
  const { name } = table();
  const { escalation } = input;
  return transactUnlessConditionFails([
    nextCycle(escalation.allianceId, "escalationCycle", input.expectedCycle),
    {
      Put: {
        TableName: name,
        Item: { ...keys.escalation(escalation.allianceId, escalation.escalationId), ...escalation },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    ...concernKeys(escalation).map((key) => ({
      Put: {
        TableName: name,
        Item: { ...key, escalationId: escalation.escalationId },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    })),
    ...(input.suspensions ?? []).map((suspension) => ({
      Put: {
        TableName: name,
        Item: {
          ...keys.suspension(suspension.allianceId, suspension.partnerId, suspension.escalationId),
          ...suspension,
        },
      },
    })),
    timelinePut(escalation.allianceId, input.event),
  ]);
}

/** One escalation, if it exists. */
export function getEscalation(
  allianceId: string,
  escalationId: string,
): Promise<EscalationRecord | undefined> {
  return getOne<EscalationRecord>(keys.escalation(allianceId, escalationId));
}

/** Every escalation of the alliance, oldest first. */
export function listEscalations(allianceId: string): Promise<EscalationRecord[]> {
  return queryPrefix<EscalationRecord>(allianceId, keys.escalationPrefix);
}

/** The force-majeure suspensions of a partner's deadlines, past and present. */
export function suspensionsOf(allianceId: string, partnerId: string): Promise<SuspensionRecord[]> {
  return queryPrefix<SuspensionRecord>(allianceId, keys.suspensionPrefix(partnerId));
}

/**
 * A force-majeure concern's suspensions hold while it is open and once it is resolved. Withdrawn, or past the last
 * rung without anyone upholding it, it suspends nothing from then on: a claim raised to dodge deadlines ends there.
 * Moving `until` back to the close is safe even for a suspension already over: deadlines before the close are past.
 */
function suspensionEnds(
  escalation: Pick<EscalationRecord, "allianceId" | "escalationId" | "kind" | "partnerIds">,
  status: EscalationStatus,
  at: string,
) {
  if (escalation.kind !== "force-majeure" || (status !== "WITHDRAWN" && status !== "EXHAUSTED")) return [];
  const { name } = table();
  return escalation.partnerIds.map((partnerId) => ({
    Update: {
      TableName: name,
      Key: keys.suspension(escalation.allianceId, partnerId, escalation.escalationId),
      UpdateExpression: "SET #until = :at",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: { "#until": "until" },
      ExpressionAttributeValues: { ":at": at },
    },
  }));
}

/** The open escalation of `kind` against `partnerId`, if any. */
export async function openConcern(
  allianceId: string,
  kind: string,
  partnerId: string,
): Promise<string | undefined> {
  return (await getOne<{ escalationId: string }>(keys.concern(allianceId, kind, partnerId)))?.escalationId;
}

/**
 * Records the rungs reached so far (the list as the caller built it from the record it read) while the escalation
 * is OPEN, with an optional timeline entry. The workflow's tasks are its only writers while it runs, one at a time.
 */
export function recordRungs(input: {
  escalation: EscalationRecord;
  rung: number;
  rungs: EscalationRungRecord[];
  event?: TimelineEvent;
}): Promise<boolean> {
  const { name } = table();
  return transactUnlessConditionFails([
    {
      Update: {
        TableName: name,
        Key: keys.escalation(input.escalation.allianceId, input.escalation.escalationId),
        UpdateExpression: "SET rung = :rung, rungs = :rungs",
        ConditionExpression: "#status = :open",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":rung": input.rung, ":rungs": input.rungs, ":open": "OPEN" },
      },
    },
    ...(input.event ? [timelinePut(input.escalation.allianceId, input.event)] : []),
  ]);
}

/**
 * Closes an OPEN escalation (RESOLVED, WITHDRAWN or EXHAUSTED) with its fields, releases its concern claims, and
 * writes the timeline entry, in one transaction. False when it was no longer OPEN.
 */
export function closeEscalationRecord(input: {
  escalation: EscalationRecord;
  status: Exclude<EscalationStatus, "OPEN">;
  fields: Partial<EscalationRecord>;
  event: TimelineEvent;
}): Promise<boolean> {
  const { name } = table();
  const key = keys.escalation(input.escalation.allianceId, input.escalation.escalationId);
  return transactUnlessConditionFails([
    { Update: statusMove(key, "OPEN", input.status, { ...input.fields, closedAt: input.event.at }) },
    ...concernKeys(input.escalation).map((key) => ({
      Delete: {
        TableName: name,
        Key: key,
        ConditionExpression: "escalationId = :id",
        ExpressionAttributeValues: { ":id": input.escalation.escalationId },
      },
    })),
    ...suspensionEnds(input.escalation, input.status, input.event.at),
    timelinePut(input.escalation.allianceId, input.event),
  ]);
}
