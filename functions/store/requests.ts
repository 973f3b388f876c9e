import { BatchGetCommand, GetCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { INDEX, INDEX_PARTITION, keys } from "./keys";
import type { AllianceRecord, OutcomeRecord, RequestRecord, RequestStatus, TimelineEvent } from "./records";
import {
  appliedUnlessConditionFails,
  ImmutableItemCache,
  isConditionFailure,
  queryAll,
  stripKeys,
  table,
  transactUnlessConditionFails,
  withConflictRetry,
} from "./table";
import { appendTimelineEvents, timelinePut } from "./timeline";

// Requests (links) and outcomes (the decision a workflow instance asks for). An outcome lists its requests;
// a request names its outcome by (instance, kind, respondent). Conditional writes keep both consistent:
// the first decision wins, and a deadline or a cancelled link refuses any later one.

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

/** What names an outcome: the instance that asks, the kind, and whose decision. Requests and outcomes both carry it. */
export type OutcomeRef = Pick<OutcomeRecord, "allianceId" | "instance" | "kind" | "respondent">;

/** The key of an outcome (of the outcome a request gives, for a request). */
export function outcomeKeyOf(ref: OutcomeRef) {
  return keys.outcome(ref.allianceId, ref.instance, ref.kind, ref.respondent);
}

/**
 * Opens an outcome with its requests, once: a retried task (same instance, kind and respondent) finds what
 * the first attempt opened instead of mailing second links. The requests were addressed with the alliance's
 * first `expectedAmendments` contact amendments applied; when the alliance has another number of them, nothing
 * is written and the answer is "amended": read them and address again. (Checking in the write saves reading
 * the alliance for every ask: most alliances never amend their contacts.)
 */
export async function openOutcome(input: {
  outcome: OutcomeRecord;
  requests: RequestRecord[];
  events: TimelineEvent[];
  expectedAmendments: number;
}): Promise<{ outcome: OutcomeRecord; requests: RequestRecord[]; created: boolean } | "amended"> {
  const { client, name } = table();
  const { outcome, expectedAmendments } = input;
  const key = outcomeKeyOf(outcome);
  const contactsAsRead = {
    ConditionCheck: {
      TableName: name,
      Key: keys.alliance(outcome.allianceId),
      ConditionExpression:
        expectedAmendments === 0
          ? "attribute_not_exists(contactAmendments)"
          : "size(contactAmendments) = :count",
      ...(expectedAmendments === 0 ? {} : { ExpressionAttributeValues: { ":count": expectedAmendments } }),
    },
  };
  try {
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: name,
              Item: { ...key, ...outcome },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          contactsAsRead,
          ...input.requests.flatMap(requestPuts),
          ...input.events.map((event) => timelinePut(outcome.allianceId, event)),
        ],
      }),
    );
    return { outcome, requests: input.requests, created: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    if (reasons[0]?.Code !== "ConditionalCheckFailed" && reasons[1]?.Code === "ConditionalCheckFailed") {
      return "amended";
    }
    const existing = await getOutcome(outcome);
    if (!existing) throw error;
    const requests = await Promise.all(existing.requestIds.map((id) => getRequestIn(outcome.allianceId, id)));
    return {
      outcome: existing,
      requests: requests.filter((r): r is RequestRecord => r !== undefined),
      created: false,
    };
  }
}

/** One outcome, read consistently; undefined when nothing was asked. */
export async function getOutcome(ref: OutcomeRef): Promise<OutcomeRecord | undefined> {
  const { client, name } = table();
  const { Item } = await client.send(
    new GetCommand({
      TableName: name,
      Key: outcomeKeyOf(ref),
      ConsistentRead: true,
    }),
  );
  return Item ? stripKeys<OutcomeRecord>(Item) : undefined;
}

/** The outcomes of every workflow instance whose id starts with `instancePrefix` (an exit's obligation rounds), in one query. */
export async function readOutcomesUnder(
  allianceId: string,
  instancePrefix: string,
): Promise<OutcomeRecord[]> {
  return queryAll<OutcomeRecord>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: {
      ":pk": keys.partition(allianceId),
      ":prefix": `${keys.outcomePrefix(instancePrefix).slice(0, -1)}`,
    },
    ConsistentRead: true,
  });
}

/** The outcomes of a workflow instance (of one kind, when given), by respondent order. */
export async function readOutcomes(
  allianceId: string,
  instance: string,
  kind?: string,
): Promise<OutcomeRecord[]> {
  return queryAll<OutcomeRecord>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: {
      ":pk": keys.partition(allianceId),
      ":prefix": keys.outcomePrefix(instance, kind),
    },
    ConsistentRead: true,
  });
}

/**
 * A retried waitForTaskToken task carries a new token: the requests of its outcome must answer that one, or
 * a click after the retry would resume a task that no longer exists. Decided requests get it too, so a
 * stranded decision is delivered to the live task.
 */
export async function replaceTaskToken(requests: RequestRecord[], taskToken: string): Promise<void> {
  const { client, name } = table();
  for (const request of requests) {
    if (request.taskToken === taskToken) continue;
    await client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.request(request.allianceId, request.requestId),
        UpdateExpression: "SET taskToken = :token",
        ExpressionAttributeValues: { ":token": taskToken },
      }),
    );
    request.taskToken = taskToken;
  }
}

/** Reads a request by its id alone (the link); undefined for an unknown id. */
export async function getRequest(requestId: string): Promise<RequestRecord | undefined> {
  const allianceId = await allianceOfRequest(requestId);
  return allianceId ? getRequestIn(allianceId, requestId) : undefined;
}

/**
 * Reads a request by its id alone (the link) together with its alliance, in one consistent read: a page
 * needs both (the alliance holds the contacts as amended since the request was opened).
 */
export async function getRequestWithAlliance(
  requestId: string,
): Promise<{ request: RequestRecord; alliance: AllianceRecord | undefined } | undefined> {
  const allianceId = await allianceOfRequest(requestId);
  if (!allianceId) return undefined;
  const { client, name } = table();
  const requestKey = keys.request(allianceId, requestId);
  const allianceKey = keys.alliance(allianceId);
  let pending: Record<string, unknown>[] = [requestKey, allianceKey];
  const found: Record<string, unknown>[] = [];
  // BatchGet may leave keys unprocessed under load; ask again for those, backing off, and never answer
  // without both (a missing request would read as an unknown link, a missing alliance as no amendments).
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= 5) throw new UnprocessedReadError(`request ${requestId} and its alliance`);
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt * Math.random()));
    const result = await client.send(
      new BatchGetCommand({ RequestItems: { [name]: { Keys: pending, ConsistentRead: true } } }),
    );
    found.push(...(result.Responses?.[name] ?? []));
    pending = result.UnprocessedKeys?.[name]?.Keys ?? [];
  }
  const item = found.find((i) => i.sk === requestKey.sk);
  const alliance = found.find((i) => i.sk === allianceKey.sk);
  if (!item) return undefined;
  return {
    request: stripKeys<RequestRecord>(item),
    alliance: alliance ? stripKeys<AllianceRecord>(alliance) : undefined,
  };
}

/** DynamoDB kept leaving part of a read unprocessed (throttling); the caller answers with an error, not a guess. */
export class UnprocessedReadError extends Error {
  constructor(what: string) {
    super(`DynamoDB did not read ${what} after five attempts`);
    this.name = "UnprocessedReadError";
  }
}

function allianceOfRequest(requestId: string): Promise<string | undefined> {
  return requestAlliances.get(requestId, async () => {
    const { client, name } = table();
    const { Item } = await client.send(
      new GetCommand({ TableName: name, Key: keys.requestLookup(requestId) }),
    );
    return Item ? String(Item.allianceId) : undefined;
  });
}

// Which alliance a request belongs to never changes (the lookup item is insert-only).
const requestAlliances = new ImmutableItemCache<string>(5000);

/** One request of an alliance, read consistently. */
export async function getRequestIn(
  allianceId: string,
  requestId: string,
): Promise<RequestRecord | undefined> {
  const { client, name } = table();
  const { Item } = await client.send(
    new GetCommand({ TableName: name, Key: keys.request(allianceId, requestId), ConsistentRead: true }),
  );
  return Item ? stripKeys<RequestRecord>(Item) : undefined;
}

/** Requests of an alliance (all statuses), oldest first. */
export async function listRequests(allianceId: string): Promise<RequestRecord[]> {
  const requests = await queryAll<RequestRecord>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": keys.partition(allianceId), ":prefix": keys.requestPrefix },
  });
  return requests.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Open requests whose reminder or deadline is due at `now`, across alliances (the sparse index; no scan). */
export async function dueRequests(now: string, limit = 500): Promise<RequestRecord[]> {
  return requestsDueBy(INDEX_PARTITION.openRequests, now, limit);
}

const WAITING_FIELDS = ["allianceId", "instance", "kind", "respondent", "partnerId", "deadline"] as const;

/** What "whom each alliance waits on" needs of an open request. */
export type WaitingRequest = Pick<RequestRecord, (typeof WAITING_FIELDS)[number]>;

/**
 * Every open request, across alliances, from the sparse requests-by-deadline index (one query, paged, only the
 * attributes it needs; never a scan): for "whom each alliance waits on". Includes requests whose deadline passed
 * but whose workflow has not closed them yet.
 */
export async function openRequests(): Promise<WaitingRequest[]> {
  return queryAll<WaitingRequest>({
    IndexName: INDEX.requestsByDeadline,
    KeyConditionExpression: "gsi2pk = :pk",
    // Named, so that no attribute can meet one of DynamoDB's reserved words.
    ProjectionExpression: WAITING_FIELDS.map((field) => `#${field}`).join(", "),
    ExpressionAttributeNames: Object.fromEntries(WAITING_FIELDS.map((field) => [`#${field}`, field])),
    ExpressionAttributeValues: { ":pk": INDEX_PARTITION.openRequests },
  });
}

/** Requests in one partition of the requests-by-deadline index whose sort time is at or before `upTo`. */
async function requestsDueBy(partition: string, upTo: string, limit: number): Promise<RequestRecord[]> {
  return queryAll<RequestRecord>(
    {
      IndexName: INDEX.requestsByDeadline,
      KeyConditionExpression: "gsi2pk = :pk AND gsi2sk <= :upTo",
      // "~" sorts after every request id, so entries at exactly `upTo` are included.
      ExpressionAttributeValues: { ":pk": partition, ":upTo": `${upTo}#~` },
    },
    limit,
  );
}

/** Why a decision was not recorded: the request's and the outcome's state as they are now. */
export type DecideRefusal = {
  refused: true;
  current: RequestRecord | undefined;
  outcome: OutcomeRecord | undefined;
};

/**
 * Records a decision, once: the outcome moves OPEN → DECIDED (the first of its requests to decide wins) and
 * the request OPEN → DECIDED before its deadline, with the timeline entry, all or nothing. The request stays
 * in the retry index until its workflow is told (markResumed).
 */
export async function decideRequest(input: {
  request: RequestRecord;
  decision: unknown;
  now: string;
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
            {
              Update: {
                TableName: name,
                Key: outcomeKeyOf(request),
                UpdateExpression:
                  "SET #status = :decided, decidedAt = :now, decision = :decision, decidedBy = :by",
                ConditionExpression: "#status = :open",
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: {
                  ":decided": "DECIDED",
                  ":open": "OPEN",
                  ":now": input.now,
                  ":decision": input.decision,
                  ":by": {
                    name: request.contactName,
                    email: request.contactEmail,
                    requestId: request.requestId,
                  },
                },
              },
            },
            timelinePut(request.allianceId, input.event),
          ],
        }),
      ),
    );
    return { refused: false };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const [current, outcome] = await Promise.all([
      getRequestIn(request.allianceId, request.requestId),
      getOutcome(request),
    ]);
    return { refused: true, current, outcome };
  }
}

/**
 * Changes a decided answer (kinds whose answers may change until their round closes): the request's and the
 * outcome's decision and time, with the timeline entry (which keeps every answer), all or nothing. False when the
 * request or its outcome is no longer DECIDED by this request (nothing is written).
 */
export function reviseDecision(input: {
  request: RequestRecord;
  decision: unknown;
  now: string;
  event: TimelineEvent;
}): Promise<boolean> {
  const { name } = table();
  const { request } = input;
  return transactUnlessConditionFails([
    {
      Update: {
        TableName: name,
        Key: keys.request(request.allianceId, request.requestId),
        UpdateExpression: "SET decidedAt = :now, decision = :decision",
        ConditionExpression: "#status = :decided",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":decided": "DECIDED", ":now": input.now, ":decision": input.decision },
      },
    },
    {
      Update: {
        TableName: name,
        Key: outcomeKeyOf(request),
        UpdateExpression: "SET decidedAt = :now, decision = :decision",
        ConditionExpression: "#status = :decided AND decidedBy.requestId = :id",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":decided": "DECIDED",
          ":now": input.now,
          ":decision": input.decision,
          ":id": request.requestId,
        },
      },
    },
    timelinePut(request.allianceId, input.event),
  ]);
}

/** Closes an open request (deadline passed, contact replaced, workflow moved on); false if it was not open. */
export async function closeRequest(input: {
  request: RequestRecord;
  status: Exclude<RequestStatus, "OPEN" | "DECIDED" | "DELEGATED">;
  reason: string;
  event?: TimelineEvent;
}): Promise<boolean> {
  const items = [closeUpdate(input.request, input.status, input.reason)];
  return transactUnlessConditionFails(
    input.event ? [...items, timelinePut(input.request.allianceId, input.event)] : items,
  );
}

function closeUpdate(request: RequestRecord, status: RequestStatus, reason: string) {
  const { name } = table();
  return {
    Update: {
      TableName: name,
      Key: keys.request(request.allianceId, request.requestId),
      UpdateExpression: "SET #status = :to, closedReason = :reason REMOVE gsi2pk, gsi2sk",
      ConditionExpression: "#status = :open",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":to": status, ":open": "OPEN", ":reason": reason },
    },
  };
}

/**
 * After a deadline passed with no decision: the outcome becomes MISSED with what the silence counts as, and
 * its still-open requests EXPIRED, with the timeline entry, all or nothing. False when the outcome was no
 * longer open (decided just in time, or a retried task already recorded the miss).
 */
export async function recordMiss(input: {
  outcome: OutcomeRecord;
  openRequests: RequestRecord[];
  countedAs: string;
  /** The partner's deadlines were suspended (force majeure): the miss is excused. */
  excused?: boolean;
  event: TimelineEvent;
}): Promise<boolean> {
  const { name } = table();
  const { outcome } = input;
  return transactUnlessConditionFails([
    {
      Update: {
        TableName: name,
        Key: outcomeKeyOf(outcome),
        UpdateExpression: "SET #status = :missed, countedAs = :counted, excused = :excused",
        ConditionExpression: "#status = :open",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":missed": "MISSED",
          ":open": "OPEN",
          ":counted": input.countedAs,
          ":excused": input.excused === true,
        },
      },
    },
    ...input.openRequests.map((request) => closeUpdate(request, "EXPIRED", "deadline passed")),
    timelinePut(outcome.allianceId, input.event),
  ]);
}

/**
 * Adds requests to an open outcome (a hand-over to a colleague, a replaced contact, a re-sent request),
 * optionally closing the request they take over from, with the timeline entries — all or nothing.
 */
export async function addRequests(input: {
  outcome: OutcomeRef;
  requests: RequestRecord[];
  closing?: { request: RequestRecord; status: "DELEGATED" | "CANCELLED"; reason: string; now: string };
  events: TimelineEvent[];
}): Promise<boolean> {
  const { name } = table();
  const { outcome, closing } = input;
  const closeItem = closing && {
    Update: {
      TableName: name,
      Key: keys.request(closing.request.allianceId, closing.request.requestId),
      UpdateExpression:
        "SET #status = :to, closedReason = :reason, decidedAt = :now, delegatedTo = :next REMOVE gsi2pk, gsi2sk",
      // The new request copies the task token: if a retried ask replaced it meanwhile, start again.
      ConditionExpression: "#status = :open AND deadline > :now AND taskToken = :token",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":to": closing.status,
        ":open": "OPEN",
        ":reason": closing.reason,
        ":now": closing.now,
        ":next": input.requests[0]?.requestId ?? "",
        ":token": closing.request.taskToken,
      },
    },
  };
  return transactUnlessConditionFails([
    {
      Update: {
        TableName: name,
        Key: outcomeKeyOf(outcome),
        UpdateExpression: "SET requestIds = list_append(requestIds, :ids)",
        ConditionExpression: "#status = :open",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":ids": input.requests.map((r) => r.requestId),
          ":open": "OPEN",
        },
      },
    },
    ...(closeItem ? [closeItem] : []),
    ...input.requests.flatMap(requestPuts),
    ...input.events.map((event) => timelinePut(outcome.allianceId, event)),
  ]);
}

/** Notes that the request's email went out, with the email's timeline entries, in one write. */
export async function markNotified(
  request: RequestRecord,
  at: string,
  events: TimelineEvent[],
): Promise<void> {
  const { client, name } = table();
  await client.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: name,
            Key: keys.request(request.allianceId, request.requestId),
            UpdateExpression: "SET notifiedAt = :at",
            ExpressionAttributeValues: { ":at": at },
          },
        },
        ...events.map((event) => timelinePut(request.allianceId, event)),
      ],
    }),
  );
}

/**
 * Claims the reminder of an open request (conditional, so two sweeps never remind twice), adds the hash of
 * the fresh secret the reminder mails, and moves the index entry to the deadline, in one write.
 */
export async function claimReminder(
  request: RequestRecord,
  at: string,
  secretHash: string,
): Promise<boolean> {
  const { client, name } = table();
  return appliedUnlessConditionFails(() =>
    client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.request(request.allianceId, request.requestId),
        UpdateExpression:
          "SET remindedAt = :at, gsi2sk = :next, extraSecretHashes = list_append(if_not_exists(extraSecretHashes, :empty), :hash)",
        // The deadline read is still the deadline: an extension in between moved the reminder, and this one is stale.
        ConditionExpression: "#status = :open AND attribute_not_exists(remindedAt) AND deadline = :deadline",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":at": at,
          ":open": "OPEN",
          ":deadline": request.deadline,
          ":next": `${request.deadline}#${request.requestId}`,
          ":empty": [],
          ":hash": [secretHash],
        },
      }),
    ),
  );
}

/**
 * Takes a request out of the reminder index without closing it: its deadline is long past, so nothing is
 * due any more, and its workflow's deadline step closes it (or, if that workflow stopped, nothing will, and
 * it must not clog the index the sweep reads oldest first).
 */
export async function leaveReminderIndex(request: RequestRecord): Promise<void> {
  const { client, name } = table();
  await appliedUnlessConditionFails(() =>
    client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.request(request.allianceId, request.requestId),
        UpdateExpression: "REMOVE gsi2pk, gsi2sk",
        ConditionExpression: "#status = :open AND gsi2pk = :index",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":open": "OPEN", ":index": INDEX_PARTITION.openRequests },
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

/** Notes that the workflow was told of the decision (or had already taken it): off the retry index. */
export async function markResumed(request: RequestRecord, at: string, event?: TimelineEvent): Promise<void> {
  const { client, name } = table();
  const update = {
    TableName: name,
    Key: keys.request(request.allianceId, request.requestId),
    UpdateExpression: "SET resumedAt = :at REMOVE gsi2pk, gsi2sk",
    ExpressionAttributeValues: { ":at": at },
  };
  if (!event) {
    await client.send(new UpdateCommand(update));
    return;
  }
  await client.send(
    new TransactWriteCommand({ TransactItems: [{ Update: update }, timelinePut(request.allianceId, event)] }),
  );
}

/** Decided requests whose workflow was not told by `before` (the partner handler failed after recording). */
export async function unresumedDecisions(before: string, limit = 500): Promise<RequestRecord[]> {
  return requestsDueBy(INDEX_PARTITION.unresumedDecisions, before, limit);
}

/**
 * Moves the deadline of an open outcome and of each of its open requests by `byMs`, with the timeline entry, all or
 * nothing: false (nothing written) when the outcome closed, or a request changed or moved to another task token since
 * they were read (another extension, a retried ask). A request that was reminded gets its reminder again, the same
 * time before the new deadline.
 */
export async function extendOutcome(input: {
  outcome: OutcomeRef & Pick<OutcomeRecord, "deadline">;
  requests: readonly RequestRecord[];
  byMs: number;
  /** The task token the requests must still answer: the task this extension fails next. */
  taskToken: string;
  event: TimelineEvent;
}): Promise<boolean> {
  const { name } = table();
  const later = (iso: string) => new Date(Date.parse(iso) + input.byMs).toISOString();
  const requestUpdates = input.requests.map((request) => {
    const deadline = later(request.deadline);
    const remindAt = request.remindAt === undefined ? undefined : later(request.remindAt);
    const next = nextDue({ deadline, ...(remindAt === undefined ? {} : { remindAt }) });
    return {
      Update: {
        TableName: name,
        Key: keys.request(request.allianceId, request.requestId),
        UpdateExpression: `SET deadline = :deadline, gsi2pk = :index, gsi2sk = :next${remindAt === undefined ? "" : ", remindAt = :remindAt"} REMOVE remindedAt`,
        ConditionExpression: "#status = :open AND deadline = :was AND taskToken = :token",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":deadline": deadline,
          ":index": INDEX_PARTITION.openRequests,
          ":next": `${next}#${request.requestId}`,
          ":open": "OPEN",
          ":was": request.deadline,
          ":token": input.taskToken,
          ...(remindAt === undefined ? {} : { ":remindAt": remindAt }),
        },
      },
    };
  });
  return transactUnlessConditionFails([
    {
      Update: {
        TableName: name,
        Key: outcomeKeyOf(input.outcome),
        UpdateExpression: "SET deadline = :deadline",
        ConditionExpression: "#status = :open AND deadline = :was",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":deadline": later(input.outcome.deadline),
          ":open": "OPEN",
          ":was": input.outcome.deadline,
        },
      },
    },
    ...requestUpdates,
    timelinePut(input.outcome.allianceId, input.event),
  ]);
}

/**
 * Puts back the deadlines an extension moved (see extendOutcome) when its task no longer waited, so the records say
 * what the workflow does: each item only where it still holds the moved deadline, whatever its status now. Index
 * entries are left as they are (the sweep drops a closed request's entry when it meets it).
 */
export async function undoExtension(input: {
  outcome: OutcomeRef & Pick<OutcomeRecord, "deadline">;
  requests: readonly RequestRecord[];
  byMs: number;
  event: TimelineEvent;
}): Promise<void> {
  const { client, name } = table();
  const later = (iso: string) => new Date(Date.parse(iso) + input.byMs).toISOString();
  const putBack = (key: Record<string, string>, was: string, remindAt?: string) =>
    appliedUnlessConditionFails(() =>
      client.send(
        new UpdateCommand({
          TableName: name,
          Key: key,
          UpdateExpression: `SET deadline = :was${remindAt === undefined ? "" : ", remindAt = :remindAt"}`,
          ConditionExpression: "deadline = :moved",
          ExpressionAttributeValues: {
            ":was": was,
            ":moved": later(was),
            ...(remindAt === undefined ? {} : { ":remindAt": remindAt }),
          },
        }),
      ),
    );
  await putBack(outcomeKeyOf(input.outcome), input.outcome.deadline);
  for (const request of input.requests)
    await putBack(keys.request(request.allianceId, request.requestId), request.deadline, request.remindAt);
  await appendTimelineEvents(input.outcome.allianceId, [input.event]);
}
