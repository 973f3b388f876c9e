import {
  DescribeExecutionCommand,
  SendTaskSuccessCommand,
  SFNClient,
  TaskDoesNotExist,
  TaskTimedOut,
} from "@aws-sdk/client-sfn";
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { newSecret } from "../../../functions/links/secret";
import { decide, resumeStalledDecisions } from "../../../functions/requests";
import { keys } from "../../../functions/store";
import { lightTouchDraft, lumenRequest, testConfig } from "./fixtures";

// Error paths the local cloud cannot produce on demand: Step Functions closing the task between the
// partner's conditional write and SendTaskSuccess, and a sweep retrying a decision that was delivered.

const dynamo = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const draft = lightTouchDraft;
const secret = newSecret();
const request = lumenRequest(secret, { createdAt: Date.now() - 60_000, deadline: Date.now() + 86_400_000 });
let restoreConfig = () => {};

beforeEach(() => {
  dynamo.reset();
  sfn.reset();
  restoreConfig = testConfig();
  dynamo
    .on(GetCommand, { Key: keys.requestLookup(request.requestId) })
    .resolves({ Item: { allianceId: request.allianceId } });
  dynamo
    .on(GetCommand, { Key: keys.request(request.allianceId, request.requestId) })
    .resolves({ Item: { ...request } });
  const alliance = {
    id: request.allianceId,
    name: draft.name,
    status: "FORMING",
    mode: "light-touch",
    version: 1,
  };
  dynamo.on(GetCommand, { Key: keys.alliance(request.allianceId) }).resolves({ Item: alliance });
  dynamo.on(BatchGetCommand).resolves({
    Responses: {
      "concord-test": [
        { ...keys.request(request.allianceId, request.requestId), ...request },
        { ...keys.alliance(request.allianceId), ...alliance },
      ],
    },
  });
  dynamo
    .on(GetCommand, { Key: keys.revision(request.allianceId, 1) })
    .resolves({ Item: { draft, version: 1 } });
  // No interest maps in this light-touch formation: the approval page shows none.
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(TransactWriteCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
});

afterAll(() => {
  restoreConfig();
  dynamo.restore();
  sfn.restore();
});

const form = (fields: Record<string, string>) =>
  new URLSearchParams({ s: secret, action: "decide", ...fields });

describe("a partner decision", () => {
  it("resumes the workflow with the decision once it is recorded", async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    const page = await decide(request.requestId, form({ vote: "approve" }));
    expect(page.statusCode).toBe(200);
    const calls = sfn.commandCalls(SendTaskSuccessCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.taskToken).toBe("token-1");
    expect(JSON.parse(calls[0]?.args[0].input.output ?? "{}")).toMatchObject({
      partnerId: "lumen-analytics",
      vote: "approve",
    });
  });

  it("counts an answer recorded before the deadline even when Step Functions timed the task out first", async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: "Task Timed Out", $metadata: {} }));
    const page = await decide(request.requestId, form({ vote: "approve" }));
    // The deadline step finds the recorded decision and counts it, so the partner is told it was recorded.
    expect(page.statusCode).toBe(200);
    expect(page.html).toMatch(/recorded/i);
    expect(page.html).not.toMatch(/TaskTimedOut|stack|at Object/);
    const written = timelineWrites();
    expect(written.map((e) => e.type)).toEqual(["request.decided", "request.delivered"]);
    expect(written.some((e) => /not counted/.test(e.summary ?? ""))).toBe(false);
  });

  it("lets an unexpected Step Functions failure surface and keeps the decision in the retry index", async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new Error("socket hang up"));
    await expect(decide(request.requestId, form({ vote: "approve" }))).rejects.toThrow("socket hang up");
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it("is delivered later by the sweep when the handler failed between recording it and telling the workflow", async () => {
    const stranded = {
      ...request,
      status: "DECIDED",
      decision: { kind: "charter-approval", vote: "reject", comment: "no" },
    };
    dynamo.on(QueryCommand).resolves({ Items: [stranded] });
    sfn.on(SendTaskSuccessCommand).resolves({});
    await expect(resumeStalledDecisions()).resolves.toEqual({ resumed: 1, taken: 0, stopped: 0 });
    const sent = JSON.parse(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.output ?? "{}");
    expect(sent).toMatchObject({ partnerId: "lumen-analytics", vote: "reject", comment: "no" });
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it("says 'already counted', never 'too late', when the sweep finds a decision the workflow already took", async () => {
    // SendTaskSuccess went through, then the handler died before marking the request resumed.
    const stranded = {
      ...request,
      status: "DECIDED",
      decision: { kind: "charter-approval", vote: "approve" },
    };
    dynamo.on(QueryCommand).resolves({ Items: [stranded] });
    sfn
      .on(SendTaskSuccessCommand)
      .rejects(new TaskDoesNotExist({ message: "Task does not exist", $metadata: {} }));
    await expect(resumeStalledDecisions()).resolves.toEqual({ resumed: 0, taken: 1, stopped: 0 });
    const written = timelineWrites();
    expect(written).toHaveLength(1);
    expect(written[0]?.type).toBe("request.delivered");
    expect(written[0]?.summary).toMatch(/counts once/);
    expect(written[0]?.summary).not.toMatch(/not counted|too late/);
  });
});

describe("a decision whose task no longer waits", () => {
  const executionArn = "arn:aws:states:us-east-1:000000000000:execution:concord-formation:formation-x-v1";
  const stranded = {
    ...request,
    executionArn,
    status: "DECIDED",
    decision: { kind: "charter-approval", vote: "approve" },
  };

  it("is 'taken' while its execution still runs (a retried ask or the deadline step counts it)", async () => {
    dynamo.on(QueryCommand).resolves({ Items: [stranded] });
    sfn
      .on(SendTaskSuccessCommand)
      .rejects(new TaskDoesNotExist({ message: "Task does not exist", $metadata: {} }));
    sfn.on(DescribeExecutionCommand).resolves({ status: "RUNNING" });
    await expect(resumeStalledDecisions()).resolves.toEqual({ resumed: 0, taken: 1, stopped: 0 });
    expect(timelineWrites().map((e) => e.type)).toEqual(["request.delivered"]);
  });

  it("says plainly that it did not count when its execution had stopped", async () => {
    dynamo.on(QueryCommand).resolves({ Items: [stranded] });
    sfn
      .on(SendTaskSuccessCommand)
      .rejects(new TaskDoesNotExist({ message: "Task does not exist", $metadata: {} }));
    sfn.on(DescribeExecutionCommand).resolves({ status: "FAILED" });
    await expect(resumeStalledDecisions()).resolves.toEqual({ resumed: 0, taken: 0, stopped: 1 });
    const [written] = timelineWrites();
    expect(written?.type).toBe("request.stranded");
    expect(written?.summary).toMatch(/had stopped \(FAILED\) and did not count it/);
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input.executionArn).toBe(executionArn);
  });
});

/** Timeline entries written so far, in order (Puts, inside transactions or alone). */
function timelineWrites(): { type?: string; summary?: string }[] {
  const puts = [
    ...dynamo.commandCalls(PutCommand).map((c) => c.args[0].input.Item),
    ...dynamo
      .commandCalls(TransactWriteCommand)
      .flatMap((c) => (c.args[0].input.TransactItems ?? []).map((item) => item.Put?.Item)),
  ];
  return puts.filter((item): item is Record<string, string> =>
    String(item?.sk ?? "").startsWith("TIMELINE#"),
  );
}
