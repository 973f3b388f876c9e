import type * as z from "zod";
import { parseWith } from "../domain";

/** Raised when a Lambda event does not have the shape the workflow promises; names the fields. */
export class InvalidEventError extends Error {
  constructor(what: string, problems: string) {
    super(`${what}: ${problems}`);
    this.name = "InvalidEventError";
  }
}

/** Parses a task's event with zod, throwing InvalidEventError (field and problem) when it does not fit. */
export function parseEvent<S extends z.ZodType>(schema: S, event: unknown, what: string): z.output<S> {
  const result = parseWith(schema, event);
  if (!result.ok) {
    throw new InvalidEventError(
      what,
      result.errors.map((e) => `${e.path || "(event)"} ${e.message}`).join("; "),
    );
  }
  return result.value;
}
