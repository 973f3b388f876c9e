import type * as z from "zod";

/** One problem with an input, located by a readable path ("partners[1].contacts[0].email"; "" is the whole input). */
export interface FieldError {
  path: string;
  message: string;
}

/** The outcome of validating untrusted input: the parsed value, or every problem found. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Validate `input` against `schema`, turning zod issues into field errors a person can act on. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.output<S>> {
  const result = schema.safeParse(input, { error: fallbackMessage });
  if (result.success) {
    return { ok: true, value: result.data };
  }
  // zod still runs length checks on a value of the wrong type ("x" for a list); the type error says it all.
  const wrongType = new Set(
    result.error.issues
      .filter((issue) => issue.code === "invalid_type")
      .map((issue) => formatPath(issue.path)),
  );
  const issues = result.error.issues.filter(
    (issue) => issue.code === "invalid_type" || !wrongType.has(formatPath(issue.path)),
  );
  return { ok: false, errors: issues.flatMap(toFieldErrors) };
}

/** "path: message" lines, for a CLI or an email. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors
    .map((error) => (error.path === "" ? error.message : `${error.path}: ${error.message}`))
    .join("\n");
}

/** Render a zod path as a person would write it: `partners[1].contacts[0].email`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") {
      out += `[${segment}]`;
    } else if (typeof segment === "string" && /^[A-Za-z0-9_$-]+$/.test(segment)) {
      out += out === "" ? segment : `.${segment}`;
    } else {
      out += `[${JSON.stringify(String(segment))}]`;
    }
  }
  return out;
}

function toFieldErrors(issue: z.core.$ZodIssue): FieldError[] {
  if (issue.code === "unrecognized_keys") {
    // One error per key, located at the key itself, so a typo points at the typo.
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: "is not a known field (check the spelling)",
    }));
  }
  return [{ path: formatPath(issue.path), message: issue.message }];
}

// Schemas set their own messages where the wording matters; this covers the rest in the same voice.
const fallbackMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? "is required"
        : `must be ${noun(issue.expected)} (got ${describe(issue.input)})`;
    case "invalid_value":
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
    case "too_small":
      return bound("at least", issue.origin, issue.minimum, issue.inclusive);
    case "too_big":
      return bound("at most", issue.origin, issue.maximum, issue.inclusive);
    case "invalid_format":
      return issue.format === "email"
        ? "must be a valid email address"
        : `is not in the expected format (${issue.format})`;
    case "invalid_union":
      return "does not match any of the allowed forms";
    case "invalid_key":
      return `is not an allowed key: ${issue.issues[0]?.message ?? "invalid"}`;
    default:
      return undefined;
  }
};

function noun(expected: string): string {
  const nouns: Record<string, string> = {
    string: "text",
    number: "a number",
    int: "a whole number",
    boolean: "true or false",
    array: "a list",
    object: "an object",
  };
  return nouns[expected] ?? expected;
}

function describe(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "string")
    return `text ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`;
  if (typeof input === "object") return "an object";
  return `${typeof input} ${String(input)}`;
}

function bound(
  direction: "at least" | "at most",
  origin: string,
  limit: number | bigint,
  inclusive?: boolean,
): string {
  const n = Number(limit);
  switch (origin) {
    case "string":
      return n === 1 && direction === "at least"
        ? "must not be empty"
        : `must be ${direction} ${n} characters`;
    case "array":
    case "set":
      return `must have ${direction} ${n} item${n === 1 ? "" : "s"}`;
    default:
      if (inclusive === false) return `must be ${direction === "at least" ? "greater" : "less"} than ${n}`;
      return `must be ${direction} ${n}`;
  }
}
