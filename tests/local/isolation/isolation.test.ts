import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../../local/cloud";
import type { HistoryEventOut } from "../../../local/stepfunctions";
import { workflows } from "../../../workflows";
import { startTestCloud, type TestCloud } from "../cloud";
import { IsolationStates, isolationWorkflow } from "./isolation-workflow";

// Each function runs as Lambda runs it: with only the environment and permissions the synthesized stack gives it,
// and its own timeout. The isolation workflow (added to the real stack, tests only) provokes each difference a
// single shared process would hide, and catches what AWS would raise.

const STATE_MACHINE_ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:concord-isolation";

interface CaughtError {
  Error: string;
  Cause: string;
}

describe("each function runs with its own environment, role and timeout", () => {
  let testCloud: TestCloud | undefined;
  let cloud: LocalCloud;
  let output: Record<string, unknown>;
  let history: HistoryEventOut[];
  const log: string[] = [];

  beforeAll(async () => {
    testCloud = await startTestCloud({ workflows: [...workflows, isolationWorkflow] }, {}, (line) =>
      log.push(line),
    );
    cloud = testCloud.cloud;
    const { executionArn } = await cloud.stepFunctions.startExecution({
      stateMachineArn: STATE_MACHINE_ARN,
      name: "isolation-1",
      input: "{}",
    });
    const done = await cloud.stepFunctions.waitForExecution(executionArn, 60_000);
    expect(done.status).toBe("SUCCEEDED");
    output = JSON.parse(done.output ?? "{}");
    history = (await cloud.stepFunctions.getExecutionHistory({ executionArn, maxResults: 1000 })).events;
  }, 180_000);

  afterAll(async () => {
    await testCloud?.stop();
  });

  const caught = (path: string) => output[path] as CaughtError;
  const cause = (path: string) =>
    JSON.parse(caught(path).Cause) as { errorType: string; errorMessage: string };

  it("lets a function write to the table its role is granted", () => {
    expect(output.granted).toEqual({ written: IsolationStates.writeGranted });
  });

  it("refuses a write its role does not allow with AWS's AccessDeniedException, naming role, action and table", () => {
    expect(caught("denied").Error).toBe("AccessDeniedException");
    expect(cause("denied").errorMessage).toMatch(
      /^User: arn:aws:sts::000000000000:assumed-role\/\S*IsolationUngranted\S*\/\S+ is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table\/\S+ because no identity-based policy allows the dynamodb:PutItem action$/,
    );
    expect(log.some((line) => line.includes("denied") && line.includes("dynamodb:PutItem"))).toBe(true);
  });

  it("gives a function none of the variables only another function has", () => {
    expect(caught("missing").Error).toBe("MissingVariableError");
    expect(cause("missing").errorMessage).toMatch(/IsolationReader\S* has no FORMATION_STATE_MACHINE_ARN/);
  });

  it("fails an invocation that runs past the function's timeout with Sandbox.Timedout, retried then caught as defined", () => {
    const failures = history.filter((e) => e.type === "TaskFailed" || e.type === "LambdaFunctionFailed");
    const timeouts = failures.filter((e) => JSON.stringify(e).includes('"error":"Sandbox.Timedout"'));
    // One attempt and the one retry the definition allows, then its Catch.
    expect(timeouts).toHaveLength(2);
    expect(caught("timedOut").Error).toBe("Sandbox.Timedout");
    expect(cause("timedOut").errorMessage).toMatch(/Task timed out after 1\.00 seconds$/);
    const entered = history
      .filter((e) => e.type.endsWith("StateEntered"))
      .map((e) => (e.stateEnteredEventDetails as { name?: string } | undefined)?.name);
    expect(entered).toContain(IsolationStates.timedOut);
  });
});
