import {
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { documents } from "../shared/clients";
import { config } from "../shared/config";
import { keys } from "./keys";

/** The document client and the table name, resolved at call time (config may be set after import). */
export function table(): { client: typeof documents; name: string } {
  return { client: documents, name: config().TABLE_NAME };
}

/** True when DynamoDB refused a write because its condition did not hold (also inside a transaction). */
export function isConditionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "ConditionalCheckFailedException") return true;
  if (error.name === "TransactionCanceledException") {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    return reasons.some((reason) => reason.Code === "ConditionalCheckFailed");
  }
  return false;
}

/** Runs a conditional write: true when it was applied, false when its condition did not hold. */
export async function appliedUnlessConditionFails(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Writes `items` in one transaction: true when it was applied, false when one of its conditions did not hold. */
export function transactUnlessConditionFails(
  items: NonNullable<TransactWriteCommandInput["TransactItems"]>,
): Promise<boolean> {
  return appliedUnlessConditionFails(() =>
    documents.send(new TransactWriteCommand({ TransactItems: items })),
  );
}

/** Strips the table's key and index attributes from an item. */
export function stripKeys<T>(item: Record<string, unknown>): T {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _a,
    gsi1sk: _b,
    gsi2pk: _c,
    gsi2sk: _d,
    gsi3pk: _e,
    gsi3sk: _f,
    ...rest
  } = item;
  return rest as T;
}

/** True when a transaction lost a race with another one on the same item (safe to retry). */
export function isTransactionConflict(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== "TransactionCanceledException") return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((reason) => reason.Code === "TransactionConflict");
}

/** Runs a transactional write, retrying briefly when it only lost a race (TransactionConflict). */
export async function withConflictRetry<T>(write: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt * Math.random()));
    }
  }
}

/**
 * A small in-memory cache for items that never change once written (revisions, request lookups are
 * insert-only), kept per Lambda container. Oldest entries go first past `limit`.
 */
export class ImmutableItemCache<T> {
  private readonly items = new Map<string, T>();

  constructor(private readonly limit = 500) {}

  async get(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const cached = this.items.get(key);
    if (cached !== undefined) return cached;
    const loaded = await load();
    if (loaded !== undefined) {
      if (this.items.size >= this.limit) this.items.delete(this.items.keys().next().value as string);
      this.items.set(key, loaded);
    }
    return loaded;
  }
}

/**
 * Runs a Query to the end, page by page (a page stops at 1 MB, and an alliance's requests and timeline grow
 * for years), stripping the key attributes. `limit` caps the items returned, for sweeps that work in batches.
 */
export async function queryAll<T>(
  input: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">,
  limit = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const { client, name } = table();
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({ ...input, TableName: name, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    for (const item of page.Items ?? []) {
      items.push(stripKeys<T>(item));
      if (items.length >= limit) return items;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Puts an item only if its key is free; false when it already exists (a retried task). */
export async function putOnce(key: { pk: string; sk: string }, item: object): Promise<boolean> {
  const { client, name } = table();
  return appliedUnlessConditionFails(() =>
    client.send(
      new PutCommand({
        TableName: name,
        Item: { ...key, ...item },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    ),
  );
}

/** One item by key, without its key attributes; undefined when there is none. */
export async function getOne<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
  const { client, name } = table();
  const { Item } = await client.send(new GetCommand({ TableName: name, Key: key }));
  return Item ? stripKeys<T>(Item) : undefined;
}

/** Every item of the alliance whose sort key starts with `prefix`, in key order. */
export function queryPrefix<T>(allianceId: string, prefix: string): Promise<T[]> {
  return queryAll<T>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": keys.partition(allianceId), ":prefix": prefix },
  });
}

/**
 * The update that moves an item from status `from` to `to`, setting `fields` with it (undefined ones are left out),
 * conditional on the item being in `from`: for an UpdateCommand, or as a transaction's `Update`.
 */
export function statusMove(
  key: { pk: string; sk: string },
  from: string,
  to: string,
  fields: Record<string, unknown> = {},
) {
  const set = Object.entries(fields).filter(([, value]) => value !== undefined);
  return {
    TableName: table().name,
    Key: key,
    UpdateExpression: `SET #status = :to${set.map((_, i) => `, #f${i} = :f${i}`).join("")}`,
    ConditionExpression: "#status = :from",
    ExpressionAttributeNames: {
      "#status": "status",
      ...Object.fromEntries(set.map(([field], i) => [`#f${i}`, field])),
    },
    ExpressionAttributeValues: {
      ":to": to,
      ":from": from,
      ...Object.fromEntries(set.map(([, value], i) => [`:f${i}`, value])),
    },
  };
}

/**
 * Moves an item from status `from` to `to`, setting `fields` with it (undefined ones are left out); false when the
 * item was not in `from` (an earlier attempt moved it already).
 */
export async function moveStatus(
  key: { pk: string; sk: string },
  from: string,
  to: string,
  fields: Record<string, unknown>,
): Promise<boolean> {
  const { client } = table();
  return appliedUnlessConditionFails(() => client.send(new UpdateCommand(statusMove(key, from, to, fields))));
}
