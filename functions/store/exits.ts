import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { nextCycle } from "./alliances";
import { keys } from "./keys";
import type { ExitRecord, ExitStatus, PartnerStatusRecord, TimelineEvent } from "./records";
import {
  appliedUnlessConditionFails,
  getOne,
  queryPrefix,
  statusMove,
  table,
  transactUnlessConditionFails,
} from "./table";
import { timelinePut } from "./timeline";

/**
 * Records an exit as started, in one transaction, only while the alliance is ACTIVE and at `exitCycle` (two admins
 * at once start one exit), and only while the leaving partner has no status yet (an exit running or done refuses a
 * second). A dissolution (partnerId "all") marks no partner: partners stay ACTIVE until it completes.
 * False when any condition fails (nothing is written).
 */
export async function startExitRecord(input: {
  exit: ExitRecord;
  expectedCycle: number;
  event: TimelineEvent;
}): Promise<boolean> {
  const { name } = table();
  const { exit } = input;
  return transactUnlessConditionFails([
    nextCycle(exit.allianceId, "exitCycle", input.expectedCycle),
    {
      Put: {
        TableName: name,
        Item: { ...keys.exit(exit.allianceId, exit.exitId), ...exit },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    ...(exit.partnerId === "all"
      ? []
      : [
          {
            Put: {
              TableName: name,
              Item: {
                ...keys.partnerStatus(exit.allianceId, exit.partnerId),
                allianceId: exit.allianceId,
                partnerId: exit.partnerId,
                status: "EXITING",
                exitId: exit.exitId,
              } satisfies PartnerStatusRecord & Record<string, unknown>,
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
        ]),
    timelinePut(exit.allianceId, input.event),
  ]);
}

/** One exit, if it exists. */
export function getExit(allianceId: string, exitId: string): Promise<ExitRecord | undefined> {
  return getOne<ExitRecord>(keys.exit(allianceId, exitId));
}

/** Every exit of the alliance, oldest first. */
export function listExits(allianceId: string): Promise<ExitRecord[]> {
  return queryPrefix<ExitRecord>(allianceId, keys.exitPrefix);
}

/** The partners leaving or gone, by partner id (a partner not listed is ACTIVE). */
export async function partnerStatuses(allianceId: string): Promise<Map<string, PartnerStatusRecord>> {
  const records = await queryPrefix<PartnerStatusRecord>(allianceId, keys.partnerStatusPrefix);
  return new Map(records.map((r) => [r.partnerId, r]));
}

/**
 * Moves an exit from one stage to the next with the stage's fields and its timeline entry, in one transaction.
 * False when the exit was not at `from` (an earlier attempt moved it, or it was cancelled): nothing is written.
 */
export function advanceExit(input: {
  exit: ExitRecord;
  from: ExitStatus;
  to: ExitStatus;
  fields?: Partial<ExitRecord>;
  event: TimelineEvent;
}): Promise<boolean> {
  const key = keys.exit(input.exit.allianceId, input.exit.exitId);
  return transactUnlessConditionFails([
    { Update: statusMove(key, input.from, input.to, input.fields) },
    timelinePut(input.exit.allianceId, input.event),
  ]);
}

/**
 * Records one step of the division once, with its timeline entry: how the partners answered (`divisionSettlement`),
 * or the admin's decision on a settled division (`divisionDecision`). False when it was recorded already or the exit
 * is no longer dividing its assets (nothing is written).
 */
export function recordDivisionOnce<F extends "divisionSettlement" | "divisionDecision">(input: {
  exit: ExitRecord;
  field: F;
  value: NonNullable<ExitRecord[F]>;
  event: TimelineEvent;
}): Promise<boolean> {
  const { name } = table();
  // A decision needs the settlement it decides on.
  const settled = input.field === "divisionDecision" ? " AND attribute_exists(divisionSettlement)" : "";
  return transactUnlessConditionFails([
    {
      Update: {
        TableName: name,
        Key: keys.exit(input.exit.allianceId, input.exit.exitId),
        UpdateExpression: "SET #field = :value",
        ConditionExpression: `#status = :division AND attribute_not_exists(#field)${settled}`,
        ExpressionAttributeNames: { "#status": "status", "#field": input.field },
        ExpressionAttributeValues: { ":value": input.value, ":division": "ASSET_DIVISION" },
      },
    },
    timelinePut(input.exit.allianceId, input.event),
  ]);
}

/**
 * Keeps the task token of the workflow waiting for the admin's division decision. False when the admin has decided
 * already (the caller hands the decision to its own token) or the exit moved on.
 */
export function keepDivisionTaskToken(exit: ExitRecord, token: string): Promise<boolean> {
  const { client, name } = table();
  return appliedUnlessConditionFails(() =>
    client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.exit(exit.allianceId, exit.exitId),
        UpdateExpression: "SET divisionTaskToken = :token",
        ConditionExpression: "#status = :division AND attribute_not_exists(divisionDecision)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":token": token, ":division": "ASSET_DIVISION" },
      }),
    ),
  );
}

/**
 * Completes an exit, in one transaction: the exit COMPLETED, the partner EXITED (a dissolution: every partner not
 * yet EXITED), the alliance DISSOLVED when `dissolve` (off the reviews-due index), and the timeline entry. False
 * when the exit had completed already (an earlier attempt) or was cancelled.
 */
export async function completeExitRecord(input: {
  exit: ExitRecord;
  exitedPartners: readonly string[];
  dissolve: boolean;
  at: string;
  event: TimelineEvent;
}): Promise<boolean> {
  const { name } = table();
  const { exit, at } = input;
  return transactUnlessConditionFails([
    {
      Update: {
        TableName: name,
        Key: keys.exit(exit.allianceId, exit.exitId),
        UpdateExpression: "SET #status = :completed, closedAt = :at REMOVE divisionTaskToken",
        ConditionExpression: "#status IN (:notice, :division, :obligations)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":completed": "COMPLETED",
          ":notice": "NOTICE",
          ":division": "ASSET_DIVISION",
          ":obligations": "OBLIGATIONS",
          ":at": at,
        },
      },
    },
    ...input.exitedPartners.map((partnerId) => ({
      Put: {
        TableName: name,
        Item: {
          ...keys.partnerStatus(exit.allianceId, partnerId),
          allianceId: exit.allianceId,
          partnerId,
          status: "EXITED",
          exitId: exit.exitId,
          exitedAt: at,
        } satisfies PartnerStatusRecord & Record<string, unknown>,
      },
    })),
    ...(input.dissolve
      ? [
          {
            Update: {
              TableName: name,
              Key: keys.alliance(exit.allianceId),
              UpdateExpression:
                "SET #status = :dissolved, updatedAt = :at REMOVE gsi1pk, gsi1sk, nextReviewAt",
              ConditionExpression: "#status = :active",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: { ":dissolved": "DISSOLVED", ":active": "ACTIVE", ":at": at },
            },
          },
        ]
      : []),
    timelinePut(exit.allianceId, input.event),
  ]);
}

/**
 * Cancels an exit still in its notice period, in one transaction: the exit CANCELLED with the reason, the partner
 * ACTIVE again (its status record removed), the timeline entry. False when the exit was no longer in NOTICE.
 */
export async function cancelExitRecord(input: {
  exit: ExitRecord;
  reason: string;
  at: string;
  event: TimelineEvent;
}): Promise<boolean> {
  const { name } = table();
  const { exit } = input;
  return transactUnlessConditionFails([
    {
      Update: {
        TableName: name,
        Key: keys.exit(exit.allianceId, exit.exitId),
        UpdateExpression: "SET #status = :cancelled, closedAt = :at, cancelReason = :reason",
        ConditionExpression: "#status = :notice",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":cancelled": "CANCELLED",
          ":notice": "NOTICE",
          ":at": input.at,
          ":reason": input.reason,
        },
      },
    },
    ...(exit.partnerId === "all"
      ? []
      : [
          {
            Delete: {
              TableName: name,
              Key: keys.partnerStatus(exit.allianceId, exit.partnerId),
              ConditionExpression: "exitId = :id",
              ExpressionAttributeValues: { ":id": exit.exitId },
            },
          },
        ]),
    timelinePut(exit.allianceId, input.event),
  ]);
}
