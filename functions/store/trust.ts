import type { TrustEntry } from "../domain";
import { keys } from "./keys";
import type { AllianceStatus, TimelineEvent } from "./records";
import { queryAll, table, transactUnlessConditionFails } from "./table";
import { timelinePut } from "./timeline";

/**
 * Records one trust entry with its timeline entry, in one transaction, only while the alliance is in one of
 * `statuses`; false (nothing written) when it is not. Insert-only: an entry is never changed or removed.
 */
export async function recordTrustEntry(
  allianceId: string,
  entry: TrustEntry,
  event: TimelineEvent,
  statuses: readonly AllianceStatus[],
): Promise<boolean> {
  const { name } = table();
  const statusValues = Object.fromEntries(statuses.map((status, i) => [`:s${i}`, status]));
  return transactUnlessConditionFails([
    {
      ConditionCheck: {
        TableName: name,
        Key: keys.alliance(allianceId),
        ConditionExpression: `#status IN (${Object.keys(statusValues).join(", ")})`,
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: statusValues,
      },
    },
    {
      Put: {
        TableName: name,
        Item: { ...keys.trustEntry(allianceId, entry.at, entry.entryId), ...entry },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    timelinePut(allianceId, event),
  ]);
}

/** The alliance's trust ledger, oldest first; `since` (ISO time) keeps only later entries. */
export async function readTrustLedger(allianceId: string, since?: string): Promise<TrustEntry[]> {
  return queryAll<TrustEntry>(
    since === undefined
      ? {
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": keys.partition(allianceId), ":prefix": keys.trustPrefix },
        }
      : {
          KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
          ExpressionAttributeValues: {
            ":pk": keys.partition(allianceId),
            ":from": `${keys.trustPrefix}${since}`,
            // "$" sorts after "#", so every TRUST#… key is below it.
            ":to": `${keys.trustPrefix.slice(0, -1)}$`,
          },
        },
  );
}
