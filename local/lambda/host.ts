import { createHash, randomUUID } from "node:crypto";
import { Worker } from "node:worker_threads";
import type { LocalFunctionSpec } from "../synth";
import type { FunctionModule } from "./build";
import type { ContainerMessage, ContainerSetup, FunctionErrorPayload, InvokeMessage } from "./container";

/** Raised when a task names a function the synthesized stack does not have. */
export class UnknownFunctionError extends Error {
  constructor(nameOrArn: string) {
    super(`Function not found: ${nameOrArn}`);
    this.name = "ResourceNotFoundException";
  }
}

/** A function invocation that failed as Lambda reports it: `name` is the error type (e.g. `Sandbox.Timedout`). */
export class FunctionError extends Error {
  constructor(payload: FunctionErrorPayload) {
    super(payload.errorMessage);
    this.name = payload.errorType;
    this.stack = payload.trace.join("\n");
  }
}

/** Lambda's synchronous invocation payload limit (request and response), 6 MB. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/**
 * Containers per function at most. Lambda would start one per concurrent invocation; on a machine of a few cores
 * more containers add start-up work and no throughput, so further invocations wait for a free one.
 */
export const DEFAULT_MAX_CONTAINERS = 3;

/** Options of the Lambda host. */
export interface LambdaHostOptions {
  functions: LocalFunctionSpec[];
  /** Where each function's code is (see build.ts for the sources, synth.ts's bundleInto for the deployable bundles). */
  moduleOf: (fn: LocalFunctionSpec) => FunctionModule;
  /** The local clock, shared with every container (see shared-clock.ts). */
  clock: SharedArrayBuffer;
  /** Region, endpoints and other variables every container gets besides the function's own (no secrets). */
  runtimeEnvironment: Record<string, string>;
  /** Variables of the template replaced for the local cloud (APP_URL → the local front), when a function has them. */
  overrides?: Record<string, string>;
  /** Containers per function at most; invocations beyond wait their turn. @default DEFAULT_MAX_CONTAINERS */
  maxContainers?: number;
  /** Called once per invocation (the local cloud counts them). */
  onInvoke?: (fn: LocalFunctionSpec) => void;
  /** Where the functions' own output (console.log/error) goes, one line at a time. */
  log?: (line: string) => void;
}

/** The credentials a function's containers sign with: they name its role to the local cloud's IAM checks. */
export interface FunctionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

interface Container {
  fn: LocalFunctionSpec;
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, { resolve: (payload: string) => void; reject: (error: Error) => void }>;
  dead: boolean;
}

/**
 * Runs each Lambda function of the synthesized stack as Lambda does: in containers of its own (worker threads,
 * one invocation at a time each, more started when all are busy), each with exactly the environment the
 * template gives the function plus what the Lambda runtime sets, its own module state, its own credentials,
 * and its configured timeout: an invocation that runs past it fails with `Sandbox.Timedout` and its container
 * is thrown away. Events and results cross as JSON text, as they would over the wire.
 */
export class LambdaHost {
  private readonly byKey = new Map<string, LocalFunctionSpec>();
  private readonly idle = new Map<string, Container[]>();
  private readonly started = new Map<string, number>();
  private readonly waiting = new Map<string, ((container: Container) => void)[]>();
  private readonly all = new Set<Container>();
  private readonly credentialsByFunction = new Map<string, FunctionCredentials>();
  private readonly functionByKeyId = new Map<string, LocalFunctionSpec>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: LambdaHostOptions) {
    for (const fn of options.functions) {
      this.byKey.set(fn.name, fn);
      this.byKey.set(fn.arn, fn);
      this.byKey.set(fn.logicalId, fn);
      const credentials = credentialsFor(fn);
      this.credentialsByFunction.set(fn.name, credentials);
      this.functionByKeyId.set(credentials.accessKeyId, fn);
    }
  }

  /** The functions of the stack. */
  get functions(): readonly LocalFunctionSpec[] {
    return this.options.functions;
  }

  /** The function whose containers sign with `accessKeyId`, if any. */
  functionOfAccessKey(accessKeyId: string): LocalFunctionSpec | undefined {
    return this.functionByKeyId.get(accessKeyId);
  }

  /** The spec of a function by name, ARN (optionally qualified) or logical id. */
  find(nameOrArn: string): LocalFunctionSpec {
    const unqualified = nameOrArn.replace(/^(arn:aws:lambda:[^:]+:[^:]+:function:[^:]+):[^:]+$/, "$1");
    const fn = this.byKey.get(nameOrArn) ?? this.byKey.get(unqualified);
    if (!fn) throw new UnknownFunctionError(nameOrArn);
    return fn;
  }

  /** The environment a container of `fn` sees: the template's variables, then what the runtime sets. */
  environmentOf(fn: LocalFunctionSpec): Record<string, string> {
    const own = { ...fn.environment };
    for (const [name, value] of Object.entries(this.options.overrides ?? {})) {
      if (name in own) own[name] = value;
    }
    const credentials = this.credentialsByFunction.get(fn.name);
    return {
      ...own,
      ...this.options.runtimeEnvironment,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
      AWS_LAMBDA_LOG_STREAM_NAME: "local",
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      _HANDLER: fn.handlerSetting,
      TZ: ":UTC",
      AWS_ACCESS_KEY_ID: credentials?.accessKeyId ?? "",
      AWS_SECRET_ACCESS_KEY: credentials?.secretAccessKey ?? "",
      AWS_SESSION_TOKEN: credentials?.sessionToken ?? "",
    };
  }

  /** Starts one container per function now, so a handler that does not load fails at startup, not at the first click. */
  async preload(): Promise<void> {
    await Promise.all(
      this.options.functions.map(async (fn) => {
        const container = this.start(fn);
        await container.ready;
        this.release(fn, container);
      }),
    );
  }

  /**
   * Invokes a function like Lambda's RequestResponse invoke and returns its (JSON) result. A function error
   * rejects with a FunctionError named by its error type, as Step Functions and API Gateway see it.
   */
  async invoke(nameOrArn: string, event: unknown): Promise<unknown> {
    const fn = this.find(nameOrArn);
    const text = JSON.stringify(event ?? null);
    if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
      throw Object.assign(
        new Error(`Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`),
        { name: "RequestEntityTooLargeException" },
      );
    }
    this.options.onInvoke?.(fn);
    const container = await this.acquire(fn);
    try {
      await container.ready;
    } catch (error) {
      this.discard(container);
      throw error;
    }
    const payload = await this.run(fn, container, text);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      throw new FunctionError({
        errorType: "Function.ResponseSizeTooLarge",
        errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_PAYLOAD_BYTES} bytes).`,
        trace: [],
      });
    }
    return JSON.parse(payload);
  }

  /** Ends every container. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.all].map((container) => this.discard(container)));
  }

  private run(fn: LocalFunctionSpec, container: Container, event: string): Promise<string> {
    const id = this.nextId++;
    const awsRequestId = randomUUID();
    const timeoutMs = fn.timeoutSeconds * 1000;
    const message: InvokeMessage = {
      id,
      event,
      context: {
        functionName: fn.name,
        functionVersion: "$LATEST",
        invokedFunctionArn: fn.arn,
        memoryLimitInMB: String(fn.memorySize),
        awsRequestId,
        logGroupName: fn.logGroupName,
        logStreamName: "local",
        deadlineEpochMs: performance.timeOrigin + performance.now() + timeoutMs,
      },
    };
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        container.pending.delete(id);
        // Lambda ends the execution environment of a timed-out invocation; the next one starts afresh.
        void this.discard(container);
        reject(
          new FunctionError({
            errorType: "Sandbox.Timedout",
            errorMessage: `RequestId: ${awsRequestId} Error: Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
            trace: [],
          }),
        );
      }, timeoutMs);
      container.pending.set(id, {
        resolve: (payload) => {
          clearTimeout(timer);
          this.release(fn, container);
          resolve(payload);
        },
        reject: (error) => {
          clearTimeout(timer);
          if (container.dead) void this.discard(container);
          else this.release(fn, container);
          reject(error);
        },
      });
      container.worker.postMessage(message);
    });
  }

  /** An idle container of `fn`, a new one while there are fewer than the maximum, or the next one released. */
  private acquire(fn: LocalFunctionSpec): Promise<Container> {
    const idle = this.idle.get(fn.name)?.pop();
    if (idle) return Promise.resolve(idle);
    if ((this.started.get(fn.name) ?? 0) < (this.options.maxContainers ?? DEFAULT_MAX_CONTAINERS)) {
      return Promise.resolve(this.start(fn));
    }
    return new Promise((resolve) => {
      const queue = this.waiting.get(fn.name) ?? [];
      this.waiting.set(fn.name, queue);
      queue.push(resolve);
    });
  }

  /** Hands a finished container to the next waiting invocation, or keeps it warm. */
  private release(fn: LocalFunctionSpec, container: Container): void {
    if (container.dead || this.closed) return;
    const next = this.waiting.get(fn.name)?.shift();
    if (next) {
      next(container);
      return;
    }
    const idle = this.idle.get(fn.name) ?? [];
    this.idle.set(fn.name, idle);
    idle.push(container);
  }

  private async discard(container: Container): Promise<void> {
    container.dead = true;
    this.forget(container);
    await container.worker.terminate();
  }

  /** Counts a dead container out (once); an invocation waiting for one of its function gets a fresh container. */
  private forget(container: Container): void {
    if (!this.all.delete(container)) return;
    const { fn } = container;
    this.started.set(fn.name, (this.started.get(fn.name) ?? 1) - 1);
    const idle = this.idle.get(fn.name) ?? [];
    const index = idle.indexOf(container);
    if (index >= 0) idle.splice(index, 1);
    const next = this.waiting.get(fn.name)?.shift();
    if (next && !this.closed) next(this.start(fn));
  }

  private start(fn: LocalFunctionSpec): Container {
    const { modulePath, exportName } = this.options.moduleOf(fn);
    const setup: ContainerSetup = {
      modulePath,
      handlerName: exportName,
      sourceMaps: /(^|\s)--enable-source-maps(\s|$)/.test(fn.environment.NODE_OPTIONS ?? ""),
      clock: this.options.clock,
    };
    const worker = new Worker(new URL("./container.ts", import.meta.url), {
      workerData: setup,
      env: this.environmentOf(fn),
      // Nothing of this process's command line (e.g. a TypeScript loader) reaches a container.
      execArgv: [],
      stdout: true,
      stderr: true,
      // Lambda's memory setting, as far as a worker can have one: its heap.
      resourceLimits: { maxOldGenerationSizeMb: fn.memorySize },
      name: fn.name,
    });
    const log = this.options.log ?? (() => {});
    forwardLines(worker.stdout, (line) => log(`[${fn.name}] ${line}`));
    forwardLines(worker.stderr, (line) => log(`[${fn.name}] ${line}`));
    const pending: Container["pending"] = new Map();
    const container: Container = { fn, worker, ready: Promise.resolve(), pending, dead: false };
    container.ready = new Promise<void>((resolve, reject) => {
      const failAll = (error: Error) => {
        container.dead = true;
        reject(error);
        for (const entry of pending.values()) entry.reject(error);
        pending.clear();
      };
      worker.on("message", (message: ContainerMessage) => {
        if (message.type === "ready") resolve();
        else if (message.type === "init-error") failAll(new FunctionError(message.error));
        else {
          const entry = pending.get(message.id);
          pending.delete(message.id);
          if (message.type === "result") entry?.resolve(message.payload);
          else entry?.reject(new FunctionError(message.error));
        }
      });
      worker.on("error", (error: Error & { code?: string }) => {
        const outOfMemory = error.code === "ERR_WORKER_OUT_OF_MEMORY";
        failAll(
          new FunctionError({
            errorType: outOfMemory ? "Runtime.OutOfMemory" : "Runtime.ExitError",
            errorMessage: outOfMemory
              ? `RequestId: Error: Runtime exited with error: out of memory (${fn.memorySize} MB)`
              : `RequestId: Error: Runtime exited with error: ${error.message}`,
            trace: (error.stack ?? "").split("\n"),
          }),
        );
      });
      worker.on("exit", (code) => {
        if (!container.dead)
          failAll(
            new FunctionError({
              errorType: "Runtime.ExitError",
              errorMessage: `RequestId: Error: Runtime exited with error: exit status ${code}`,
              trace: [],
            }),
          );
        this.forget(container);
      });
    });
    // A container that fails to start is reported to the invocation waiting for it; never unhandled.
    container.ready.catch(() => {});
    this.all.add(container);
    this.started.set(fn.name, (this.started.get(fn.name) ?? 0) + 1);
    return container;
  }
}

/** Deterministic per-function credentials: the access key id is how the local cloud's IAM checks know the caller. */
function credentialsFor(fn: LocalFunctionSpec): FunctionCredentials {
  const digest = createHash("sha256").update(fn.logicalId).digest("hex").toUpperCase();
  return {
    accessKeyId: `ASIA${digest.slice(0, 16)}`,
    secretAccessKey: digest.slice(16, 56),
    sessionToken: `local-session-${fn.logicalId}`,
  };
}

function forwardLines(stream: NodeJS.ReadableStream, log: (line: string) => void): void {
  let buffered = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) log(line);
  });
  stream.on("end", () => {
    if (buffered) log(buffered);
  });
}
