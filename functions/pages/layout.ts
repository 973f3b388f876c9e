import { html, raw, type SafeHtml } from "../shared/html";
import { COMMON_HEADERS } from "../shared/http";

/** A rendered partner page: the HTTP status and a complete UTF-8 HTML document. */
export interface Page {
  statusCode: number;
  html: string;
}

/**
 * Response headers every partner page should carry. The URL holds the link's secret, so no referrer
 * leaves the page and nothing is cached; the CSP forbids scripts outright (the pages have none) and
 * lets forms post only back to Concord.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  ...COMMON_HEADERS,
  "content-type": "text/html; charset=utf-8",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

// Written here, never from input: the one raw() in the pages.
const STYLE = `
body{margin:0;background:#f4f4f5;color:#18181b;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
main{max-width:720px;margin:0 auto;padding:24px 16px}
.card{background:#fff;border:1px solid #e4e4e7;border-radius:8px;padding:20px 24px;margin:0 0 16px}
.eyebrow{margin:0;color:#52525b;font-size:14px}
h1{font-size:24px;line-height:1.25;margin:4px 0 12px}
h2{font-size:19px;margin:20px 0 8px}
h3{font-size:16px}
label{display:block;font-weight:600;margin:16px 0 4px}
.hint{display:block;font-weight:400;color:#52525b;font-size:14px}
input[type=text],textarea,select{box-sizing:border-box;width:100%;font:inherit;padding:8px;border:1px solid #a1a1aa;border-radius:4px}
textarea{min-height:7em}
fieldset{border:1px solid #e4e4e7;border-radius:4px;margin:16px 0 0;padding:8px 16px}
legend{font-weight:600;padding:0 4px}
.choice{font-weight:400;margin:8px 0}
button{margin-top:16px;font:inherit;font-weight:600;padding:10px 20px;border:0;border-radius:4px;background:#1d4ed8;color:#fff;cursor:pointer}
button.secondary{background:#52525b}
.error{color:#b91c1c;font-weight:600;margin:4px 0 0}
.errors{border:2px solid #b91c1c;border-radius:4px;padding:8px 16px;margin:0 0 16px}
.invalid{border-color:#b91c1c}
footer{color:#71717a;font-size:13px}
`;

// Where the alliance's organiser is named, once the page's caller knows the alliance (see withOrganiser).
const ORGANISER_SLOT = "<!--organiser-->";

/** The page with the alliance's organiser named at its foot: who to ask about anything on it. */
export function withOrganiser(
  page: Page,
  organiser: { name: string; organisation: string; email: string } | undefined,
): Page {
  if (!organiser) return page;
  const line = html`<p>This alliance is organised by <strong>${organiser.name}</strong> (${organiser.organisation}), <a href="mailto:${organiser.email}">${organiser.email}</a>: ask them about anything on this page.</p>`;
  return { ...page, html: page.html.replace(ORGANISER_SLOT, () => line.toString()) };
}

/** A full partner page: no scripts, no external resources, never indexed, readable on a phone. */
export function pageDocument(input: {
  title: string;
  /** Shown above the heading when known. */
  allianceName?: string;
  body: SafeHtml;
}): string {
  const title = input.allianceName === undefined ? input.title : `${input.title} — ${input.allianceName}`;
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>${title} · Concord</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<main>
<div class="card">
${input.allianceName !== undefined && html`<p class="eyebrow">Alliance: ${input.allianceName}</p>`}
<h1>${input.title}</h1>
${input.body}
</div>
<footer>${raw(ORGANISER_SLOT)}<p>Concord runs this alliance's decisions by email. This page is personal to the link you received; please do not share it.</p></footer>
</main>
</body>
</html>
`.toString();
}
