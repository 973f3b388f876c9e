/**
 * Benchmark of the local Step Functions service (run alone: `npx tsx bench/stepfunctions.ts`).
 *  (a) overhead: startExecution → closed on the service, against a bare aws-local-stepfunctions run of the same
 *      definition with the same in-process Lambda handlers (5 lambda:invoke tasks and a Choice);
 *  (b) latency from SendTaskSuccess to the next state entered.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import * as tasks from "aws-cdk-lib/aws-stepfunctions-tasks";
import { StateMachine, type StateMachineDefinition } from "aws-local-stepfunctions";
import { type CfnTemplate, type LocalNaming, stateMachinesFromTemplate } from "../local/cfn";
import { LocalClock } from "../local/clock";
import { LocalStepFunctions } from "../local/stepfunctions";
import { type BenchRow, percentile, round, sampled, verdictOf } from "./stats";

/** One benchmark result row (the shared row of bench/stats.ts). */
export type BenchResult = BenchRow;

/** The service may cost at most this factor over the bare interpreter (median run time). */
const OVERHEAD_GOAL = 1.2;

const NAMING: LocalNaming = { region: "us-east-1", accountId: "000000000000", stackName: "SfnBench" };
const WARMUP = 20;
const RUNS = 200;
const CALLBACK_RUNS = 100;

/** A handler with no work, and one that awaits ~1 ms of I/O like a DynamoDB call on the local cloud. */
const HANDLERS: Record<string, (payload: unknown) => Promise<unknown>> = {
  trivial: async (payload) => ({ seen: payload !== undefined }),
  "1 ms I/O": (payload) =>
    new Promise((resolve) => setTimeout(() => resolve({ seen: payload !== undefined }), 1)),
};

/** Runs both measurements and returns one row per figure. */
export async function benchStepFunctions(): Promise<BenchResult[]> {
  const [pipeline, callback] = synthesize();
  if (!pipeline || !callback) throw new Error("bench stack did not synthesize both state machines");
  const results: BenchResult[] = [];
  for (const [label, handler] of Object.entries(HANDLERS)) {
    const bare = await timeBare(pipeline.definition, handler);
    const service = await withService([pipeline], handler, async (s) =>
      time(RUNS, async () => {
        const { executionArn } = await s.startExecution({
          stateMachineArn: pipeline.arn,
          input: '{"go":true}',
        });
        const done = await s.waitForExecution(executionArn);
        if (done.status !== "SUCCEEDED") throw new Error(`bench execution ${done.status}: ${done.cause}`);
      }),
    );
    const ratio = percentile(service, 0.5) / percentile(bare, 0.5);
    results.push(
      sampled(`bare interpreter run, ${label} handlers`, bare, "ms"),
      sampled(`service start → closed, ${label} handlers`, service, "ms"),
      {
        name: `service / bare ratio, ${label} handlers`,
        median: round(ratio),
        p95: round(percentile(service, 0.95) / percentile(bare, 0.95)),
        unit: "×",
        goal: `median ≤ ${OVERHEAD_GOAL}×`,
        verdict: verdictOf(ratio <= OVERHEAD_GOAL),
      },
    );
  }
  const latency = await withService([callback], HANDLERS.trivial ?? (async () => ({})), (s) =>
    timeCallback(s, callback.arn),
  );
  results.push(sampled("SendTaskSuccess → next state entered", latency, "ms"));
  return results;
}

/** Prepare → Validate → Choice → (Approve | Reject) → Notify → Archive: five lambda:invoke tasks and a Choice; plus a callback then a task. */
function synthesize() {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, NAMING.stackName);
  const fn = new lambda.Function(stack, "Handler", {
    functionName: "bench-handler",
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: "index.handler",
    code: lambda.Code.fromInline("exports.handler = async () => ({});"),
  });
  const invoke = (id: string) =>
    new tasks.LambdaInvoke(stack, id, {
      lambdaFunction: fn,
      resultSelector: { "v.$": "$.Payload" },
      resultPath: `$.${id}`,
    });
  const notify = invoke("Notify");
  notify.next(invoke("Archive"));
  const chain = invoke("Prepare")
    .next(invoke("Validate"))
    .next(
      new sfn.Choice(stack, "Decide")
        .when(sfn.Condition.booleanEquals("$.go", true), invoke("Approve").next(notify))
        .otherwise(invoke("Reject").next(notify)),
    );
  new sfn.StateMachine(stack, "Pipeline", {
    stateMachineName: "bench-pipeline",
    definitionBody: sfn.DefinitionBody.fromChainable(chain),
  });
  const ask = new tasks.LambdaInvoke(stack, "Ask", {
    lambdaFunction: fn,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }),
    resultPath: "$.answer",
  });
  new sfn.StateMachine(stack, "Callback", {
    stateMachineName: "bench-callback",
    definitionBody: sfn.DefinitionBody.fromChainable(ask.next(new sfn.Pass(stack, "Answered"))),
  });
  return stateMachinesFromTemplate(Template.fromStack(stack).toJSON() as CfnTemplate, NAMING);
}

async function timeBare(
  definition: Record<string, unknown>,
  handler: (payload: unknown) => Promise<unknown>,
) {
  const machine = new StateMachine(definition as unknown as StateMachineDefinition);
  const states = (definition.States ?? {}) as Record<string, { Type: string }>;
  const overrides: Record<string, (input: unknown) => Promise<never>> = {};
  for (const [name, state] of Object.entries(states)) {
    if (state.Type !== "Task") continue;
    overrides[name] = async (input) =>
      ({ StatusCode: 200, Payload: await handler((input as { Payload?: unknown }).Payload) }) as never;
  }
  return time(RUNS, async () => {
    await machine.run({ go: true }, { overrides: { taskResourceLocalHandlers: overrides } }).result;
  });
}

async function timeCallback(service: LocalStepFunctions, stateMachineArn: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + CALLBACK_RUNS; i++) {
    const { executionArn } = await service.startExecution({ stateMachineArn, input: "{}" });
    const task = await service.waitForTask({ executionArn });
    const entered = new Promise<number>((resolve) => {
      const stop = service.onHistoryEvent((arn, event) => {
        if (arn !== executionArn || event.type !== "PassStateEntered") return;
        stop();
        resolve(performance.now());
      });
    });
    const sent = performance.now();
    await service.sendTaskSuccess({ taskToken: task.token, output: '{"ok":true}' });
    const at = await entered;
    if (i >= WARMUP) samples.push(at - sent);
    await service.waitForExecution(executionArn);
  }
  return samples;
}

async function withService<T>(
  specs: ReturnType<typeof stateMachinesFromTemplate>,
  handler: (payload: unknown) => Promise<unknown>,
  work: (service: LocalStepFunctions) => Promise<T>,
): Promise<T> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "concord-sfn-bench-"));
  const clock = new LocalClock();
  const service = new LocalStepFunctions({
    dataDir,
    clock,
    naming: NAMING,
    invokeFunction: (_fn, payload) => handler(payload),
  });
  service.register(specs);
  await service.start();
  try {
    return await work(service);
  } finally {
    await service.close();
    clock.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function time(runs: number, once: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await once();
    samples.push(performance.now() - start);
  }
  return samples;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  console.table(await benchStepFunctions());
  console.log(`done in ${Math.round(performance.now() - started)} ms`);
}
