import { z } from "zod";

const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A short kebab-case identifier ("clean-corridors"), used for partner ids and decision classes. */
export const SlugSchema = z
  .string({ error: expecting("text") })
  .min(2, { error: "must be at least 2 characters", abort: true })
  .max(40, { error: "must be at most 40 characters" })
  .regex(SLUG_PATTERN, {
    error: 'must be lower-case letters, digits and single hyphens (e.g. "clean-corridors")',
  });

/** An email address: trimmed and lower-cased so the same person is never two contacts. */
export const EmailSchema = z
  .string({ error: expecting("an email address") })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'must be a valid email address, e.g. "name@example.com"' }))
  // The pipe hides the format from z.toJSONSchema; state it so editors still check it.
  .meta({ format: "email", description: "Email address (stored lower-cased)" });

/**
 * The message for a value of the wrong type ("must be …", or "is required" when the field is absent).
 * Other problems (a bad record key, say) fall through to the parser's own wording.
 */
export function expecting(what: string): (issue: { code?: string; input?: unknown }) => string | undefined {
  return (issue) => {
    if (issue.code !== undefined && issue.code !== "invalid_type" && issue.code !== "invalid_value")
      return undefined;
    return issue.input === undefined ? "is required" : `must be ${what}`;
  };
}

/** Trimmed human text between `min` and `max` characters. */
export function text(min: number, max: number) {
  return z
    .string({ error: expecting("text") })
    .trim()
    .min(min, { error: min === 1 ? "must not be empty" : `must be at least ${min} characters` })
    .max(max, { error: `must be at most ${max} characters` });
}

/** A whole number of days within [min, max]. */
export function days(min: number, max: number) {
  return z
    .int({ error: expecting("a whole number of days") })
    .min(min, { error: `must be at least ${min} day${min === 1 ? "" : "s"}` })
    .max(max, { error: `must be at most ${max} days` });
}
