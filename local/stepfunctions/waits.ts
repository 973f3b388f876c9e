import type { WaitSpec } from "./definition";
import { StatesRuntimeError } from "./errors";
import { queryPath } from "./json-path";

/**
 * When a Wait entered at `enteredAt` (local clock) with raw input `rawInput` ends: Seconds / Timestamp /
 * SecondsPath / TimestampPath applied after InputPath, as Step Functions does.
 */
export function waitTarget(spec: WaitSpec, rawInput: unknown, context: unknown, enteredAt: number): number {
  const input =
    spec.inputPath === undefined
      ? rawInput
      : spec.inputPath === null
        ? {}
        : queryPath(spec.inputPath, rawInput, context);
  if (spec.seconds !== undefined) return enteredAt + spec.seconds * 1000;
  if (spec.timestamp !== undefined) return parseTimestamp(spec, "Timestamp", spec.timestamp);
  if (spec.secondsPath !== undefined) {
    const seconds = queryPath(spec.secondsPath, input, context);
    if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
      throw new StatesRuntimeError(
        `Wait ${spec.name}: SecondsPath '${spec.secondsPath}' must point to a number >= 0, got ${JSON.stringify(seconds)}`,
      );
    }
    return enteredAt + seconds * 1000;
  }
  if (spec.timestampPath !== undefined) {
    return parseTimestamp(spec, "TimestampPath", queryPath(spec.timestampPath, input, context));
  }
  return enteredAt;
}

function parseTimestamp(spec: WaitSpec, field: string, value: unknown): number {
  const time = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new StatesRuntimeError(
      `Wait ${spec.name}: ${field} must be an ISO-8601 timestamp, got ${JSON.stringify(value)}`,
    );
  }
  return time;
}
