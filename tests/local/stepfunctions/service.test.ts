import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { LocalStateMachineSpec } from "../../../local/cfn";
import { SfnApiError, type TaskWaitingEvent } from "../../../local/stepfunctions";
import { newTaskToken } from "../../../local/stepfunctions/tokens";
import { FN, fixtureStateMachines, SM, stateMachineArn } from "../fixtures/test-stack";
import { DAY_MS, eventsOf, eventually, type Harness, historyWith, MINUTE_MS, startHarness } from "./harness";

let specs: LocalStateMachineSpec[];
const harnesses: Harness[] = [];

beforeAll(() => {
  specs = fixtureStateMachines();
});

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.dispose()));
});

async function harness(rate?: number): Promise<Harness> {
  const h = await startHarness(specs, rate === undefined ? {} : { rate });
  harnesses.push(h);
  return h;
}

async function apiError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SfnApiError) return error.type;
    throw error;
  }
  throw new Error("expected the call to fail");
}

const alliance = JSON.stringify({ alliance: "north-star" });

describe("waitForTaskToken tasks", () => {
  it("continue with the output sent by SendTaskSuccess, and the Lambda runs once with the token", async () => {
    const { service, calls } = await harness();
    const { executionArn, startDate } = await service.startExecution({
      stateMachineArn: stateMachineArn(SM.callback),
      input: alliance,
    });

    const task = await service.waitForTask({ executionArn });
    expect(task.stateName).toBe("AskPartnerStep");
    expect(task.payload).toEqual({ token: task.token, alliance: "north-star", execution: executionArn });
    await service.sendTaskSuccess({ taskToken: task.token, output: JSON.stringify({ vote: "approve" }) });

    const done = await service.waitForExecution(executionArn);
    expect(done.status).toBe("SUCCEEDED");
    const output = JSON.parse(done.output ?? "null");
    expect(output.decision).toEqual({ vote: "approve" });
    // $$.Execution.StartTime and $$.Execution.Input keep their values after the callback
    expect(output.record.recorded).toEqual({
      decision: { vote: "approve" },
      startedAt: startDate.toISOString(),
      input: { alliance: "north-star" },
    });
    expect(calls.get(FN.askPartner)).toHaveLength(1);
  });

  it("fail the task with the error and cause of SendTaskFailure", async () => {
    const { service } = await harness();
    const { executionArn } = await service.startExecution({
      stateMachineArn: stateMachineArn(SM.callback),
      input: alliance,
    });
    const task = await service.waitForTask({ executionArn });

    await service.sendTaskFailure({
      taskToken: task.token,
      error: "PartnerRejected",
      cause: "not this year",
    });

    const done = await service.waitForExecution(executionArn);
    expect(done).toMatchObject({ status: "FAILED", error: "PartnerRejected", cause: "not this year" });
    expect(await apiError(service.sendTaskSuccess({ taskToken: task.token, output: "{}" }))).toBe(
      "TaskDoesNotExist",
    );
  });

  it("stay alive past HeartbeatSeconds while heartbeats arrive", async () => {
    const { service, clock } = await harness();
    const { executionArn } = await service.startExecution({
      stateMachineArn: stateMachineArn(SM.callback),
      input: alliance,
    });
    const task = await service.waitForTask({ executionArn });

    clock.advance(50 * MINUTE_MS);
    await service.sendTaskHeartbeat({ taskToken: task.token });
    clock.advance(50 * MINUTE_MS);
    await service.sendTaskHeartbeat({ taskToken: task.token });
    await service.sendTaskSuccess({ taskToken: task.token, output: JSON.stringify({ vote: "approve" }) });

    expect((await service.waitForExecution(executionArn)).status).toBe("SUCCEEDED");
  });

  it("time out with States.Timeout when no heartbeat arrives within HeartbeatSeconds", async () => {
    const { service, clock } = await harness();
    const { executionArn } = await service.startExecution({
      stateMachineArn: stateMachineArn(SM.callback),
      input: alliance,
    });
    const task = await service.waitForTask({ executionArn });

    clock.advance(61 * MINUTE_MS);

    const done = await service.waitForExecution(executionArn);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output ?? "null")).toMatchObject({
      outcome: "no answer",
      error: { Error: "States.Timeout" },
    });
    expect(await apiError(service.sendTaskSuccess({ taskToken: task.token, output: "{}" }))).toBe(
      "TaskTimedOut",
    );
  });

  it("time out after TimeoutSeconds on the local clock, which States.TaskFailed does not catch", async () => {
    const { service, clock } = await harness();
    const { executionArn } = await service.startExecution({
      stateMachineArn: stateMachineArn(SM.deadline),
      input: alliance,
    });
    const task = await service.waitForTask({ executionArn });

    clock.advance(6 * DAY_MS);
    await service.sendTaskHeartbeat({ taskToken: task.token });
    clock.advance(DAY_MS + 1000);

    const done = await service.waitForExecution(executionArn);
    expect(done).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    const { events } = await service.getExecutionHistory({ executionArn });
    expect(eventsOf(events, "TaskTimedOut")).toHaveLength(1);
  });

  it("tell a malformed token from an unknown one", async () => {
    const { service } = await harness();
    expect(await apiError(service.sendTaskSuccess({ taskToken: "not-a-token", output: "{}" }))).toBe(
      "InvalidToken",
    );
    const { executionArn } = await service.startExecution({
      stateMachineArn: stateMachineArn(SM.callback),
      input: alliance,
    });
    const task = await service.waitForTask({ executionArn });
    const mangled = `${task.token.slice(0, 2)}${"A".repeat(task.token.length - 2)}`;
    expect(await apiError(service.sendTaskSuccess({ taskToken: mangled, output: "{}" }))).toBe(
      "InvalidToken",
    );
    expect(await apiError(service.sendTaskSuccess({ taskToken: newTaskToken(), output: "{}" }))).toBe(
      "TaskDoesNotExist",
    );
    expect(await apiError(service.sendTaskSuccess({ taskToken: task.token, output: "{oops" }))).toBe(
      "InvalidOutput",
    );
  });

  it("run in every Map iteration, each with its own token", async () => {
    const { service } = await harness();
    const waiting: TaskWaitingEvent[] = [];
    const stopListening = service.onTaskWaiting((event) => waiting.push(event));
    const { executionArn } = await service.startExecution({
      stateMachineArn: stateMachineArn(SM.map),
      input: JSON.stringify({ alliance: "north-star", partners: ["acme", "globex", "initech"] }),
    });
    await eventually(async () => (waiting.length === 3 ? waiting : undefined));
    stopListening();
    expect(new Set(waiting.map((event) => event.token)).size).toBe(3);

    for (const { token, payload } of waiting) {
      const { partner } = payload as { partner: string };
      await service.sendTaskSuccess({
        taskToken: token,
        output: JSON.stringify({ vote: `${partner}-approves` }),
      });
    }

    const done = await service.waitForExecution(executionArn);
    expect(done.status).toBe("SUCCEEDED");
    const decisions = JSON.parse(done.output ?? "null").decisions;
    expect(decisions.map((d: { decision: { vote: string } }) => d.decision.vote)).toEqual([
      "acme-approves",
      "globex-approves",
      "initech-approves",
    ]);
    const closed = await service.getExecutionHistory({ executionArn, maxResults: 1000 });
    expect(eventsOf(closed.events, "MapIterationStarted")).toHaveLength(3);
    expect(eventsOf(closed.events, "MapIterationSucceeded")).toHaveLength(3);
  });
});

describe("states", () => {
  it("retry a failing Lambda on the clock, then catch its error", async () => {
    const { service, calls } = await harness(100_000);
    const { executionArn } = await service.startExecution({
      stateMachineArn: stateMachineArn(SM.retry),
      input: "{}",
    });

    const done = await service.waitForExecution(executionArn);

    expect(done.status).toBe("SUCCEEDED");
    expect(calls.get(FN.flaky)).toHaveLength(3);
    const caught = JSON.parse(done.output ?? "null").error;
    expect(caught.Error).toBe("FlakyError");
    expect(JSON.parse(caught.Cause)).toMatchObject({
      errorType: "FlakyError",
      errorMessage: "the partner system did not answer",
    });
    const { events } = await service.getExecutionHistory({ executionArn });
    const failures = eventsOf(events, "LambdaFunctionFailed").map((e) => e.timestamp.getTime());
    // 30 s, then 60 s between attempts (BackoffRate 2), in simulated time
    expect(failures).toHaveLength(3);
    expect((failures[1] ?? 0) - (failures[0] ?? 0)).toBeGreaterThanOrEqual(30_000);
    expect((failures[2] ?? 0) - (failures[1] ?? 0)).toBeGreaterThanOrEqual(60_000);
  });

  it("fail the execution with States.DataLimitExceeded for a result over 256 KiB, past Retry and a States.ALL catch", async () => {
    const { service, calls } = await harness(100_000);
    const { executionArn } = await service.startExecution({
      stateMachineArn: stateMachineArn(SM.retry),
      input: JSON.stringify({ oversized: true }),
    });

    const done = await service.waitForExecution(executionArn);

    expect(done.status).toBe("FAILED");
    expect(done.error).toBe("States.DataLimitExceeded");
    expect(done.cause).toMatch(/exceeding the maximum number of bytes service limit/);
    expect(calls.get(FN.flaky)).toHaveLength(1);
  });

  it("refuse an execution input over 262144 characters, naming the field", async () => {
    const { service } = await harness();
    await expect(
      service.startExecution({
        stateMachineArn: stateMachineArn(SM.retry),
        input: JSON.stringify({ blob: "x".repeat(262_144) }),
      }),
    ).rejects.toThrow(/Value at .input. failed to satisfy constraint/);
  });

  it("wait 30 days in well under a second when the clock is advanced", async () => {
    const { service, clock, calls } = await harness();
    const { executionArn } = await service.startExecution({
      stateMachineArn: stateMachineArn(SM.notice),
      input: "{}",
    });
    await historyWith(service, executionArn, "WaitStateEntered");
    expect(calls.get(FN.record)).toBeUndefined();

    const started = performance.now();
    clock.advance(30 * DAY_MS);
    const done = await service.waitForExecution(executionArn);

    expect(performance.now() - started).toBeLessThan(1000);
    expect(done.status).toBe("SUCCEEDED");
    expect(calls.get(FN.record)).toHaveLength(1);
    const { events } = await service.getExecutionHistory({ executionArn });
    const entered = eventsOf(events, "WaitStateEntered")[0]?.timestamp.getTime() ?? 0;
    const exited = eventsOf(events, "WaitStateExited")[0]?.timestamp.getTime() ?? 0;
    expect(exited - entered).toBeGreaterThanOrEqual(30 * DAY_MS);
  });

  it("time the execution out after its TimeoutSeconds on the clock", async () => {
    const { service, clock } = await harness();
    const until = new Date(clock.now() + 5 * DAY_MS).toISOString();
    const { executionArn } = await service.startExecution({
      stateMachineArn: stateMachineArn(SM.expiring),
      input: JSON.stringify({ until }),
    });
    await historyWith(service, executionArn, "WaitStateEntered");

    clock.advance(DAY_MS);

    const done = await service.waitForExecution(executionArn);
    expect(done.status).toBe("TIMED_OUT");
    const { events } = await service.getExecutionHistory({ executionArn, reverseOrder: true, maxResults: 1 });
    expect(events[0]?.type).toBe("ExecutionTimedOut");
  });

  it("run Parallel branches, then Choice into Succeed or Fail", async () => {
    const { service, calls } = await harness();
    const run = async (vote: string) => {
      const { executionArn } = await service.startExecution({
        stateMachineArn: stateMachineArn(SM.parallel),
        input: alliance,
      });
      const task = await service.waitForTask({ executionArn });
      await service.sendTaskSuccess({ taskToken: task.token, output: JSON.stringify({ vote }) });
      return service.waitForExecution(executionArn);
    };

    expect(await run("approve")).toMatchObject({
      status: "SUCCEEDED",
      output: JSON.stringify({ answer: { vote: "approve" } }),
    });
    expect(await run("reject")).toMatchObject({
      status: "FAILED",
      error: "AllianceRejected",
      cause: "a partner said no",
    });
    expect(calls.get(FN.record)).toHaveLength(2);
  });

  it("fail the execution clearly on a Task resource it cannot run", async () => {
    const { service } = await harness();
    const { executionArn } = await service.startExecution({
      stateMachineArn: stateMachineArn(SM.unsupported),
    });

    const done = await service.waitForExecution(executionArn);

    expect(done.status).toBe("FAILED");
    expect(done.error).toBe("States.Runtime");
    expect(done.cause).toContain("arn:aws:states:::aws-sdk:s3:listBuckets");
  });
});

describe("executions", () => {
  it("are idempotent by name and input while running", async () => {
    const { service } = await harness();
    const request = {
      stateMachineArn: stateMachineArn(SM.callback),
      name: "formation-north-star",
      input: alliance,
    };
    const first = await service.startExecution(request);

    expect((await service.startExecution(request)).executionArn).toBe(first.executionArn);
    expect(await apiError(service.startExecution({ ...request, input: "{}" }))).toBe(
      "ExecutionAlreadyExists",
    );

    await service.stopExecution({ executionArn: first.executionArn });
    expect(await apiError(service.startExecution(request))).toBe("ExecutionAlreadyExists");
  });

  it("refuse input that is not JSON and unknown state machines", async () => {
    const { service } = await harness();
    const request = { stateMachineArn: stateMachineArn(SM.callback), input: "{nope" };
    expect(await apiError(service.startExecution(request))).toBe("InvalidExecutionInput");
    expect(await apiError(service.startExecution({ stateMachineArn: stateMachineArn("missing") }))).toBe(
      "StateMachineDoesNotExist",
    );
    expect(await apiError(service.startExecution({ ...request, input: "{}", name: "has space" }))).toBe(
      "InvalidName",
    );
  });

  it("stop as ABORTED and close their open task tokens", async () => {
    const { service } = await harness();
    const { executionArn } = await service.startExecution({
      stateMachineArn: stateMachineArn(SM.callback),
      input: alliance,
    });
    const task = await service.waitForTask({ executionArn });

    await service.stopExecution({ executionArn, error: "Admin", cause: "cancelled by an admin" });

    expect(await service.describeExecution(executionArn)).toMatchObject({ status: "ABORTED" });
    expect(await apiError(service.sendTaskSuccess({ taskToken: task.token, output: "{}" }))).toBe(
      "TaskDoesNotExist",
    );
    const { events } = await service.getExecutionHistory({ executionArn, reverseOrder: true });
    expect(events[0]).toMatchObject({
      type: "ExecutionAborted",
      executionAbortedEventDetails: { error: "Admin", cause: "cancelled by an admin" },
    });
  });

  it("keep an AWS-shaped history that pages", async () => {
    const { service } = await harness();
    const { executionArn } = await service.startExecution({
      stateMachineArn: stateMachineArn(SM.callback),
      input: alliance,
    });
    const task = await service.waitForTask({ executionArn });
    await service.sendTaskSuccess({ taskToken: task.token, output: "{}" });
    await service.waitForExecution(executionArn);

    const all = (await service.getExecutionHistory({ executionArn })).events;
    expect(all.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSubmitted",
      "TaskSucceeded",
      "TaskStateExited",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    expect(all.map((e) => e.id)).toEqual(all.map((_, i) => i + 1));
    expect(all[1]).toMatchObject({
      previousEventId: 1,
      stateEnteredEventDetails: { name: "PrepareStep", input: alliance },
    });

    const first = await service.getExecutionHistory({ executionArn, maxResults: 10 });
    const rest = await service.getExecutionHistory({
      executionArn,
      maxResults: 10,
      nextToken: first.nextToken ?? "",
    });
    expect([...first.events, ...rest.events].map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(rest.nextToken).toBeUndefined();
  });

  it("list by status, newest first", async () => {
    const { service } = await harness();
    const arn = stateMachineArn(SM.callback);
    const stopped = await service.startExecution({ stateMachineArn: arn, name: "first", input: alliance });
    await service.stopExecution({ executionArn: stopped.executionArn });
    const running = await service.startExecution({ stateMachineArn: arn, name: "second", input: alliance });

    const runningOnly = await service.listExecutions({ stateMachineArn: arn, statusFilter: "RUNNING" });
    expect(runningOnly.executions.map((e) => e.executionArn)).toEqual([running.executionArn]);
    const all = await service.listExecutions({ stateMachineArn: arn });
    expect(all.executions.map((e) => e.name)).toEqual(["second", "first"]);
  });
});

describe("checkpoints", () => {
  it("resume a Wait with its original target after a restart", async () => {
    const first = await harness();
    const { executionArn } = await first.service.startExecution({
      stateMachineArn: stateMachineArn(SM.notice),
      input: "{}",
    });
    const entered = eventsOf(
      await historyWith(first.service, executionArn, "WaitStateEntered"),
      "WaitStateEntered",
    )[0];
    first.clock.advance(10 * DAY_MS);

    const second = await first.restart();
    harnesses.splice(harnesses.indexOf(first), 1, second);
    expect((await second.service.describeExecution(executionArn)).status).toBe("RUNNING");
    second.clock.advance(20 * DAY_MS);

    const done = await second.service.waitForExecution(executionArn);
    expect(done.status).toBe("SUCCEEDED");
    const { events } = await second.service.getExecutionHistory({ executionArn });
    const exited = eventsOf(events, "WaitStateExited")[0]?.timestamp.getTime() ?? 0;
    expect(exited - (entered?.timestamp.getTime() ?? 0)).toBeGreaterThanOrEqual(30 * DAY_MS);
    expect(eventsOf(events, "WaitStateEntered")).toHaveLength(1);
  });

  it("keep a waiting callback task's token across a restart without invoking its Lambda again", async () => {
    const first = await harness();
    const { executionArn } = await first.service.startExecution({
      stateMachineArn: stateMachineArn(SM.callback),
      input: alliance,
    });
    const task = await first.service.waitForTask({ executionArn });

    const second = await first.restart();
    harnesses.splice(harnesses.indexOf(first), 1, second);
    const resumed = await second.service.waitForTask({ executionArn });
    expect(resumed.token).toBe(task.token);
    await second.service.sendTaskSuccess({
      taskToken: task.token,
      output: JSON.stringify({ vote: "approve" }),
    });

    expect((await second.service.waitForExecution(executionArn)).status).toBe("SUCCEEDED");
    expect(second.calls.get(FN.askPartner)).toBeUndefined();
    expect(second.calls.get(FN.record)).toHaveLength(1);
  });

  it("keep a waiting task's heartbeat deadline across a restart", async () => {
    const first = await harness();
    const { executionArn } = await first.service.startExecution({
      stateMachineArn: stateMachineArn(SM.callback),
      input: alliance,
    });
    const task = await first.service.waitForTask({ executionArn });
    first.clock.advance(40 * MINUTE_MS);

    const second = await first.restart();
    harnesses.splice(harnesses.indexOf(first), 1, second);
    await second.service.waitForTask({ executionArn });
    second.clock.advance(21 * MINUTE_MS);

    const done = await second.service.waitForExecution(executionArn);
    expect(JSON.parse(done.output ?? "null")).toMatchObject({ outcome: "no answer" });
    expect(await apiError(second.service.sendTaskSuccess({ taskToken: task.token, output: "{}" }))).toBe(
      "TaskTimedOut",
    );
  });

  it("resume a Map of callback tasks: an answered one keeps its answer, a waiting one its token", async () => {
    const first = await harness();
    const waiting: TaskWaitingEvent[] = [];
    first.service.onTaskWaiting((event) => waiting.push(event));
    const { executionArn } = await first.service.startExecution({
      stateMachineArn: stateMachineArn(SM.map),
      input: JSON.stringify({ alliance: "north-star", partners: ["acme", "globex"] }),
    });
    await eventually(async () => (waiting.length === 2 ? waiting : undefined));
    const tokenOf = (partner: string) =>
      waiting.find((e) => (e.payload as { partner: string }).partner === partner)?.token ?? "";
    await first.service.sendTaskSuccess({
      taskToken: tokenOf("acme"),
      output: JSON.stringify({ vote: "yes" }),
    });

    const second = await first.restart();
    harnesses.splice(harnesses.indexOf(first), 1, second);
    const resumed = await second.service.waitForTask({ executionArn });
    expect(resumed.token).toBe(tokenOf("globex"));
    await second.service.sendTaskSuccess({
      taskToken: resumed.token,
      output: JSON.stringify({ vote: "no" }),
    });

    const done = await second.service.waitForExecution(executionArn);
    expect(done.status).toBe("SUCCEEDED");
    const decisions = JSON.parse(done.output ?? "null").decisions as { decision: { vote: string } }[];
    expect(decisions.map((d) => d.decision.vote)).toEqual(["yes", "no"]);
    expect(second.calls.get(FN.askPartner)).toBeUndefined();
  });
});
