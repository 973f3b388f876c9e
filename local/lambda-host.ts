import { randomUUID } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { LocalFunctionSpec } from "./synth";

type Handler = (event: unknown, context: unknown) => Promise<unknown> | unknown;

/** Raised when a task names a function the synthesized stack does not have. */
export class UnknownFunctionError extends Error {
  constructor(nameOrArn: string) {
    super(`no Lambda function named ${nameOrArn} in the synthesized stack`);
    this.name = "ResourceNotFoundException";
  }
}

/**
 * Runs the project's Lambda handlers in this process, found through the `concord:entry` metadata that
 * the house function construct writes. Events and results go through JSON, as they would over the wire.
 */
export class LambdaHost {
  private readonly byKey = new Map<string, LocalFunctionSpec>();
  private readonly loaded = new Map<string, Promise<Handler>>();

  constructor(
    private readonly functions: LocalFunctionSpec[],
    private readonly rootDir: string,
    /** Called once per invocation (the local cloud counts them). */
    private readonly onInvoke: (fn: LocalFunctionSpec) => void = () => {},
  ) {
    for (const fn of functions) {
      this.byKey.set(fn.name, fn);
      this.byKey.set(fn.arn, fn);
      this.byKey.set(fn.logicalId, fn);
    }
  }

  /** Every environment variable the stack sets on any function; one process hosts them all. */
  environment(): Record<string, string> {
    const merged: Record<string, string> = {};
    for (const fn of this.functions) Object.assign(merged, fn.environment);
    return merged;
  }

  /** The spec of a function by name, ARN (optionally qualified) or logical id. */
  find(nameOrArn: string): LocalFunctionSpec {
    const unqualified = nameOrArn.replace(/^(arn:aws:lambda:[^:]+:[^:]+:function:[^:]+):[^:]+$/, "$1");
    const fn = this.byKey.get(nameOrArn) ?? this.byKey.get(unqualified);
    if (!fn) throw new UnknownFunctionError(nameOrArn);
    return fn;
  }

  /** Imports every handler now, so a broken one fails at startup rather than at the first click. */
  async preload(): Promise<void> {
    await Promise.all(this.functions.map((fn) => this.load(fn)));
  }

  /** Invokes a function like Lambda's RequestResponse invoke, returning its (JSON-cloned) result. */
  async invoke(nameOrArn: string, event: unknown): Promise<unknown> {
    const fn = this.find(nameOrArn);
    this.onInvoke(fn);
    const handler = await this.load(fn);
    const started = Date.now();
    const context = {
      functionName: fn.name,
      functionVersion: "$LATEST",
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: "256",
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${fn.name}`,
      logStreamName: "local",
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, 30_000 - (Date.now() - started)),
    };
    const result = await handler(JSON.parse(JSON.stringify(event ?? null)), context);
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  }

  private load(fn: LocalFunctionSpec): Promise<Handler> {
    let handler = this.loaded.get(fn.name);
    if (!handler) {
      handler = import(pathToFileURL(path.resolve(this.rootDir, fn.entry)).href).then((module) => {
        const exported = (module as Record<string, unknown>)[fn.handler];
        if (typeof exported !== "function") {
          throw new Error(`${fn.entry} does not export a function named ${fn.handler}`);
        }
        return exported as Handler;
      });
      this.loaded.set(fn.name, handler);
    }
    return handler;
  }
}
