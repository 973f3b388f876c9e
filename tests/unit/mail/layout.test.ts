import { describe, expect, it } from "vitest";
import { charterSummaryText } from "../../../functions/mail/charter-summary";
import { bullets, paragraphs, subjectLine, typed, withFooterLine } from "../../../functions/mail/layout";
import { returnedToDraft } from "../../../functions/mail/templates";
import { html } from "../../../functions/shared/html";

// Issue 7, defect 3: what partners type must never forge a line of an email or reach a terminal raw.

const HOSTILE_COMMENT =
  "Fine by us.\r\nBcc: everyone@example.com\nInjected line: APPROVED by all\u001b[2J\u0007\u202e";

describe("text parts of emails", () => {
  it("keep a typed comment's lines inside its bullet: no line of the email starts with what a partner wrote", () => {
    const { text } = returnedToDraft({
      allianceName: "Harbour",
      version: 2,
      reason: "Rejected.",
      comments: [{ partnerName: "Bolt", vote: "reject", comment: HOSTILE_COMMENT }],
    });
    const lines = text.split("\n");
    expect(lines.some((line) => /^(Bcc:|Injected line)/.test(line))).toBe(false);
    expect(lines).toContain("    Bcc: everyone@example.com");
    expect([...text].filter((c) => c !== "\n" && (c < " " || c === "\u007f" || c === "\u202e"))).toEqual([]);
  });

  it("keep a quoted clause of the charter inside its bullet", () => {
    const text = charterSummaryText({
      sections: [{ title: "Force majeure", lines: ['"War or flood.\nBcc: everyone@example.com"'] }],
    });
    expect(text.split("\n").some((line) => line.startsWith("Bcc:"))).toBe(false);
    expect(text).toContain("\n    Bcc: everyone@example.com");
  });

  it("remove control characters and bidi overrides, keeping line breaks", () => {
    expect(paragraphs("a\u0007b\r\nc\u202e\td")).toBe("ab\nc d");
    expect(typed("one\ntwo", "  ")).toBe("one\n  two");
    expect(bullets(["first\nsecond"])).toBe("  - first\n    second");
  });
});

describe("subjects", () => {
  it("are one clean line without control characters or bidi overrides", () => {
    expect(subjectLine("Harbour\u202e: \u001b]0;pwned\u0007vote\r\nnow")).toBe("Harbour: ]0;pwnedvote now");
  });
});

describe("a line under one recipient's footer", () => {
  it("goes under the footer of both parts, once, with a replacement pattern in it taken literally", () => {
    const email = returnedToDraft({ allianceName: "Harbour", version: 2, reason: "Rejected.", comments: [] });
    const line = {
      text: "Raise a concern: https://concord.example/c/x?s=$&",
      html: html`<a href="https://concord.example/c/x?s=$&amp;">raise</a>`,
    };
    const personal = withFooterLine(email, line);
    expect(personal.text.endsWith("\n\nRaise a concern: https://concord.example/c/x?s=$&")).toBe(true);
    expect(personal.html).toContain('<br><br><a href="https://concord.example/c/x?s=$&amp;">raise</a>');
    expect(personal.html.indexOf("raise</a>")).toBeGreaterThan(personal.html.indexOf("Sent by Concord"));
    expect(email.html).not.toContain("raise</a>");
  });

  it("keeps lines added one after another in that order, inside the footer", () => {
    const email = returnedToDraft({ allianceName: "Harbour", version: 2, reason: "Rejected.", comments: [] });
    const twice = withFooterLine(withFooterLine(email, { text: "First", html: html`First` }), {
      text: "Second",
      html: html`Second`,
    });
    expect(twice.text.endsWith("\n\nFirst\n\nSecond")).toBe(true);
    const footer = /<p style="max-width[^>]*>([\s\S]*?)<\/p>/.exec(twice.html)?.[1] ?? "";
    expect(footer).toMatch(/Sent by Concord[\s\S]*<br><br>First[\s\S]*<br><br>Second/);
  });
});
