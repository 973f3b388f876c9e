import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { LocalStateMachineSpec } from "../../../local/cfn";
import { LocalClock } from "../../../local/clock";
import { type HistoryEventOut, LocalStepFunctions } from "../../../local/stepfunctions";
import { FIXTURE_NAMING, FN } from "../fixtures/test-stack";

/** A Lambda error as a handler would throw it. */
export class FlakyError extends Error {
  constructor() {
    super("the partner system did not answer");
    this.name = "FlakyError";
  }
}

/** The fixture Lambdas, in-process: each call is recorded under the function name. */
export function fixtureHandlers(calls: Map<string, unknown[]>) {
  return async (functionArn: string, payload: unknown): Promise<unknown> => {
    const name = functionArn.split(":").at(-1) ?? functionArn;
    calls.set(name, [...(calls.get(name) ?? []), payload]);
    switch (name) {
      case FN.prepare:
        return { prepared: true };
      case FN.askPartner:
        return { asked: true };
      case FN.record:
        return payload;
      case FN.flaky:
        // Asked for it, a result over Step Functions' 256 KiB payload quota instead of an error.
        if ((payload as { oversized?: boolean } | null)?.oversized) return { blob: "x".repeat(300_000) };
        throw new FlakyError();
      default:
        throw new Error(`no fixture handler for ${functionArn}`);
    }
  };
}

/** A service on a fresh data folder with the fixture state machines and handlers. */
export interface Harness {
  service: LocalStepFunctions;
  clock: LocalClock;
  dataDir: string;
  calls: Map<string, unknown[]>;
  /** Closes the service and the clock, keeping the data folder (for a restart). */
  stop(): Promise<void>;
  /** A new service (and clock) on the same data folder, as after a restart. */
  restart(): Promise<Harness>;
  /** Stops and deletes the data folder. */
  dispose(): Promise<void>;
}

/** Starts a service for a test; `rate` is the clock rate. */
export async function startHarness(
  specs: LocalStateMachineSpec[],
  options: { rate?: number; dataDir?: string } = {},
): Promise<Harness> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), "concord-sfn-")));
  const clock = new LocalClock({ rate: options.rate ?? 1, stateFile: path.join(dataDir, "clock.json") });
  const calls = new Map<string, unknown[]>();
  const service = new LocalStepFunctions({
    dataDir,
    clock,
    naming: FIXTURE_NAMING,
    invokeFunction: fixtureHandlers(calls),
  });
  service.register(specs);
  await service.start();
  const stop = async () => {
    await service.close();
    clock.close();
  };
  return {
    service,
    clock,
    dataDir,
    calls,
    stop,
    restart: async () => {
      await stop();
      return startHarness(specs, { ...options, dataDir });
    },
    dispose: async () => {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value other than undefined; fails after `timeoutMs` real ms. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves with the history once it holds an event of `type` (e.g. WaitStateEntered). */
export function historyWith(
  service: LocalStepFunctions,
  executionArn: string,
  type: string,
): Promise<HistoryEventOut[]> {
  return eventually(async () => {
    const { events } = await service.getExecutionHistory({ executionArn, maxResults: 1000 });
    return events.some((event) => event.type === type) ? events : undefined;
  });
}

/** The events of `type`, in order. */
export function eventsOf(events: HistoryEventOut[], type: string): HistoryEventOut[] {
  return events.filter((event) => event.type === type);
}

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;
