// One Lambda execution environment ("container") of the local cloud: a worker thread with the function's own
// environment variables and module state, running one invocation at a time, as Lambda does. The host
// (host.ts) starts it with `workerData` and talks to it by messages. It runs under plain Node (type stripping
// only), and so does the function's code: a bundle that loads with nothing but what the Lambda runtime provides.
import { pathToFileURL } from "node:url";
import { parentPort, workerData } from "node:worker_threads";
import { sharedClockReader } from "./shared-clock.ts";

/** What the host gives a container at start. */
export interface ContainerSetup {
  /** Absolute path of the bundle to import. */
  modulePath: string;
  /** Exported handler name. */
  handlerName: string;
  /** Stack traces through source maps (the function's NODE_OPTIONS has --enable-source-maps). */
  sourceMaps: boolean;
  /** The local clock (see shared-clock.ts). */
  clock: SharedArrayBuffer;
}

/** An invocation, as the host posts it. */
export interface InvokeMessage {
  id: number;
  /** The event, as JSON text (what crosses the wire in Lambda). */
  event: string;
  context: {
    functionName: string;
    functionVersion: string;
    invokedFunctionArn: string;
    memoryLimitInMB: string;
    awsRequestId: string;
    logGroupName: string;
    logStreamName: string;
    /** Real epoch ms at which the invocation times out. */
    deadlineEpochMs: number;
  };
}

/** A failure as Lambda reports it (the payload of an unhandled function error). */
export interface FunctionErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** What a container posts back. */
export type ContainerMessage =
  | { type: "ready" }
  | { type: "init-error"; error: FunctionErrorPayload }
  | { type: "result"; id: number; payload: string }
  | { type: "error"; id: number; error: FunctionErrorPayload };

type Handler = (event: unknown, context: unknown) => unknown;

const port = parentPort;
const setup = workerData as ContainerSetup | undefined;
if (port && setup) await run(setup, (message) => port.postMessage(message));

async function run(setup: ContainerSetup, post: (message: ContainerMessage) => void): Promise<void> {
  installClock(sharedClockReader(setup.clock));
  let handler: Handler;
  // Per process in Node, hence for every container at once; every Concord function asks for it anyway.
  if (setup.sourceMaps) process.setSourceMapsEnabled(true);
  try {
    handler = await loadHandler(setup);
  } catch (error) {
    post({ type: "init-error", error: errorPayload(error) });
    return;
  }
  post({ type: "ready" });
  port?.on("message", (message: InvokeMessage) => {
    void invoke(handler, message).then(post);
  });
}

async function loadHandler(setup: ContainerSetup): Promise<Handler> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(setup.modulePath).href)) as Record<string, unknown>;
  } catch (error) {
    // Lambda's name for a handler module that does not load (a missing package, a syntax error).
    throw named("Runtime.ImportModuleError", `Error: ${(error as Error).message}`, error);
  }
  const exported = module[setup.handlerName];
  if (typeof exported !== "function") {
    throw named(
      "Runtime.HandlerNotFound",
      `${setup.modulePath}.${setup.handlerName} is undefined or not exported`,
    );
  }
  return exported as Handler;
}

async function invoke(handler: Handler, message: InvokeMessage): Promise<ContainerMessage> {
  const { deadlineEpochMs, ...fields } = message.context;
  const context = {
    ...fields,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, Math.round(deadlineEpochMs - realEpochMs())),
  };
  try {
    const result = await handler(JSON.parse(message.event), context);
    return { type: "result", id: message.id, payload: JSON.stringify(result ?? null) };
  } catch (error) {
    return { type: "error", id: message.id, error: errorPayload(error) };
  }
}

function realEpochMs(): number {
  return performance.timeOrigin + performance.now();
}

function errorPayload(thrown: unknown): FunctionErrorPayload {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  return {
    errorType: error.name || "Error",
    errorMessage: error.message,
    trace: (error.stack ?? "").split("\n").filter((line) => line.length > 0),
  };
}

function named(name: string, message: string, cause?: unknown): Error {
  const error = new Error(message, cause === undefined ? undefined : { cause });
  error.name = name;
  return error;
}

/**
 * Makes this container's system clock the local cloud's simulated clock, as a Lambda container's clock is
 * AWS's: `Date.now()`, `new Date()` and `Date()` follow it; timers and performance.now() stay real.
 */
function installClock(now: () => number): void {
  const RealDate = Date;
  class LocalDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now());
      else super(...(args as [string]));
    }
    static override now(): number {
      return now();
    }
  }
  // `Date()` called without `new` returns the current time as a string.
  globalThis.Date = new Proxy(LocalDate, {
    apply: () => new RealDate(now()).toString(),
  }) as unknown as DateConstructor;
}
