import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DynamoDbLocal, ensureTables, startDynamoDbLocal } from "../../../local/dynamodb-local";
import { synthesizeForLocal } from "../../../local/synth";
import { countScanned, seedDueAlliances } from "./seed";

// The review sweep's read at scale: 100 000 ACTIVE alliances in DynamoDB Local, 1 % of them due. The sweep reads
// the sparse reviews-due index up to now, so it reads the due alliances and nothing else (never a scan).

const ALLIANCES = 100_000;
const DUE_EVERY = 100;
const NOW = Date.parse("2027-06-01T12:00:00Z");

describe("the review sweep at 100 000 alliances", () => {
  let dataDir: string;
  let dynamodb: DynamoDbLocal;
  let documents: DynamoDBDocumentClient;
  let dueReviews: (at: string) => Promise<{ allianceId: string }[]>;
  let tableName: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "concord-sweep-scale-"));
    const [assembly, started] = await Promise.all([synthesizeForLocal(), startDynamoDbLocal({ dataDir })]);
    dynamodb = started;
    await ensureTables(dynamodb.endpoint, "us-east-1", assembly.tables);
    tableName = assembly.tables[0]?.TableName ?? "";
    Object.assign(process.env, {
      TABLE_NAME: tableName,
      MAIL_FROM: "concord@example.com",
      APP_URL: "http://127.0.0.1:3000",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
    });
    ({ documents } = await import("../../../functions/shared/clients"));
    ({ dueReviews } = await import("../../../functions/store"));
    await seedDueAlliances(documents, tableName, { alliances: ALLIANCES, dueEvery: DUE_EVERY, now: NOW });
  }, 600_000);

  afterAll(async () => {
    await dynamodb?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("reads only the 1 000 due alliances, page by page, never the other 99 000", async () => {
    const counter = countScanned(documents);
    try {
      const due = await dueReviews(new Date(NOW).toISOString());
      const { scanned, queries } = counter.read();
      expect(due).toHaveLength(ALLIANCES / DUE_EVERY);
      expect(scanned / due.length).toBeLessThanOrEqual(1.05);
      expect(queries).toBeGreaterThanOrEqual(1);
    } finally {
      counter.stop();
    }
  });
});
