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
import { newSecret } from "../../../functions/links/secret";
import { sendDueReminders } from "../../../functions/requests";
import { setTimeSource } from "../../../functions/shared/time";
import { keys } from "../../../functions/store";
import { lightTouchDraft, lumenRequest, testConfig } from "./fixtures";

// The reminder sweep's batch is the oldest due entries of the index: a request its workflow left behind
// must leave the index, or enough of them would starve every reminder after them.

const dynamo = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);
const NOW = Date.parse("2026-06-01T12:00:00Z");
const DAY = 86_400_000;
let restoreConfig = () => {};

const request = (deadline: number, remindAt: number) =>
  lumenRequest(newSecret(), { createdAt: deadline - 14 * DAY, deadline, remindAt });

beforeEach(() => {
  dynamo.reset();
  ses.reset();
  restoreConfig = testConfig();
  setTimeSource(() => NOW);
  dynamo.on(GetCommand).resolves({ Item: { draft: lightTouchDraft, version: 1 } });
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(TransactWriteCommand).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: "msg-1" });
});

afterAll(() => {
  restoreConfig();
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
