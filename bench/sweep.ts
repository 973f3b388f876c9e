/**
 * The review sweep's read at 100 000 alliances, 1 % of them due, in DynamoDB Local (the same seed as the local tier's
 * scale test): how many items the sweep's due-index query reads per due alliance, and how long the read takes. It
 * runs the product's `dueReviews` (what the sweep Lambda calls before it starts executions), not the starts.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ensureTables, startDynamoDbLocal } from "../local/dynamodb-local";
import { synthesizeForLocal } from "../local/synth";
import { countScanned, seedDueAlliances } from "../tests/local/reviews/seed";
import { type BenchRow, type BenchSection, type SectionContext, sampled, since, single } from "./stats";

const ALLIANCES = 100_000;
const DUE_EVERY = 100;
const READS = 5;
/** The goal: items read per due alliance. */
const ITEMS_PER_DUE_GOAL = 1.05;

/** The `sweep` section. */
export const sweepSection: BenchSection = {
  name: "sweep",
  description: `the review sweep's read at ${ALLIANCES.toLocaleString("en")} alliances, 1 % due: items read per due alliance, wall time`,
  run: benchSweep,
};

async function benchSweep({ progress, cleanup }: SectionContext): Promise<BenchRow[]> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "concord-bench-sweep-"));
  const removeDataDir = cleanup.add(() => rm(dataDir, { recursive: true, force: true }));
  const saved = { ...process.env };
  try {
    const [assembly, dynamodb] = await Promise.all([synthesizeForLocal(), startDynamoDbLocal({ dataDir })]);
    const closeDynamoDb = cleanup.add(() => dynamodb.close());
    try {
      await ensureTables(dynamodb.endpoint, "us-east-1", assembly.tables);
      const tableName = assembly.tables[0]?.TableName ?? "";
      // The store reads its table and endpoint from the environment, as in a Lambda container.
      Object.assign(process.env, {
        TABLE_NAME: tableName,
        MAIL_FROM: "concord@example.com",
        APP_URL: "http://127.0.0.1:3000",
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
        AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      });
      const { documents } = await import("../functions/shared/clients");
      const { dueReviews } = await import("../functions/store");
      const now = Date.parse("2027-06-01T12:00:00Z");
      progress(`seeding ${ALLIANCES.toLocaleString("en")} alliances into DynamoDB Local (minutes)…`);
      const seeding = performance.now();
      const due = await seedDueAlliances(
        documents,
        tableName,
        { alliances: ALLIANCES, dueEvery: DUE_EVERY, now },
        (n) => progress(`  ${n.toLocaleString("en")} written`),
      );
      const seedSeconds = since(seeding) / 1000;
      const wall: number[] = [];
      const perDue: number[] = [];
      const pages: number[] = [];
      for (let i = 0; i < READS; i++) {
        const counter = countScanned(documents);
        const started = performance.now();
        const found = await dueReviews(new Date(now).toISOString());
        wall.push(since(started));
        const { scanned, queries } = counter.read();
        counter.stop();
        if (found.length !== due)
          throw new Error(`the sweep found ${found.length} due alliances, not ${due}`);
        perDue.push(scanned / found.length);
        pages.push(queries);
      }
      return [
        single("alliances seeded (1 % due)", ALLIANCES, "alliances"),
        single("seeding time", Math.round(seedSeconds), "s"),
        sampled("items read per due alliance", perDue, "items", {
          text: `≤ ${ITEMS_PER_DUE_GOAL}`,
          met: (row) => row.p95 <= ITEMS_PER_DUE_GOAL,
        }),
        sampled(`sweep read of ${due} due alliances`, wall, "ms"),
        sampled("queries (pages) per sweep read", pages, "queries"),
      ];
    } finally {
      await closeDynamoDb();
    }
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await removeDataDir();
  }
}
