import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { allianceIsActive } from "./alliances";
import { INDEX, INDEX_PARTITION, keys } from "./keys";
import type { CheckInRecord } from "./records";
import {
  appliedUnlessConditionFails,
  getOne,
  moveStatus,
  putOnce,
  queryAll,
  queryPrefix,
  table,
  transactUnlessConditionFails,
} from "./table";

/** The alliance's check-in schedule (`CHECKIN_SCHEDULE`). */
export interface CheckInSchedule {
  allianceId: string;
  nextCheckInAt: string;
  checkInCycle?: number;
  checkInRunning?: string;
}

const dueKey = (at: string, allianceId: string) => `${at}#${allianceId}`;

/**
 * Sets when the alliance's next check-in is due and puts it on the index the sweep reads; when `finished` names the
 * check-in that ran, only if that one is still the running one (a retried close changes nothing twice).
 */
export async function scheduleCheckIn(allianceId: string, at: string, finished?: string): Promise<boolean> {
  const { client, name } = table();
  return appliedUnlessConditionFails(() =>
    client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.checkInSchedule(allianceId),
        UpdateExpression:
          "SET allianceId = :id, nextCheckInAt = :at, gsi1pk = :due, gsi1sk = :sk REMOVE checkInRunning",
        ...(finished
          ? { ConditionExpression: "checkInRunning = :running" }
          : { ConditionExpression: "attribute_not_exists(checkInRunning)" }),
        ExpressionAttributeValues: {
          ":id": allianceId,
          ":at": at,
          ":due": INDEX_PARTITION.checkInsDue,
          ":sk": dueKey(at, allianceId),
          ...(finished ? { ":running": finished } : {}),
        },
      }),
    ),
  );
}

/** Takes the alliance off the check-in index (it is no longer ACTIVE, or its charter turned check-ins off). */
export async function unscheduleCheckIns(allianceId: string): Promise<void> {
  const { client, name } = table();
  await client
    .send(
      new UpdateCommand({
        TableName: name,
        Key: keys.checkInSchedule(allianceId),
        UpdateExpression: "REMOVE gsi1pk, gsi1sk, checkInRunning",
        ConditionExpression: "attribute_exists(pk)",
      }),
    )
    .catch(() => undefined);
}

/** The check-in schedules due at `at`, oldest first, from the sparse index: only those that wait are read. */
export async function dueCheckIns(at: string): Promise<CheckInSchedule[]> {
  const items = await queryAll<Record<string, unknown>>({
    IndexName: INDEX.reviewsDue,
    KeyConditionExpression: "gsi1pk = :due AND gsi1sk <= :at",
    ExpressionAttributeValues: { ":due": INDEX_PARTITION.checkInsDue, ":at": `${at}#\uffff` },
  });
  return items.map((item) => ({
    allianceId: String(item.allianceId),
    nextCheckInAt: String(item.nextCheckInAt),
    ...(typeof item.checkInCycle === "number" ? { checkInCycle: item.checkInCycle } : {}),
  }));
}

/**
 * Makes `checkInId` the alliance's running check-in, only while the alliance is ACTIVE and none runs; off the index
 * meanwhile. False otherwise. `again` (the workflow's own first step) also accepts the check-in already claimed for
 * it; the sweep never does, so two sweeps at once start one.
 */
export async function claimCheckIn(
  allianceId: string,
  checkInId: string,
  cycle: number,
  again: "again" | "fresh" = "fresh",
): Promise<boolean> {
  const { name } = table();
  return transactUnlessConditionFails([
    allianceIsActive(allianceId),
    {
      Update: {
        TableName: name,
        Key: keys.checkInSchedule(allianceId),
        UpdateExpression: "SET checkInRunning = :id, checkInCycle = :cycle REMOVE gsi1pk, gsi1sk",
        ConditionExpression:
          again === "again"
            ? "attribute_exists(pk) AND (attribute_not_exists(checkInRunning) OR checkInRunning = :id)"
            : "attribute_exists(pk) AND attribute_not_exists(checkInRunning)",
        ExpressionAttributeValues: { ":id": checkInId, ":cycle": cycle },
      },
    },
  ]);
}

/** Gives up a claim that started nothing: the check-in is due again. */
export async function releaseCheckIn(allianceId: string, checkInId: string, dueAt: string): Promise<void> {
  const { client, name } = table();
  await appliedUnlessConditionFails(() =>
    client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.checkInSchedule(allianceId),
        UpdateExpression: "SET gsi1pk = :due, gsi1sk = :sk REMOVE checkInRunning",
        ConditionExpression: "checkInRunning = :id",
        ExpressionAttributeValues: {
          ":id": checkInId,
          ":due": INDEX_PARTITION.checkInsDue,
          ":sk": dueKey(dueAt, allianceId),
        },
      }),
    ),
  );
}

/** Records a check-in as started; false when it already was (a retried task). */
export function putCheckIn(record: CheckInRecord): Promise<boolean> {
  return putOnce(keys.checkIn(record.allianceId, record.checkInId), record);
}

/** One check-in, if it exists. */
export function getCheckIn(allianceId: string, checkInId: string): Promise<CheckInRecord | undefined> {
  return getOne<CheckInRecord>(keys.checkIn(allianceId, checkInId));
}

/** Closes a running check-in with what it found; false when it was already closed. */
export function closeCheckInRecord(
  allianceId: string,
  checkInId: string,
  closed: Required<Pick<CheckInRecord, "closedAt" | "answered" | "asked" | "alarm">> &
    Pick<CheckInRecord, "average">,
): Promise<boolean> {
  return moveStatus(keys.checkIn(allianceId, checkInId), "RUNNING", "CLOSED", closed);
}

/** Every check-in of the alliance, oldest first. */
export function listCheckIns(allianceId: string): Promise<CheckInRecord[]> {
  return queryPrefix<CheckInRecord>(allianceId, keys.checkInPrefix);
}
