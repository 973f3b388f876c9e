import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { INDEX, INDEX_PARTITION, keys } from "./keys";
import type { RequestRecord, RequestStatus, TimelineEvent } from "./records";
import {
  appliedUnlessConditionFails,
  ImmutableItemCache,
  isConditionFailure,
  stripKeys,
  table,
  withConflictRetry,
} from "./table";
import { timelinePut } from "./timeline";

/** The next moment something is due for an open request: its reminder, else its deadline. */
function nextDue(request: Pick<RequestRecord, "remindAt" | "remindedAt" | "deadline">): string {
  return request.remindAt && !request.remindedAt && request.remindAt < request.deadline
    ? request.remindAt
    : request.deadline;
}

function requestItem(request: RequestRecord) {
  return {
    ...keys.request(request.allianceId, request.requestId),
    ...request,
    ...(request.status === "OPEN"
      ? { gsi2pk: INDEX_PARTITION.openRequests, gsi2sk: `${nextDue(request)}#${request.requestId}` }
      : {}),
  };
}

function requestPuts(request: RequestRecord) {
  const { name } = table();
  return [
    { Put: { TableName: name, Item: requestItem(request), ConditionExpression: "attribute_not_exists(pk)" } },
    {
      Put: {
        TableName: name,
        Item: { ...keys.requestLookup(request.requestId), allianceId: request.allianceId },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
  ];
}

/**
 * Opens a request for a workflow step, once: `slot` names the step and partner (e.g. "v1#interest-map#acme"),
 * so a retried task finds the request it already opened instead of mailing a second link.
 */
export async function openRequest(input: {
  slot: string;
  request: RequestRecord;
  event: TimelineEvent;
}): Promise<{ request: RequestRecord; created: boolean }> {
  const { client, name } = table();
  const { request } = input;
  try {
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: name,
              Item: { ...keys.slot(request.allianceId, input.slot), requestId: request.requestId },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          ...requestPuts(request),
          timelinePut(request.allianceId, input.event),
        ],
      }),
    );
    return { request, created: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const { Item } = await client.send(
      new GetCommand({
        TableName: name,
        Key: keys.slot(request.allianceId, input.slot),
        ConsistentRead: true,
      }),
    );
    const existing = Item ? await getRequestIn(request.allianceId, String(Item.requestId)) : undefined;
    if (!existing) throw error;
    return { request: existing, created: false };
  }
}

/** Reads a request by its id alone (the link); undefined for an unknown id. */
export async function getRequest(requestId: string): Promise<RequestRecord | undefined> {
  const allianceId = await requestAlliances.get(requestId, async () => {
    const { client, name } = table();
    const { Item } = await client.send(
      new GetCommand({ TableName: name, Key: keys.requestLookup(requestId) }),
    );
    return Item ? String(Item.allianceId) : undefined;
  });
  return allianceId ? getRequestIn(allianceId, requestId) : undefined;
}

// Which alliance a request belongs to never changes (the lookup item is insert-only).
const requestAlliances = new ImmutableItemCache<string>(5000);

async function getRequestIn(allianceId: string, requestId: string): Promise<RequestRecord | undefined> {
  const { client, name } = table();
  const { Item } = await client.send(
    new GetCommand({ TableName: name, Key: keys.request(allianceId, requestId), ConsistentRead: true }),
  );
  return Item ? stripKeys<RequestRecord>(Item) : undefined;
}

/** Requests of an alliance (all statuses), oldest first. */
export async function listRequests(allianceId: string): Promise<RequestRecord[]> {
  const { client, name } = table();
  const { Items } = await client.send(
    new QueryCommand({
      TableName: name,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": keys.partition(allianceId), ":prefix": keys.requestPrefix },
    }),
  );
  return (Items ?? [])
    .map((item) => stripKeys<RequestRecord>(item))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Open requests whose reminder or deadline is due at `now`, across alliances (the sparse index; no scan). */
export async function dueRequests(now: string, limit = 100): Promise<RequestRecord[]> {
  return requestsDueBy(INDEX_PARTITION.openRequests, now, limit);
}

/** Requests in one partition of the requests-by-deadline index whose sort time is at or before `upTo`. */
async function requestsDueBy(partition: string, upTo: string, limit: number): Promise<RequestRecord[]> {
  const { client, name } = table();
  const { Items } = await client.send(
    new QueryCommand({
      TableName: name,
      IndexName: INDEX.requestsByDeadline,
      KeyConditionExpression: "gsi2pk = :pk AND gsi2sk <= :upTo",
      // "~" sorts after every request id, so entries at exactly `upTo` are included.
      ExpressionAttributeValues: { ":pk": partition, ":upTo": `${upTo}#~` },
      Limit: limit,
    }),
  );
  return (Items ?? []).map((item) => stripKeys<RequestRecord>(item));
}

/** Why a decision was not recorded. */
export type DecideRefusal = { refused: true; current: RequestRecord | undefined };

/**
 * Records a partner's decision, once: the request moves OPEN → DECIDED only if it is still open and before
 * its deadline (conditional write), together with the outcome item and the timeline entry.
 */
export async function decideRequest(input: {
  request: RequestRecord;
  decision: unknown;
  now: string;
  outcome: { key: { pk: string; sk: string }; item: Record<string, unknown> };
  event: TimelineEvent;
}): Promise<{ refused: false } | DecideRefusal> {
  const { client, name } = table();
  const { request } = input;
  try {
    // A losing racer gets ConditionalCheckFailed, or TransactionConflict while the winner commits: retry that.
    await withConflictRetry(() =>
      client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: name,
                Key: keys.request(request.allianceId, request.requestId),
                UpdateExpression:
                  "SET #status = :decided, decidedAt = :now, decision = :decision, gsi2pk = :unresumed, gsi2sk = :resumeKey",
                ConditionExpression: "#status = :open AND deadline > :now",
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: {
                  ":decided": "DECIDED",
                  ":open": "OPEN",
                  ":now": input.now,
                  ":decision": input.decision,
                  // Until the workflow is told, the decision stays in the index for the sweep to retry.
                  ":unresumed": INDEX_PARTITION.unresumedDecisions,
                  ":resumeKey": `${input.now}#${request.requestId}`,
                },
              },
            },
            { Put: { TableName: name, Item: { ...input.outcome.key, ...input.outcome.item } } },
            timelinePut(request.allianceId, input.event),
          ],
        }),
      ),
    );
    return { refused: false };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return { refused: true, current: await getRequestIn(request.allianceId, request.requestId) };
  }
}

/** Closes an open request (deadline passed, workflow moved on, cancelled); false if it was not open. */
export async function closeRequest(input: {
  request: RequestRecord;
  status: Exclude<RequestStatus, "OPEN" | "DECIDED" | "DELEGATED">;
  reason: string;
  event?: TimelineEvent;
}): Promise<boolean> {
  const { client, name } = table();
  const update = {
    Update: {
      TableName: name,
      Key: keys.request(input.request.allianceId, input.request.requestId),
      UpdateExpression: "SET #status = :to, closedReason = :reason REMOVE gsi2pk, gsi2sk",
      ConditionExpression: "#status = :open",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":to": input.status, ":open": "OPEN", ":reason": input.reason },
    },
  };
  return appliedUnlessConditionFails(() =>
    client.send(
      new TransactWriteCommand({
        TransactItems: input.event ? [update, timelinePut(input.request.allianceId, input.event)] : [update],
      }),
    ),
  );
}

/**
 * Hands an open request to a colleague: the old request becomes DELEGATED and a new one (same task, same
 * deadline, new link) opens for the colleague, with both steps on the timeline — all or nothing.
 */
export async function delegateRequest(input: {
  from: RequestRecord;
  to: RequestRecord;
  now: string;
  events: TimelineEvent[];
}): Promise<boolean> {
  const { client, name } = table();
  return appliedUnlessConditionFails(() =>
    client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: name,
              Key: keys.request(input.from.allianceId, input.from.requestId),
              UpdateExpression:
                "SET #status = :delegated, delegatedTo = :to, decidedAt = :now REMOVE gsi2pk, gsi2sk",
              ConditionExpression: "#status = :open AND deadline > :now",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: {
                ":delegated": "DELEGATED",
                ":open": "OPEN",
                ":to": input.to.requestId,
                ":now": input.now,
              },
            },
          },
          ...requestPuts(input.to),
          ...input.events.map((event) => timelinePut(input.from.allianceId, event)),
        ],
      }),
    ),
  );
}

/** Notes that the request's email went out (so a retried task does not mail it twice). */
export async function markNotified(request: RequestRecord, at: string): Promise<void> {
  const { client, name } = table();
  await client.send(
    new UpdateCommand({
      TableName: name,
      Key: keys.request(request.allianceId, request.requestId),
      UpdateExpression: "SET notifiedAt = :at",
      ExpressionAttributeValues: { ":at": at },
    }),
  );
}

/** Claims the reminder of an open request (conditional, so two sweeps never remind twice); moves its index entry to the deadline. */
export async function claimReminder(request: RequestRecord, at: string): Promise<boolean> {
  const { client, name } = table();
  return appliedUnlessConditionFails(() =>
    client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.request(request.allianceId, request.requestId),
        UpdateExpression: "SET remindedAt = :at, gsi2sk = :next",
        ConditionExpression: "#status = :open AND attribute_not_exists(remindedAt)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":at": at,
          ":open": "OPEN",
          ":next": `${request.deadline}#${request.requestId}`,
        },
      }),
    ),
  );
}

/** Adds the hash of a newly mailed secret to an open request (reminders and re-sent links carry a fresh one). */
export async function addSecretHash(request: RequestRecord, hash: string): Promise<boolean> {
  const { client, name } = table();
  return appliedUnlessConditionFails(() =>
    client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.request(request.allianceId, request.requestId),
        UpdateExpression:
          "SET extraSecretHashes = list_append(if_not_exists(extraSecretHashes, :empty), :hash)",
        ConditionExpression: "#status = :open",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":empty": [], ":hash": [hash], ":open": "OPEN" },
      }),
    ),
  );
}

/** Notes that the workflow was told of the decision (or no longer waits for it): off the retry index. */
export async function markResumed(request: RequestRecord, at: string): Promise<void> {
  const { client, name } = table();
  await client.send(
    new UpdateCommand({
      TableName: name,
      Key: keys.request(request.allianceId, request.requestId),
      UpdateExpression: "SET resumedAt = :at REMOVE gsi2pk, gsi2sk",
      ExpressionAttributeValues: { ":at": at },
    }),
  );
}

/** Decided requests whose workflow was not told by `before` (the partner handler failed after recording). */
export async function unresumedDecisions(before: string, limit = 100): Promise<RequestRecord[]> {
  return requestsDueBy(INDEX_PARTITION.unresumedDecisions, before, limit);
}
