import { describe, expect, it } from "vitest";
import { EmailSchema, multiLine, parseWith, singleLine } from "../../../functions/domain";

const name = singleLine(1, 120);
const freeText = multiLine(1, 2000);

function problems(schema: Parameters<typeof parseWith>[0], input: unknown): string[] {
  const result = parseWith(schema, input);
  return result.ok ? [] : result.errors.map((error) => error.message);
}

describe("singleLine (names, labels, list items)", () => {
  it.each([
    [
      "a lone high surrogate",
      "Lumen \ud800 Analytics",
      "must be well-formed Unicode (a lone surrogate at character 7)",
    ],
    ["a lone low surrogate", "\udc00Lumen", "must be well-formed Unicode (a lone surrogate at character 1)"],
    ["ESC", "Lumen\u001b[2J", "must not contain control characters (U+001B at character 6)"],
    ["BEL", "Lumen\u0007", "must not contain control characters (U+0007 at character 6)"],
    ["DEL", "Lu\u007fmen", "must not contain control characters (U+007F at character 3)"],
    ["a C1 control (NEL)", "Lu\u0085men", "must not contain control characters (U+0085 at character 3)"],
    ["NUL", "Lu\u0000men", "must not contain control characters (U+0000 at character 3)"],
    ["LF", "Lumen\nInjected line: APPROVED by all", "must be a single line (a line break at character 6)"],
    ["CR", "Lumen\rInjected", "must be a single line (a line break at character 6)"],
    ["CR LF", "Lumen\r\nBcc: all@example.com", "must be a single line (a line break at character 6)"],
    [
      "a Unicode line separator",
      "Lumen\u2028Analytics",
      "must be a single line (a line break at character 6)",
    ],
    ["a tab", "Lumen\tAnalytics", "must not contain tabs (a tab at character 6; use spaces)"],
    [
      "RIGHT-TO-LEFT OVERRIDE",
      "Lumen \u202escitylanA",
      "must not contain invisible text-direction controls (U+202E at character 7)",
    ],
    [
      "a directional isolate",
      "\u2066Lumen\u2069",
      "must not contain invisible text-direction controls (U+2066 at character 1)",
    ],
  ])("refuses %s, saying which character and where", (_what, input, message) => {
    expect(problems(name, input)).toEqual([message]);
  });

  it("accepts the direction marks Hebrew and Arabic text uses (they reorder nothing)", () => {
    expect(problems(name, "שלום\u200f Lumen \u200e عربي\u061c")).toEqual([]);
  });

  it("counts the position in characters a person sees, so an emoji before the fault counts once", () => {
    expect(problems(name, "🚲 Lumen\u001b")).toEqual([
      "must not contain control characters (U+001B at character 8)",
    ]);
  });

  it.each([
    "Harbor & Rail Logistics",
    "Zoë Ødegård-Ñúñez",
    "شركة الممرات النظيفة",
    "קואופרטיב ריברסייד",
    "北风远程信息",
    "Cargo bikes 🚲 (12)",
  ])("accepts %s: text in any script, emoji included", (input) => {
    expect(parseWith(name, input)).toEqual({ ok: true, value: input });
  });

  it("trims before judging (a break at either end never reaches a reader) and checks the length", () => {
    expect(parseWith(name, "  Lumen  ")).toEqual({ ok: true, value: "Lumen" });
    expect(parseWith(name, "Lumen Analytics\r\n")).toEqual({ ok: true, value: "Lumen Analytics" });
    expect(problems(name, "x".repeat(121))).toEqual(["must be at most 120 characters"]);
    expect(problems(name, "   ")).toEqual(["must not be empty"]);
  });
});

describe("multiLine (purposes, descriptions, clauses)", () => {
  it("keeps line breaks, stored as \\n whatever the writer's platform used", () => {
    expect(parseWith(freeText, "First line.\r\nSecond line.\rThird.\nFourth.\u2028Fifth.")).toEqual({
      ok: true,
      value: "First line.\nSecond line.\nThird.\nFourth.\nFifth.",
    });
  });

  it.each([
    [
      "ESC",
      "Fine.\n\u001b[2J\u001b]0;APPROVED\u0007",
      "must not contain control characters (U+001B at character 7)",
    ],
    ["BEL", "Fine.\u0007", "must not contain control characters (U+0007 at character 6)"],
    ["a tab", "Fine.\n\tIndented", "must not contain tabs (a tab at character 7; use spaces)"],
    [
      "RIGHT-TO-LEFT OVERRIDE",
      "Fine \u202e.enif",
      "must not contain invisible text-direction controls (U+202E at character 6)",
    ],
    ["a lone surrogate", "Fine\ud800", "must be well-formed Unicode (a lone surrogate at character 5)"],
  ])("refuses %s", (_what, input, message) => {
    expect(problems(freeText, input)).toEqual([message]);
  });
});

describe("EmailSchema", () => {
  it("refuses a lone surrogate as malformed text, not as a mere bad address", () => {
    expect(problems(EmailSchema, "noor\ud800@example.com")).toEqual([
      "must be well-formed Unicode (a lone surrogate at character 5)",
    ]);
  });

  it("refuses an address no mail server would deliver (over 254 characters)", () => {
    expect(problems(EmailSchema, `${"a".repeat(250)}@example.com`)).toEqual([
      "must be at most 254 characters",
    ]);
  });

  it("refuses a line break that would forge a header line", () => {
    expect(problems(EmailSchema, "noor@example.com\r\nBcc: all@example.com")).toEqual([
      "must be a single line (a line break at character 17)",
    ]);
  });
});
