import type * as z from "zod";
import { parseEvent } from "./events";

/**
 * A dependency (DynamoDB, SES, Step Functions) failed in a way that goes away on its own: throttling, a lost
 * transaction race, a 5xx, or the endpoint briefly unreachable. Workflows retry this error name with backoff
 * (workflows/steps.ts); every task is idempotent, so a retry repeats nothing that already happened.
 */
export class TransientDependencyError extends Error {
  constructor(cause: Error) {
    super(`${cause.name}: ${cause.message}`, { cause });
    this.name = "TransientDependencyError";
  }
}

const TRANSIENT_NAMES = new Set([
  "ThrottlingException",
  "Throttling",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "TransactionConflictException",
  "InternalServerError",
  "InternalFailure",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);

// Node's socket errors when an endpoint is down, restarting, or drops the connection.
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ECONNABORTED",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Whether `error` (or what caused it) is a transient dependency failure worth retrying. */
export function isTransient(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const detail = error as Error & {
    code?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
    CancellationReasons?: { Code?: string }[];
  };
  if (TRANSIENT_NAMES.has(error.name) || detail.$retryable) return true;
  if (typeof detail.code === "string" && NETWORK_CODES.has(detail.code)) return true;
  if ((detail.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  if (/socket hang up/i.test(error.message)) return true;
  if (error.name === "TransactionCanceledException") {
    return (detail.CancellationReasons ?? []).some(
      (reason) => reason.Code === "TransactionConflict" || reason.Code === "ThrottlingError",
    );
  }
  return isTransient(error.cause, depth + 1);
}

/**
 * A workflow task's Lambda handler: parses the event with `schema` (a bad event fails with the field and the
 * problem), runs the task, and reports a transient dependency failure as TransientDependencyError so the
 * state machine retries it instead of failing the execution.
 */
export function taskHandler<S extends z.ZodType, R>(
  schema: S,
  what: string,
  run: (input: z.output<S>) => Promise<R>,
): (event: unknown) => Promise<R> {
  return async (event) => {
    const input = parseEvent(schema, event, what);
    try {
      return await run(input);
    } catch (error) {
      if (isTransient(error)) throw new TransientDependencyError(error as Error);
      throw error;
    }
  };
}
