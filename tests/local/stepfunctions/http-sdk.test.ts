import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_NAMING, fixtureStateMachines, SM, stateMachineArn } from "../fixtures/test-stack";
import { type Harness, startHarness } from "./harness";

let harness: Harness;
let sfn: SFNClient;

beforeAll(async () => {
  harness = await startHarness(fixtureStateMachines());
  await harness.service.listen(0);
  sfn = new SFNClient({
    endpoint: harness.service.endpoint,
    region: FIXTURE_NAMING.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});

afterAll(async () => {
  sfn.destroy();
  await harness.dispose();
});

const input = JSON.stringify({ alliance: "north-star" });

describe("the Step Functions endpoint, through the AWS SDK", () => {
  it("runs a callback execution from start to history", async () => {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: stateMachineArn(SM.callback), name: "sdk-run", input }),
    );
    expect(started.startDate).toBeInstanceOf(Date);
    const executionArn = started.executionArn ?? "";
    const task = await harness.service.waitForTask({ executionArn });

    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: task.token }));
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: task.token, output: JSON.stringify({ vote: "approve" }) }),
    );
    await harness.service.waitForExecution(executionArn);

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({ status: "SUCCEEDED", name: "sdk-run", input });
    expect(described.stopDate?.getTime()).toBeGreaterThanOrEqual(described.startDate?.getTime() ?? 0);
    const history = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 2 }),
    );
    expect(history.events?.map((e) => e.type)).toEqual(["ExecutionSucceeded", "TaskStateExited"]);
    expect(history.events?.[0]?.timestamp).toBeInstanceOf(Date);
    expect(history.nextToken).toBeDefined();
    const listed = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: stateMachineArn(SM.callback), statusFilter: "SUCCEEDED" }),
    );
    expect(listed.executions?.map((e) => e.executionArn)).toContain(executionArn);
  });

  it("answers with the AWS error names the SDK maps to exceptions", async () => {
    const request = { stateMachineArn: stateMachineArn(SM.callback), name: "sdk-errors", input };
    const { executionArn = "" } = await sfn.send(new StartExecutionCommand(request));
    await expect(sfn.send(new StartExecutionCommand({ ...request, input: "{}" }))).rejects.toBeInstanceOf(
      ExecutionAlreadyExists,
    );
    const task = await harness.service.waitForTask({ executionArn });
    await sfn.send(new StopExecutionCommand({ executionArn, cause: "changed our minds" }));

    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: task.token, output: "{}" })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(sfn.send(new SendTaskFailureCommand({ taskToken: "garbage" }))).rejects.toBeInstanceOf(
      InvalidToken,
    );
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("ABORTED");
  });

  it("lists and describes the registered state machines", async () => {
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    expect(stateMachines?.map((m) => m.name)).toContain(SM.callback);
    const described = await sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: stateMachineArn(SM.map) }),
    );
    expect(JSON.parse(described.definition ?? "{}").StartAt).toBe("AskEveryPartner");
  });

  it("refuses an unknown operation", async () => {
    const response = await fetch(harness.service.endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "AWSStepFunctions.CreateActivity",
      },
      body: "{}",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: "UnknownOperationException" });
  });
});
