// The one place HTML is escaped in the product: emails and partner pages build markup with the `html`
// tag below, so every interpolated value is escaped unless the code explicitly vouches for it with raw().

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

/**
 * Markup that is safe to insert as is: built by `html`, or vouched for with `raw`. The value lives in a
 * private field so a plain object (say, one that went through JSON) can never pass for safe markup.
 */
export class SafeHtml {
  readonly #markup: string;

  constructor(markup: string) {
    this.#markup = markup;
  }

  /** The markup as a string. */
  toString(): string {
    return this.#markup;
  }
}

/** What `html` accepts: text (escaped), numbers, safe markup, lists of these, and nothing (null, undefined, false). */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

/** Marks markup as safe, so `html` inserts it unescaped. Only for markup the code wrote itself. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * Tagged template for markup: html`<p>${name}</p>` escapes `name`; SafeHtml values (nested html``, raw())
 * go in unchanged; lists are concatenated; null, undefined and false render nothing, so
 * `${condition && html`...`}` works.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? "");
  });
  return new SafeHtml(out);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map((item: HtmlValue) => render(item)).join("");
  return escapeHtml(String(value));
}
