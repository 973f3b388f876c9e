import { isUnsafeCode } from "../functions/shared/text";

// What the CLI prints reaches a terminal, and much of it was written by other people (alliance and partner
// names, partners' comments, timeline summaries). A terminal acts on control characters: ESC starts
// sequences that clear the screen, set colours or the window title; CR and BEL rewrite and ring; C1 codes
// (U+0080–U+009F) are controls too in some terminals; bidi overrides reorder what is shown. So nothing
// non-printable is written raw: each is shown as a visible escape ("\x1b", "\u202e").

/**
 * Whether a code point is one a terminal would act on rather than show: Concord's unsafe set (one
 * definition, functions/shared/text.ts) plus the invisible direction marks, which a terminal should not
 * get raw either.
 */
function isControl(code: number): boolean {
  return isUnsafeCode(code) || code === 0x061c || code === 0x200e || code === 0x200f;
}

function visible(code: number): string {
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

function escapeControls(text: string, keepNewlines: boolean): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === "\n" && keepNewlines) out += char;
    else if (char === "\r") out += "\\r";
    else if (char === "\n") out += "\\n";
    else if (char === "\t") out += "\\t";
    else out += isControl(code) ? visible(code) : char;
  }
  return out;
}

/**
 * Text as the CLI writes it to a terminal: every control character shown as a visible escape, except the
 * line feeds that separate the lines of the output.
 */
export function forTerminal(text: string): string {
  return escapeControls(text, true);
}

/** One value on one line (a table cell, a name in a sentence): its own line breaks are shown as \n too. */
export function oneLine(value: unknown): string {
  return escapeControls(String(value), false);
}

/**
 * A line of output with each interpolated value on one line: what a value holds cannot start a line of
 * its own (a comment saying "\nAPPROVED by all" stays inside its sentence).
 */
export function line(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? oneLine(values[i]) : ""), "");
}

/**
 * JSON for a terminal. JSON.stringify already escapes C0 controls and lone surrogates; DEL, C1 controls and
 * bidi marks it leaves raw are escaped here as \uXXXX, so the output is the same JSON value.
 */
export function jsonForTerminal(value: unknown): string {
  let out = "";
  for (const char of JSON.stringify(value, null, 2) ?? "null") {
    const code = char.codePointAt(0) ?? 0;
    out += char !== "\n" && isControl(code) ? `\\u${code.toString(16).padStart(4, "0")}` : char;
  }
  return out;
}
