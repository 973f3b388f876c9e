import { readFileSync } from "node:fs";
import path from "node:path";
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { parseDraft } from "../../../functions/domain";
import { hashSecret, newRequestId, newSecret } from "../../../functions/links/secret";
import { sendDueReminders } from "../../../functions/requests";
import { resetConfig } from "../../../functions/shared/config";
import { setTimeSource } from "../../../functions/shared/time";
import { keys, type RequestRecord } from "../../../functions/store";

// The reminder sweep's batch is the oldest due entries of the index: a request its workflow left behind
// must leave the index, or enough of them would starve every reminder after them.

const ROOT = path.resolve(import.meta.dirname, "../../..");
const dynamo = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);
const saved = { ...process.env };
const NOW = Date.parse("2026-06-01T12:00:00Z");
const DAY = 86_400_000;

const parsed = parseDraft(
  JSON.parse(readFileSync(path.join(ROOT, "examples/light-touch-pilot.json"), "utf8")),
);
if (!parsed.ok) throw new Error("example draft is invalid");

const request = (deadline: number, remindAt: number): RequestRecord => ({
  requestId: newRequestId(),
  allianceId: "market-footfall-pilot-1234",
  instance: "formation-v0001",
  charterVersion: 1,
  kind: "charter-approval",
  respondent: "lumen-analytics",
  partnerId: "lumen-analytics",
  contactEmail: "noor.haddad@example.com",
  contactName: "Noor Haddad",
  secretHash: hashSecret(newSecret()),
  taskToken: "token",
  createdAt: new Date(deadline - 14 * DAY).toISOString(),
  deadline: new Date(deadline).toISOString(),
  remindAt: new Date(remindAt).toISOString(),
  status: "OPEN",
});

beforeEach(() => {
  dynamo.reset();
  ses.reset();
  Object.assign(process.env, {
    TABLE_NAME: "concord-test",
    MAIL_FROM: "concord@example.com",
    APP_URL: "https://concord.example",
  });
  resetConfig();
  setTimeSource(() => NOW);
  dynamo.on(GetCommand).resolves({ Item: { draft: parsed.draft, version: 1 } });
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(TransactWriteCommand).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: "msg-1" });
});

afterAll(() => {
  process.env = saved;
  resetConfig();
  setTimeSource(() => Date.now());
  dynamo.restore();
  ses.restore();
});

describe("the reminder sweep", () => {
  it("takes a request long past its deadline out of the index, and still reminds the one that is due", async () => {
    const abandoned = request(NOW - 3 * DAY, NOW - 6 * DAY);
    const due = request(NOW + 2 * DAY, NOW - 60_000);
    dynamo.on(QueryCommand).resolves({ Items: [abandoned, due] });

    await expect(sendDueReminders()).resolves.toEqual({ reminded: 1 });

    const updates = dynamo.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    const removed = updates.find((u) => u.UpdateExpression === "REMOVE gsi2pk, gsi2sk");
    expect(removed?.Key).toEqual(keys.request(abandoned.allianceId, abandoned.requestId));
    expect(updates.filter((u) => String(u.UpdateExpression).startsWith("SET remindedAt"))).toHaveLength(1);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });
});
