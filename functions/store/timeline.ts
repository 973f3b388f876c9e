import { randomBytes } from "node:crypto";
import { PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { keys } from "./keys";
import type { TimelineEvent } from "./records";
import { queryAll, table } from "./table";

/** The Put of a timeline entry, for use inside a transaction (insert-only: never overwrites). */
export function timelinePut(allianceId: string, event: TimelineEvent) {
  const { name } = table();
  return {
    Put: {
      TableName: name,
      Item: { ...keys.timeline(allianceId, event.at, randomBytes(4).toString("hex")), ...event },
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
}

/** The alliance's timeline, oldest first. */
export async function readTimeline(allianceId: string): Promise<TimelineEvent[]> {
  return queryAll<TimelineEvent>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": keys.partition(allianceId), ":prefix": keys.timelinePrefix },
  });
}

/** Appends one entry to the alliance timeline on its own (insert-only). */
export async function appendTimeline(allianceId: string, event: TimelineEvent): Promise<void> {
  const { client } = table();
  await client.send(new PutCommand(timelinePut(allianceId, event).Put));
}

/** Appends several entries at once (one transaction per 100, each still insert-only). */
export async function appendTimelineEvents(allianceId: string, events: TimelineEvent[]): Promise<void> {
  const { client } = table();
  for (let start = 0; start < events.length; start += 100) {
    const chunk = events.slice(start, start + 100).map((event) => timelinePut(allianceId, event));
    await client.send(new TransactWriteCommand({ TransactItems: chunk }));
  }
}
