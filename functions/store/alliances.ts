import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { ContactAmendment } from "../domain";
import { INDEX, INDEX_PARTITION, keys } from "./keys";
import type { AllianceRecord, AllianceStatus, RevisionRecord, TimelineEvent } from "./records";
import {
  appliedUnlessConditionFails,
  getOne,
  ImmutableItemCache,
  isConditionFailure,
  stripKeys,
  table,
  transactUnlessConditionFails,
} from "./table";
import { timelinePut } from "./timeline";

/** The alliance is not in a state that allows the change (e.g. a revision while it is forming). */
export class AllianceStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AllianceStateError";
  }
}

/** Creates a DRAFT alliance with its first revision and a timeline entry, atomically. */
export async function createAlliance(input: {
  alliance: AllianceRecord;
  revision: RevisionRecord;
  event: TimelineEvent;
}): Promise<void> {
  const { client, name } = table();
  const { alliance } = input;
  await client.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: name,
            Item: {
              ...keys.alliance(alliance.id),
              ...alliance,
              gsi3pk: INDEX_PARTITION.alliances,
              gsi3sk: `${alliance.createdAt}#${alliance.id}`,
            },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
        revisionPut(input.revision),
        timelinePut(alliance.id, input.event),
        {
          Put: {
            TableName: name,
            Item: {
              ...keys.allianceName(alliance.name),
              allianceId: alliance.id,
              createdAt: alliance.createdAt,
            },
          },
        },
      ],
    }),
  );
}

/** The newest alliance created with this name (case and spacing aside), if any. */
export async function allianceNamed(allianceName: string): Promise<string | undefined> {
  return (await getOne<{ allianceId: string }>(keys.allianceName(allianceName)))?.allianceId;
}

/** The Put of a new revision (insert-only), for a transaction. */
export function revisionPut(revision: RevisionRecord) {
  const { name } = table();
  return {
    Put: {
      TableName: name,
      Item: { ...keys.revision(revision.allianceId, revision.version), ...revision },
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
}

/** Adds a revised draft as the next version; only while the alliance is DRAFT. */
export async function addRevision(input: {
  allianceId: string;
  expectedVersion: number;
  revision: RevisionRecord;
  name: string;
  mode: AllianceRecord["mode"];
  /** What the audit found missing, when the revision fails it (kept on the alliance); absent: the findings go. */
  auditFindings?: AllianceRecord["auditFindings"];
  event: TimelineEvent;
}): Promise<void> {
  const { client, name } = table();
  const findings = input.auditFindings;
  try {
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: name,
              Key: keys.alliance(input.allianceId),
              UpdateExpression: `SET version = :next, #name = :name, #mode = :mode, updatedAt = :at${findings ? ", auditFindings = :findings" : " REMOVE auditFindings"}`,
              ConditionExpression: "#status = :draft AND version = :expected",
              ExpressionAttributeNames: { "#status": "status", "#name": "name", "#mode": "mode" },
              ExpressionAttributeValues: {
                ":next": input.revision.version,
                ":expected": input.expectedVersion,
                ":draft": "DRAFT",
                ":name": input.name,
                ":mode": input.mode,
                ":at": input.revision.submittedAt,
                ...(findings ? { ":findings": findings } : {}),
              },
            },
          },
          revisionPut(input.revision),
          timelinePut(input.allianceId, input.event),
        ],
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) {
      throw new AllianceStateError("the alliance is not a DRAFT at that version (is a formation running?)");
    }
    throw error;
  }
}

/** Reads an alliance; undefined when it does not exist. */
export async function getAlliance(allianceId: string): Promise<AllianceRecord | undefined> {
  const { client, name } = table();
  const { Item } = await client.send(new GetCommand({ TableName: name, Key: keys.alliance(allianceId) }));
  return Item ? stripKeys<AllianceRecord>(Item) : undefined;
}

/** Reads one revision (draft + charter version). */
export async function getRevision(allianceId: string, version: number): Promise<RevisionRecord | undefined> {
  return revisions.get(`${allianceId}#${version}`, async () => {
    const { client, name } = table();
    const { Item } = await client.send(
      new GetCommand({ TableName: name, Key: keys.revision(allianceId, version) }),
    );
    return Item ? stripKeys<RevisionRecord>(Item) : undefined;
  });
}

// Revisions are insert-only, so a container may keep the ones it has read.
const revisions = new ImmutableItemCache<RevisionRecord>();

/** Where a page of alliances ends: the last alliance it holds, in the `alliances` index's order. */
export interface AlliancePosition {
  createdAt: string;
  id: string;
}

/**
 * One page of alliances, newest first, through the `alliances` index (no scan): at most `limit` of them,
 * starting after `after`; `next` is where the following page starts, absent on the last page.
 */
export async function listAlliances(
  input: { limit: number; after?: AlliancePosition | undefined } = { limit: 100 },
): Promise<{ alliances: AllianceRecord[]; next?: AlliancePosition }> {
  const { client, name } = table();
  // One more than asked, so that a page that ends the list says so (no empty last page to fetch).
  const page = await client.send(
    new QueryCommand({
      TableName: name,
      IndexName: INDEX.alliances,
      KeyConditionExpression: "gsi3pk = :pk",
      ExpressionAttributeValues: { ":pk": INDEX_PARTITION.alliances },
      ScanIndexForward: false,
      Limit: input.limit + 1,
      ...(input.after ? { ExclusiveStartKey: alliancesIndexKey(input.after) } : {}),
    }),
  );
  const items = page.Items ?? [];
  const alliances = items.slice(0, input.limit).map((item) => stripKeys<AllianceRecord>(item));
  const last = alliances.at(-1);
  // More follow when the extra item came back, or when DynamoDB stopped early at its 1 MB page size.
  const more = items.length > input.limit || page.LastEvaluatedKey !== undefined;
  return last && more ? { alliances, next: { createdAt: last.createdAt, id: last.id } } : { alliances };
}

function alliancesIndexKey(position: AlliancePosition): Record<string, string> {
  return {
    ...keys.alliance(position.id),
    gsi3pk: INDEX_PARTITION.alliances,
    gsi3sk: `${position.createdAt}#${position.id}`,
  };
}

/**
 * Moves an alliance from one of `from` to `to` (conditional), setting/removing fields and writing the
 * timeline entry in the same transaction. Returns false when the alliance was not in an expected state.
 */
export async function transitionAlliance(input: {
  allianceId: string;
  from: AllianceStatus[];
  to: AllianceStatus;
  version?: number;
  set?: Partial<AllianceRecord>;
  remove?: (keyof AllianceRecord)[];
  reviewDue?: string | null;
  event: TimelineEvent;
}): Promise<boolean> {
  const { name } = table();
  const names: Record<string, string> = { "#status": "status" };
  const values: Record<string, unknown> = { ":to": input.to, ":at": input.event.at };
  const sets = ["#status = :to", "updatedAt = :at"];
  const removes: string[] = [...(input.remove ?? [])].map((field) => {
    names[`#r_${field}`] = field;
    return `#r_${field}`;
  });
  for (const [field, value] of Object.entries(input.set ?? {})) {
    names[`#s_${field}`] = field;
    values[`:s_${field}`] = value;
    sets.push(`#s_${field} = :s_${field}`);
  }
  if (input.reviewDue) {
    sets.push("gsi1pk = :reviewPk", "gsi1sk = :reviewSk");
    values[":reviewPk"] = INDEX_PARTITION.reviewsDue;
    values[":reviewSk"] = `${input.reviewDue}#${input.allianceId}`;
  } else if (input.reviewDue === null) {
    removes.push("gsi1pk", "gsi1sk");
  }
  const from = input.from.map((status, i) => {
    values[`:from${i}`] = status;
    return `:from${i}`;
  });
  let condition = `#status IN (${from.join(", ")})`;
  if (input.version !== undefined) {
    condition += " AND version = :version";
    values[":version"] = input.version;
  }
  return transactUnlessConditionFails([
    {
      Update: {
        TableName: name,
        Key: keys.alliance(input.allianceId),
        UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    timelinePut(input.allianceId, input.event),
  ]);
}

/**
 * Sets a once-only marker on the alliance (e.g. "welcomeSentAt"); false when it was already set.
 * Tasks use it to make an email that follows a transition go out once even when the task is retried.
 */
export async function markAllianceOnce(allianceId: string, marker: string, at: string): Promise<boolean> {
  const { client, name } = table();
  return appliedUnlessConditionFails(() =>
    client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.alliance(allianceId),
        UpdateExpression: "SET #m = :at",
        ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(#m)",
        ExpressionAttributeNames: { "#m": marker },
        ExpressionAttributeValues: { ":at": at },
      }),
    ),
  );
}

/** Whether markAllianceOnce already set `marker` on this alliance record. */
export function hasMarker(alliance: AllianceRecord, marker: string): boolean {
  return typeof (alliance as unknown as Record<string, unknown>)[marker] === "string";
}

/**
 * Records a contact amendment on the alliance (in order, insert-only list) with its timeline entry; false
 * when another amendment landed since the caller read `expectedCount` of them (two admins at once).
 */
export async function addContactAmendment(input: {
  allianceId: string;
  expectedCount: number;
  amendment: ContactAmendment;
  event: TimelineEvent;
}): Promise<boolean> {
  const { name } = table();
  const first = input.expectedCount === 0;
  return transactUnlessConditionFails([
    {
      Update: {
        TableName: name,
        Key: keys.alliance(input.allianceId),
        UpdateExpression:
          "SET contactAmendments = list_append(if_not_exists(contactAmendments, :empty), :amendment), updatedAt = :at",
        ConditionExpression: `attribute_exists(pk) AND ${first ? "attribute_not_exists(contactAmendments)" : "size(contactAmendments) = :count"}`,
        ExpressionAttributeValues: {
          ":empty": [],
          ":amendment": [input.amendment],
          ":at": input.event.at,
          ...(first ? {} : { ":count": input.expectedCount }),
        },
      },
    },
    timelinePut(input.allianceId, input.event),
  ]);
}

/** A transaction's check that the alliance is ACTIVE: what it writes is only for an alliance past formation. */
export function allianceIsActive(allianceId: string) {
  return {
    ConditionCheck: {
      TableName: table().name,
      Key: keys.alliance(allianceId),
      ConditionExpression: "#status = :active",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":active": "ACTIVE" },
    },
  };
}

/**
 * The transaction item that numbers the alliance's next exit or escalation: moves `counter` from `expected` to the
 * next number, only while the alliance is ACTIVE and still at `expected` (two started at once get two numbers, or
 * one of them is refused).
 */
export function nextCycle(allianceId: string, counter: "exitCycle" | "escalationCycle", expected: number) {
  return {
    Update: {
      TableName: table().name,
      Key: keys.alliance(allianceId),
      UpdateExpression: "SET #counter = :next",
      ConditionExpression:
        "#status = :active AND (#counter = :expected OR (attribute_not_exists(#counter) AND :expected = :zero))",
      ExpressionAttributeNames: { "#status": "status", "#counter": counter },
      ExpressionAttributeValues: {
        ":active": "ACTIVE",
        ":next": expected + 1,
        ":expected": expected,
        ":zero": 0,
      },
    },
  };
}
