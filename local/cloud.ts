import { mkdir, mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { WorkflowSpec } from "../infra/constructs/workflows";
import { ensureAdminToken } from "./admin-token";
import type { LocalNaming } from "./cfn";
import { LocalClock } from "./clock";
import { assertJava, type DynamoDbLocal, ensureTables, startDynamoDbLocal } from "./dynamodb-local";
import { type DynamoDbFault, startDynamoDbProxy } from "./dynamodb-proxy";
import { eventRulesFromTemplate, type LocalEvent, LocalEventBus } from "./events";
import { createHttpFront, routesFromTemplate } from "./http-front";
import { closeNow, listen } from "./http-server";
import { IamEnforcement } from "./iam/enforcement";
import { buildFunctions, type FunctionModule } from "./lambda/build";
import { LambdaHost } from "./lambda/host";
import { createSharedClock, writeSharedClock } from "./lambda/shared-clock";
import { LocalMetrics } from "./metrics";
import { assertPortFree } from "./ports";
import { LocalScheduler, schedulesFromTemplate } from "./scheduler";
import { startSesLocal } from "./ses-local";
import { type LocalSettings, PORT_VARIABLES } from "./settings";
import { type ExecutionDescription, type LocalFault, LocalStepFunctions } from "./stepfunctions";
import { type LocalFunctionSpec, synthesizeForLocal } from "./synth";
import { TaskFaults } from "./task-faults";

const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** A running local cloud. */
export interface LocalCloud {
  /** `dynamodb` is the counting proxy the handlers use; DynamoDB Local itself is at `dynamodb.endpoint`. */
  urls: { app: string; inbox: string; sesApi: string; dynamodb: string; stepFunctions: string };
  adminToken: string;
  clock: LocalClock;
  /** Counters since start (also at GET /local/metrics). */
  metrics: LocalMetrics;
  /** DynamoDB Local under supervision (also stopped and started at /local/dynamodb/{stop,start}). */
  dynamodb: DynamoDbLocal;
  stepFunctions: LocalStepFunctions;
  lambdas: LambdaHost;
  scheduler: LocalScheduler;
  /** Puts a fault between the functions and DynamoDB (tests only), or removes it. */
  setDynamoDbFault(fault: DynamoDbFault | undefined): void;
  stop(): Promise<void>;
}

/** What tests may change about a local cloud (none of it is a setting of `npm start`). */
export interface LocalCloudOptions {
  /** Workflows to run instead of the registry in workflows/index.ts. */
  workflows?: readonly WorkflowSpec[];
  /**
   * Modules built into every function ahead of its handler (e.g. a request kind only the tests have); only when
   * the functions run from the sources (`lambdaCode: "sources"`).
   */
  preload?: string[];
}

/**
 * Starts the whole system on this machine: DynamoDB Local, the SES stand-in, the Step Functions service
 * running the CDK-synthesized definitions, the project's handlers in-process behind a local API Gateway,
 * and the schedules — all on one clock. Fails with a StartupError (one line) on a missing Java or busy port.
 */
export async function startLocalCloud(
  settings: LocalSettings,
  log: (line: string) => void = () => {},
  options: LocalCloudOptions = {},
): Promise<LocalCloud> {
  const { host, ports, dataDir } = settings;
  const fault = readFault(process.env);
  if (options.preload?.length && settings.lambdaCode === "bundles")
    throw new Error(
      "preload modules need lambdaCode 'sources': the deployable bundles are built as they deploy",
    );
  await assertJava();
  for (const [what, port] of Object.entries(ports) as [keyof typeof ports, number][]) {
    await assertPortFree(
      host,
      port,
      what === "stepFunctions" ? "Step Functions" : what,
      PORT_VARIABLES[what],
    );
  }
  await mkdir(dataDir, { recursive: true });
  const naming: LocalNaming = {
    region: settings.region,
    accountId: settings.accountId,
    stackName: "Concord",
  };

  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn();
  };
  const metrics = new LocalMetrics();
  try {
    const clock = new LocalClock({ rate: settings.clockRate, stateFile: path.join(dataDir, "clock.json") });
    stops.push(() => clock.close());
    // Every function container reads this clock as its system clock.
    const sharedClock = createSharedClock(clock.sharedState());
    clock.onChange(() => writeSharedClock(sharedClock, clock.sharedState()));

    // The deployable bundles are built outside the repository, so that they find no node_modules to lean on.
    const bundleDir =
      settings.lambdaCode === "bundles"
        ? await mkdtemp(path.join(os.tmpdir(), "concord-bundles-"))
        : undefined;
    if (bundleDir) stops.push(() => rm(bundleDir, { recursive: true, force: true }));
    const assemblyReady = synthesizeForLocal({
      region: settings.region,
      ...(options.workflows ? { workflows: options.workflows } : {}),
      ...(bundleDir ? { bundleInto: bundleDir } : {}),
    });
    const appUrl = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${ports.app}`;
    const stepFunctionsUrl = `http://${host}:${ports.stepFunctions}`;
    const dynamodbUrl = `http://${host}:${ports.dynamodb}`;
    const sesUrl = `http://${host}:${ports.ses}`;
    // Function containers start while DynamoDB Local's JVM boots: both take seconds, and neither needs the other.
    const lambdasReady = assemblyReady.then(async (assembly) => {
      const modules = bundleDir
        ? deployedModules(assembly.functions)
        : await buildFromSources(assembly.functions, options.preload ?? [], stops);
      const lambdas = new LambdaHost({
        functions: assembly.functions,
        moduleOf: (fn) => {
          const module = modules.get(fn.logicalId);
          if (!module) throw new Error(`no code for function ${fn.logicalId}`);
          return module;
        },
        clock: sharedClock,
        runtimeEnvironment: {
          AWS_REGION: settings.region,
          AWS_DEFAULT_REGION: settings.region,
          // Only the endpoints differ from AWS: each service's local stand-in.
          AWS_ENDPOINT_URL_DYNAMODB: dynamodbUrl,
          AWS_ENDPOINT_URL_SES: sesUrl,
          AWS_ENDPOINT_URL_SFN: stepFunctionsUrl,
          LANG: "en_US.UTF-8",
          PATH: "/usr/local/bin:/usr/bin/:/bin",
        },
        overrides: { APP_URL: appUrl },
        onInvoke: (fn) => metrics.lambdaInvoked(fn.name),
        log,
      });
      stops.push(() => lambdas.close());
      await lambdas.preload();
      return lambdas;
    });
    const dynamodbReady = startDynamoDbLocal({ dataDir, log: (line) => log(`[dynamodb] ${line}`) });
    dynamodbReady.then((dynamodb) => stops.push(() => dynamodb.close())).catch(() => {});
    // Settled, not raced: a failure of one must not leave the other running past stop().
    const [assembly, dynamodb, lambdas] = await settledOrThrow([assemblyReady, dynamodbReady, lambdasReady]);
    log(
      `synthesized ${assembly.stateMachines.length} state machine(s), ${assembly.functions.length} function(s); ` +
        (settings.lambdaCode === "bundles"
          ? "functions run the deployable bundles (built as cdk deploy builds them)"
          : "functions run the TypeScript sources"),
    );
    const created = await ensureTables(dynamodb.endpoint, settings.region, assembly.tables);
    if (created.length > 0) log(`created table(s) ${created.join(", ")}`);
    // The configured DynamoDB port is the counting proxy's, so every caller is counted and sees an outage;
    // DynamoDB Local itself sits on a port of its own behind it.
    // IAM as the template configures it, in front of every service the functions call.
    const iam = new IamEnforcement({
      template: assembly.template,
      naming,
      functionOfAccessKey: (keyId) => lambdas.functionOfAccessKey(keyId),
      log,
      onChecked: () => metrics.iamChecked(),
      onDenied: (what) => metrics.iamDenied(what),
    });
    const proxy = await startDynamoDbProxy({
      host,
      port: ports.dynamodb,
      upstream: dynamodb.endpoint,
      metrics,
      gate: iam.dynamodb,
    });
    stops.push(() => proxy.close());

    const ses = await startSesLocal({
      host,
      port: ports.ses,
      dataDir,
      onSent: () => metrics.emailSent(),
      gate: iam.ses,
    });
    stops.push(() => ses.stop());

    const taskFaults = new TaskFaults();
    const stepFunctions = new LocalStepFunctions({
      dataDir,
      clock,
      naming,
      invokeFunction: async (fn, payload, stateMachineArn) => {
        iam.assertStateMachineMayInvoke(stateMachineArn, lambdas.find(fn).arn);
        taskFaults.take(lambdas.find(fn));
        return lambdas.invoke(fn, payload);
      },
      gate: iam.stepFunctions,
      log: (line) => log(`[states] ${line}`),
      ...(fault ? { fault } : {}),
    });
    // State transitions as AWS bills them: one per state entered, counted as the history is journaled.
    stepFunctions.onHistoryEvent((_, event) => {
      if (event.type.endsWith("StateEntered")) metrics.stateEntered();
    });
    // Step Functions tells EventBridge of every execution that closes; the rules that match invoke their targets.
    const events = new LocalEventBus(
      eventRulesFromTemplate(assembly.template, naming),
      clock,
      lambdas,
      naming,
      (fn, principal, sourceArn) => iam.mayInvoke(fn, principal, sourceArn),
    );
    stops.push(() => events.stop());
    stepFunctions.onExecutionClosed((closed) => {
      void stepFunctions
        .describeExecution(closed.executionArn)
        .then((execution) => events.put(executionStatusChange(execution)))
        .catch((error: unknown) => log(`[events] ${closed.executionArn}: ${(error as Error).message}`));
    });
    stepFunctions.register(assembly.stateMachines);
    await stepFunctions.listen(ports.stepFunctions, host);
    stops.push(() => stepFunctions.close());
    await stepFunctions.start();

    const adminToken = await ensureAdminToken(dataDir);
    const urls = {
      app: appUrl,
      inbox: `http://${host}:${ports.ses}/`,
      sesApi: ses.endpoint,
      dynamodb: proxy.endpoint,
      stepFunctions: stepFunctionsUrl,
    };
    const front: Server = createHttpFront({
      routes: routesFromTemplate(assembly.template, naming),
      lambdas,
      mayInvoke: (fn, principal, sourceArn) => iam.mayInvoke(fn, principal, sourceArn),
      clock,
      adminToken,
      naming,
      metrics,
      dynamodb,
      faults: taskFaults,
      links: [
        { label: "Inbox (every email Concord sent)", url: urls.inbox },
        { label: "SES API", url: urls.sesApi },
        { label: "DynamoDB (a counting proxy in front of DynamoDB Local)", url: urls.dynamodb },
        { label: "Step Functions API", url: urls.stepFunctions },
      ],
    });
    await listen(front, ports.app, host);
    stops.push(() => closeNow(front));

    const scheduler = new LocalScheduler(
      schedulesFromTemplate(assembly.template, naming),
      clock,
      lambdas,
      naming,
      (fn, principal, sourceArn) => iam.mayInvoke(fn, principal, sourceArn),
    );
    scheduler.start();
    stops.push(() => scheduler.stop());

    return {
      urls,
      adminToken,
      clock,
      metrics,
      dynamodb,
      stepFunctions,
      lambdas,
      scheduler,
      setDynamoDbFault: (fault) => proxy.setFault(fault),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Builds the functions from the TypeScript sources into a folder outside the repository, removed at stop. */
async function buildFromSources(
  functions: readonly LocalFunctionSpec[],
  preload: readonly string[],
  stops: (() => Promise<void> | void)[],
): Promise<Map<string, FunctionModule>> {
  const outdir = await mkdtemp(path.join(os.tmpdir(), "concord-functions-"));
  stops.push(() => rm(outdir, { recursive: true, force: true }));
  return buildFunctions(functions, { rootDir: ROOT_DIR, outdir, preload });
}

/** The deployable bundles as `cdk synth` staged them: `<asset folder>/index.mjs` and the export Handler names. */
function deployedModules(functions: readonly LocalFunctionSpec[]): Map<string, FunctionModule> {
  return new Map(
    functions.map((fn) => [
      fn.logicalId,
      { modulePath: path.join(fn.assetDirectory ?? "", fn.bundleFile), exportName: fn.bundleExport },
    ]),
  );
}

/** Step Functions' "Execution Status Change" event for an execution, as EventBridge carries it. */
function executionStatusChange(execution: ExecutionDescription): LocalEvent {
  return {
    source: "aws.states",
    "detail-type": "Step Functions Execution Status Change",
    resources: [execution.executionArn],
    detail: {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate.getTime(),
      stopDate: execution.stopDate?.getTime() ?? null,
      input: execution.input,
      inputDetails: { included: true },
      output: execution.output ?? null,
      outputDetails: execution.output === undefined ? null : { included: true },
      error: execution.error ?? null,
      cause: execution.cause ?? null,
    },
  };
}

/** Awaits every promise; when any rejected, throws the first rejection once all have settled. */
async function settledOrThrow<T extends readonly unknown[]>(
  promises: { [K in keyof T]: Promise<T[K]> },
): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

const FAULTS: readonly LocalFault[] = ["crash-after-send-task-success"];

/**
 * CONCORD_FAULT (tests only; unset in normal use): `crash-after-send-task-success` makes the local Step Functions
 * service SIGKILL the whole cloud right after it has durably recorded the first SendTaskSuccess it accepts, before
 * it answers — a partner's Lambda dying between SendTaskSuccess and marking its request resumed. Restart without
 * the variable to see what the next start makes of it.
 */
function readFault(env: NodeJS.ProcessEnv): LocalFault | undefined {
  const value = env.CONCORD_FAULT;
  if (value === undefined || value === "") return undefined;
  const fault = FAULTS.find((known) => known === value);
  if (!fault)
    throw new Error(
      `invalid setting — CONCORD_FAULT: unknown fault '${value}' (known: ${FAULTS.join(", ")})`,
    );
  return fault;
}
