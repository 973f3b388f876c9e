import { mkdir } from "node:fs/promises";
import type { Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { resetConfig } from "../functions/shared/config";
import { setTimeSource } from "../functions/shared/time";
import type { WorkflowSpec } from "../infra/constructs/workflows";
import { ensureAdminToken } from "./admin-token";
import type { LocalNaming } from "./cfn";
import { LocalClock } from "./clock";
import { assertJava, type DynamoDbLocal, ensureTables, startDynamoDbLocal } from "./dynamodb-local";
import { startDynamoDbProxy } from "./dynamodb-proxy";
import { createHttpFront, routesFromTemplate } from "./http-front";
import { LambdaHost } from "./lambda-host";
import { LocalMetrics } from "./metrics";
import { assertPortFree } from "./ports";
import { LocalScheduler, schedulesFromTemplate } from "./scheduler";
import { startSesLocal } from "./ses-local";
import { type LocalSettings, PORT_VARIABLES } from "./settings";
import { type LocalFault, LocalStepFunctions } from "./stepfunctions";
import { synthesizeForLocal } from "./synth";

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
  stop(): Promise<void>;
}

/**
 * Starts the whole system on this machine: DynamoDB Local, the SES stand-in, the Step Functions service
 * running the CDK-synthesized definitions, the project's handlers in-process behind a local API Gateway,
 * and the schedules — all on one clock. Fails with a StartupError (one line) on a missing Java or busy port.
 */
export async function startLocalCloud(
  settings: LocalSettings,
  log: (line: string) => void = () => {},
  options: { workflows?: readonly WorkflowSpec[] } = {},
): Promise<LocalCloud> {
  const { host, ports, dataDir } = settings;
  const fault = readFault(process.env);
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
    const [assembly, dynamodb] = await Promise.all([
      synthesizeForLocal({
        region: settings.region,
        ...(options.workflows ? { workflows: options.workflows } : {}),
      }),
      startDynamoDbLocal({ dataDir, log: (line) => log(`[dynamodb] ${line}`) }),
    ]);
    stops.push(() => dynamodb.close());
    log(
      `synthesized ${assembly.stateMachines.length} state machine(s), ${assembly.functions.length} function(s)`,
    );
    const created = await ensureTables(dynamodb.endpoint, settings.region, assembly.tables);
    if (created.length > 0) log(`created table(s) ${created.join(", ")}`);
    // The configured DynamoDB port is the counting proxy's, so every caller is counted and sees an outage;
    // DynamoDB Local itself sits on a port of its own behind it.
    const proxy = await startDynamoDbProxy({
      host,
      port: ports.dynamodb,
      upstream: dynamodb.endpoint,
      metrics,
    });
    stops.push(() => proxy.close());

    const ses = await startSesLocal({ host, port: ports.ses, dataDir, onSent: () => metrics.emailSent() });
    stops.push(() => ses.stop());

    const clock = new LocalClock({ rate: settings.clockRate, stateFile: path.join(dataDir, "clock.json") });
    stops.push(() => clock.close());
    setTimeSource(() => clock.now());

    const appUrl = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${ports.app}`;
    const stepFunctionsUrl = `http://${host}:${ports.stepFunctions}`;
    const lambdas = new LambdaHost(assembly.functions, ROOT_DIR, (fn) => metrics.lambdaInvoked(fn.name));
    Object.assign(process.env, lambdas.environment(), {
      APP_URL: appUrl,
      AWS_REGION: settings.region,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      AWS_ENDPOINT_URL_SFN: stepFunctionsUrl,
    });
    delete process.env.AWS_PROFILE;
    resetConfig();
    await lambdas.preload();

    const stepFunctions = new LocalStepFunctions({
      dataDir,
      clock,
      naming,
      invokeFunction: (fn, payload) => lambdas.invoke(fn, payload),
      log: (line) => log(`[states] ${line}`),
      ...(fault ? { fault } : {}),
    });
    // State transitions as AWS bills them: one per state entered, counted as the history is journaled.
    stepFunctions.onHistoryEvent((_, event) => {
      if (event.type.endsWith("StateEntered")) metrics.stateEntered();
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
      clock,
      adminToken,
      naming,
      metrics,
      dynamodb,
      links: [
        { label: "Inbox (every email Concord sent)", url: urls.inbox },
        { label: "SES API", url: urls.sesApi },
        { label: "DynamoDB (a counting proxy in front of DynamoDB Local)", url: urls.dynamodb },
        { label: "Step Functions API", url: urls.stepFunctions },
      ],
    });
    await new Promise<void>((resolve, reject) => {
      front.once("error", reject);
      front.listen(ports.app, host, () => resolve());
    });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          front.closeAllConnections();
          front.close(() => resolve());
        }),
    );

    const scheduler = new LocalScheduler(
      schedulesFromTemplate(assembly.template, naming),
      clock,
      lambdas,
      naming,
    );
    scheduler.start();
    stops.push(() => scheduler.stop());

    return { urls, adminToken, clock, metrics, dynamodb, stepFunctions, lambdas, scheduler, stop };
  } catch (error) {
    await stop();
    throw error;
  }
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
