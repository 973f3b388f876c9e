// The one definition of the characters Concord never lets through raw, whatever the text: C0 and C1
// control characters and DEL (terminal escape sequences, BEL, forged lines in mail and logs), lone UTF-16
// surrogates (not text at all: encoders and SDKs throw on them), and the bidi embeddings, overrides and
// isolates that make what a reader sees differ from what is stored. Line breaks are the one control
// character free text keeps. Each place applies its own policy on top: the draft schema refuses, emails
// strip, the CLI shows them as escapes. The direction marks (U+200E, U+200F, U+061C) are ordinary in
// Hebrew and Arabic text and pass.
//
// Written as \u escapes for a regular expression character class in Unicode mode ("u"), where
// [\uD800-\uDFFF] matches lone surrogates only; the published JSON Schema's patterns use the same source.

/** Line breaks, in every spelling: free text keeps them (normalised to "\n"), one-line text refuses them. */
export const LINE_BREAK_CLASS = "\\n\\r\\u2028\\u2029";

/** Everything unsafe except line breaks, as the body of a character class. */
export const UNSAFE_CLASS =
  "\\u0000-\\u0009\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF\\u202A-\\u202E\\u2066-\\u2069";

const UNSAFE = new RegExp(`[${UNSAFE_CLASS}]`, "gu");

/** Whether a code point is a bidi embedding, override or isolate. */
export function isBidiControl(code: number): boolean {
  return (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

/** Whether a code point is unsafe (line breaks included: a caller that keeps them checks them first). */
export function isUnsafeCode(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0xd800 && code <= 0xdfff) ||
    code === 0x2028 ||
    code === 0x2029 ||
    isBidiControl(code)
  );
}

/** Line breaks as "\n", tabs as a space, every other unsafe character removed: text fit for an email. */
export function stripUnsafe(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029]/gu, "\n")
    .replace(/\t/g, " ")
    .replace(UNSAFE, "");
}
