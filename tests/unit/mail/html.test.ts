import { describe, expect, it } from "vitest";
import { escapeHtml, html, raw } from "../../../functions/shared/html";

describe("escapeHtml", () => {
  it("escapes the five characters that matter in content and quoted attributes", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });
});

describe("html tag", () => {
  it("escapes interpolated text but keeps the template's own markup", () => {
    const name = `<script>alert(1)</script>`;
    expect(html`<p class="x">${name}</p>`.toString()).toBe(
      `<p class="x">&lt;script&gt;alert(1)&lt;/script&gt;</p>`,
    );
  });

  it("inserts nested html and raw() markup unchanged, and concatenates lists", () => {
    const items = ["a<b", "c"].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${raw("<hr>")}`.toString()).toBe("<ul><li>a&lt;b</li><li>c</li></ul><hr>");
  });

  it("renders nothing for null, undefined and false, and numbers as text", () => {
    expect(html`[${null}${undefined}${false}${0}${2.5}]`.toString()).toBe("[02.5]");
  });
});
