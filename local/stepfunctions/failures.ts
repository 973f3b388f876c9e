import type { Retrier } from "./definition";

const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_INTERVAL_SECONDS = 1;
const DEFAULT_BACKOFF_RATE = 2;

/** Error and Cause as Step Functions reports a Lambda function error: the error name, and the Lambda error JSON. */
export function lambdaFailure(thrown: unknown): { error: string; cause: string } {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  const errorType = error.name || "Error";
  const cause = JSON.stringify({
    errorType,
    errorMessage: error.message,
    trace: (error.stack ?? "").split("\n").filter((line) => line.length > 0),
  });
  return { error: errorType, cause };
}

/**
 * The delay before the next attempt of a failed Task, or undefined when no retrier applies or the matching one
 * is exhausted — the ASL rules: first retrier whose ErrorEquals matches; `States.TaskFailed` matches anything
 * but a timeout. Increments the matching retrier's count in `counts`.
 */
export function retryDelayMs(
  retriers: readonly Retrier[],
  counts: number[],
  errorName: string,
  timedOut: boolean,
  random: () => number = Math.random,
): number | undefined {
  for (const [index, retrier] of retriers.entries()) {
    const matches = retrier.ErrorEquals.some(
      (name) => name === errorName || name === "States.ALL" || (name === "States.TaskFailed" && !timedOut),
    );
    if (!matches) continue;
    const used = counts[index] ?? 0;
    if (used >= (retrier.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS)) return undefined;
    counts[index] = used + 1;
    const seconds =
      (retrier.IntervalSeconds ?? DEFAULT_INTERVAL_SECONDS) *
      (retrier.BackoffRate ?? DEFAULT_BACKOFF_RATE) ** used;
    const capped = Math.min(seconds, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY) * 1000;
    return retrier.JitterStrategy === "FULL" ? random() * capped : capped;
  }
  return undefined;
}
