import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

const DAY = 86_400_000;

/** Scale-test and bench alliances: ACTIVE, on the reviews-due index, one in `dueEvery` due before `now`. */
export interface SeedPlan {
  alliances: number;
  dueEvery: number;
  now: number;
}

/**
 * Writes `plan.alliances` alliance META items straight into the table (8 BatchWrite workers of 25 items, unprocessed
 * items retried): the due ones 1–30 days overdue, the rest due 1–180 days after `now`. Returns how many are due.
 */
export async function seedDueAlliances(
  documents: DynamoDBDocumentClient,
  tableName: string,
  plan: SeedPlan,
  progress: (written: number) => void = () => {},
): Promise<number> {
  const items = Array.from({ length: plan.alliances }, (_, i) => {
    const id = `scale-${String(i).padStart(6, "0")}-0000abcd`;
    const due = i % plan.dueEvery === 0;
    const nextReviewAt = new Date(plan.now + (due ? -1 - (i % 30) : 1 + (i % 180)) * DAY).toISOString();
    return {
      pk: `ALLIANCE#${id}`,
      sk: "META",
      id,
      status: "ACTIVE",
      nextReviewAt,
      gsi1pk: "REVIEW_DUE",
      gsi1sk: `${nextReviewAt}#${id}`,
    };
  });
  const batches: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let written = 0;
  const workers = Array.from({ length: 8 }, async () => {
    for (let batch = batches.pop(); batch; batch = batches.pop()) {
      let pending = batch.map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const answer = await documents.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
        );
        pending = (answer.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
      written += batch.length;
      if (written % 10_000 < 25) progress(written);
    }
  });
  await Promise.all(workers);
  return Math.ceil(plan.alliances / plan.dueEvery);
}

/** Counts ScannedCount and the queries of every call `documents` makes until the returned stop() is called. */
export function countScanned(documents: DynamoDBDocumentClient): {
  read: () => { scanned: number; queries: number };
  stop: () => void;
} {
  let scanned = 0;
  let queries = 0;
  const name = `countScanned-${Math.random().toString(36).slice(2)}`;
  documents.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = (result.output ?? {}) as { ScannedCount?: number };
      if (output.ScannedCount !== undefined) {
        scanned += output.ScannedCount;
        queries++;
      }
      return result;
    },
    { step: "initialize", name },
  );
  return { read: () => ({ scanned, queries }), stop: () => documents.middlewareStack.remove(name) };
}
