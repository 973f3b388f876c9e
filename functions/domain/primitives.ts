import * as z from "zod";
import { isBidiControl, LINE_BREAK_CLASS, UNSAFE_CLASS } from "../shared/text";

// Characters no text field may hold. Lone UTF-16 surrogates are not text at all (encoders and SDKs throw
// on them); C0/C1 controls and DEL drive terminals (ESC sequences, BEL) and forge lines in mail and logs;
// bidi embeddings, overrides, isolates and marks make what a reader sees differ from what is stored.
// The ranges are spelled as \u escapes (not \p{…}) so the published JSON Schema's pattern compiles in
// every validator; in Unicode mode (as JSON Schema asks), [\uD800-\uDFFF] matches lone surrogates only.
// The set itself is defined once, in functions/shared/text.ts; here it is refused.
const UNSAFE_ALWAYS = UNSAFE_CLASS;
// Line breaks: a name is one line (a break splits rows and forges lines); free text may hold them.
const LINE_BREAKS = LINE_BREAK_CLASS;

const SINGLE_LINE_PATTERN = new RegExp(`^[^${UNSAFE_ALWAYS}${LINE_BREAKS}]*$`, "u");
const MULTI_LINE_PATTERN = new RegExp(`^[^${UNSAFE_ALWAYS}]*$`, "u");
const UNSAFE_CHAR = new RegExp(`[${UNSAFE_ALWAYS}]`, "u");
const LINE_BREAK_CHAR = new RegExp(`[${LINE_BREAKS}]`, "u");

const isSurrogate = (code: number) => code >= 0xd800 && code <= 0xdfff;

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
  .regex(SINGLE_LINE_PATTERN, {
    error: (issue) => unsafeTextProblem(String(issue.input), { lineBreaks: false }),
    abort: true,
  })
  // RFC 5321's limit on a forward path; nothing longer can be delivered.
  .max(254, { error: "must be at most 254 characters", abort: true })
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

/**
 * Why `value` is not safe text, naming the first offending character and its position (counted in
 * characters as a person sees them, from 1), or undefined when it is.
 */
export function unsafeTextProblem(
  value: string,
  { lineBreaks }: { lineBreaks: boolean },
): string | undefined {
  const unsafe = UNSAFE_CHAR.exec(value);
  const lineBreak = lineBreaks ? null : LINE_BREAK_CHAR.exec(value);
  const found = [unsafe, lineBreak].filter((match) => match !== null).sort((a, b) => a.index - b.index)[0];
  if (found === undefined) return undefined;
  const code = found[0].charCodeAt(0);
  const at = `at character ${[...value.slice(0, found.index)].length + 1}`;
  if (found === lineBreak) return `must be a single line (a line break ${at})`;
  if (isSurrogate(code)) return `must be well-formed Unicode (a lone surrogate ${at})`;
  if (isBidiControl(code))
    return `must not contain invisible text-direction controls (${codePoint(code)} ${at})`;
  if (code === 0x09) return `must not contain tabs (a tab ${at}; use spaces)`;
  return `must not contain control characters (${codePoint(code)} ${at})`;
}

function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Trimmed text on one line, between `min` and `max` characters: names, labels, list items. Refuses lone
 * surrogates, control characters (line breaks and tabs included) and bidi controls, naming the first.
 */
export function singleLine(min: number, max: number) {
  return (
    z
      .string({ error: expecting("text") })
      // Judged after trimming: a stray break or tab at either end never reaches a reader.
      .trim()
      .regex(SINGLE_LINE_PATTERN, {
        error: (issue) => unsafeTextProblem(String(issue.input), { lineBreaks: false }),
        abort: true,
      })
      .min(min, { error: min === 1 ? "must not be empty" : `must be at least ${min} characters` })
      .max(max, { error: `must be at most ${max} characters` })
  );
}

/**
 * Trimmed free text that may run over several lines, between `min` and `max` characters: purposes,
 * descriptions, clauses. Line breaks are kept, stored as "\n" whatever the writer's platform used;
 * lone surrogates, every other control character (tabs included) and bidi controls are refused.
 */
export function multiLine(min: number, max: number) {
  return z
    .string({ error: expecting("text") })
    .overwrite((value) => value.replace(/\r\n?|[\u2028\u2029]/gu, "\n"))
    .trim()
    .regex(MULTI_LINE_PATTERN, {
      error: (issue) => unsafeTextProblem(String(issue.input), { lineBreaks: true }),
      abort: true,
    })
    .min(min, { error: min === 1 ? "must not be empty" : `must be at least ${min} characters` })
    .max(max, { error: `must be at most ${max} characters` });
}

/**
 * A refinement for a list whose repeated entries mean nothing (owners, roles, labels): each repeat is an
 * error at its index (plus `at` inside the item), e.g. `repeats the owner "harbor-rail"`. `label` is the
 * item as the message quotes it (default: the item); two items are the same when their labels match
 * ignoring case and Unicode normalisation.
 */
export function noRepeats<T>(
  what: string,
  { label = String, at = [] }: { label?: (item: T) => string; at?: readonly PropertyKey[] } = {},
) {
  return (items: readonly T[], ctx: z.RefinementCtx<T[]>) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const shown = label(item);
      const key = shown.normalize("NFC").toLowerCase();
      if (seen.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: [index, ...at],
          message: `repeats ${what} ${JSON.stringify(shown)}`,
        });
      }
      seen.add(key);
    });
  };
}

/** A whole number of days within [min, max]. */
export function days(min: number, max: number) {
  return z
    .int({ error: expecting("a whole number of days") })
    .min(min, { error: `must be at least ${min} day${min === 1 ? "" : "s"}` })
    .max(max, { error: `must be at most ${max} days` });
}
