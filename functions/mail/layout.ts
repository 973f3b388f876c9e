import { html, raw, type SafeHtml } from "../shared/html";
import { stripUnsafe } from "../shared/text";

/** A rendered email: both parts carry the same content. */
export interface Email {
  subject: string;
  text: string;
  html: string;
}

/** A link in an email was not an absolute http(s) URL (a relative link is useless in a mail client). */
export class InvalidLinkError extends Error {
  constructor(field: string, value: string) {
    super(`${field}: "${value}" is not an absolute http(s) URL`);
    this.name = "InvalidLinkError";
  }
}

/** Returns `link` unchanged if it is an absolute http(s) URL; throws InvalidLinkError otherwise. */
export function absoluteLink(link: string, field = "link"): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new InvalidLinkError(field, link);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new InvalidLinkError(field, link);
  return link;
}

/**
 * Text with line breaks normalised to "\n" and every other unsafe character (control characters, lone
 * surrogates, bidi overrides; see functions/shared/text.ts) removed: no email carries them.
 */
export function cleanText(text: string): string {
  return stripUnsafe(text);
}

/** A subject on one clean line: names may carry line breaks or controls, which a mail header cannot. */
export function subjectLine(subject: string): string {
  return cleanText(subject).replace(/\s+/g, " ").trim();
}

/**
 * Text someone typed, placed inside a line of an email's text part: its own line breaks are indented, so
 * nothing a partner writes can start a line of the email (a forged "Bcc:" or "APPROVED by all").
 */
export function typed(text: string, indent = "    "): string {
  return cleanText(text).replace(/\n/g, `\n${indent}`);
}

/** Joins plain-text paragraphs with a blank line, skipping the absent ones; control characters are removed. */
export function paragraphs(...parts: readonly (string | false | undefined | null)[]): string {
  return parts
    .filter((part): part is string => typeof part === "string" && part !== "")
    .map(cleanText)
    .join("\n\n");
}

/** A plain-text bullet list; an item's own line breaks stay inside its bullet. */
export function bullets(items: readonly string[], indent = "  "): string {
  return items.map((item) => `${indent}- ${typed(item, `${indent}  `)}`).join("\n");
}

// Where a line for one recipient (their own "raise a concern" link) goes in a document rendered for many.
const FOOTER_SLOT = "<!--footer-line-->";

/**
 * The email with one more line under its footer, in both parts: for what the templates do not know (the organiser)
 * or what differs per recipient in an email rendered once for all (a personal link). The text part gets it as its
 * last paragraph; lines added one after another appear in that order.
 */
export function withFooterLine(email: Email, line: { text: string; html: SafeHtml }): Email {
  return {
    subject: email.subject,
    text: `${email.text}\n\n${cleanText(line.text)}`,
    // Before the slot, which stays for the next line; a function, so no "$&" in the line is a replacement pattern.
    html: email.html.replace(FOOTER_SLOT, () => `${html`<br><br>${line.html}`}${FOOTER_SLOT}`),
  };
}

// A long word, address or link a partner typed wraps instead of widening the email past a phone's screen.
const WRAP = "overflow-wrap:anywhere;word-break:break-word;";
const FONT = "font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#18181b;";

/**
 * A full HTML email: a centred white card at most 640 px wide that narrows to a phone's screen, inline styles only
 * (clients drop <style>), no images or scripts.
 */
export function emailDocument(input: { title: string; body: SafeHtml; footer: string }): string {
  const width = 640;
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title}</title>
</head>
<body style="margin:0;padding:0;background:#f4f4f5;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f5;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:${width}px;background:#ffffff;border:1px solid #e4e4e7;">
<tr><td style="padding:24px;${FONT}${WRAP}">
${input.body}
</td></tr>
</table>
<p style="max-width:${width}px;margin:12px auto 0;font-family:Arial,Helvetica,sans-serif;font-size:12px;line-height:1.4;color:#71717a;${WRAP}">${input.footer}${raw(FOOTER_SLOT)}</p>
</td></tr>
</table>
</body>
</html>
`.toString();
}

/** A prominent link plus the URL written out, so it can be copied when a client hides buttons. */
export function actionLink(link: string, label: string): SafeHtml {
  return html`<p style="margin:20px 0;"><a href="${link}" style="display:inline-block;background:#1d4ed8;color:#ffffff;padding:12px 20px;text-decoration:none;border-radius:4px;font-weight:bold;">${label}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#52525b;">Or open this link: <a href="${link}" style="color:#1d4ed8;word-break:break-all;">${link}</a></p>`;
}

/** A paragraph. */
export function para(content: string | SafeHtml): SafeHtml {
  return html`<p style="margin:0 0 12px;">${content}</p>`;
}

/** An HTML bullet list. */
export function list(items: readonly (string | SafeHtml)[]): SafeHtml {
  return html`<ul style="margin:0 0 12px;padding-left:20px;">${items.map((item) => html`<li style="margin:2px 0;">${item}</li>`)}</ul>`;
}

/** A small heading. */
export function heading(content: string): SafeHtml {
  return html`<h2 style="margin:20px 0 8px;font-size:17px;">${content}</h2>`;
}
