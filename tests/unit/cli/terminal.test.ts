import { describe, expect, it } from "vitest";
import { commands, detailText, localTime, table, timeZoneName } from "../../../cli/commands";
import { forTerminal, jsonForTerminal } from "../../../cli/terminal";

// The CLI prints text other people wrote (names, comments, timeline summaries) to an admin's terminal:
// no control character may reach it raw, and a value's own line breaks may not start a line of output.

/** Any C0 control but the line feed, DEL, C1 controls, bidi marks, embeddings, overrides and isolates. */
function rawControls(text: string): string[] {
  return [...text].filter((char) => {
    const code = char.codePointAt(0) ?? 0;
    return (
      (code < 0x20 && char !== "\n") ||
      (code >= 0x7f && code <= 0x9f) ||
      [0x061c, 0x200e, 0x200f].includes(code) ||
      (code >= 0x2028 && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069)
    );
  });
}

const hostile =
  "Fine by us\u001b[2J\u001b]0;pwned\u0007\r\nInjected line: APPROVED by all \u202eevil\u009b31m";

function allianceDetail(comment: string) {
  return {
    id: "lumen-1a2b3c4d",
    name: "Lumen\nAlliance",
    status: "DRAFT",
    mode: "full",
    version: 2,
    createdAt: "2026-01-01T00:00:00Z",
    purpose: "Shared footfall data",
    partners: [
      {
        id: "lumen",
        name: "Lumen \u001b[31mAnalytics",
        sizeClass: "small",
        votingWeight: 1,
        contacts: [{ name: "Ada\rEve", email: "ada@lumen.example", role: "lead" }],
      },
    ],
    pendingRequests: [],
    timeline: [
      { at: "2026-01-01T00:00:00Z", type: "x", summary: `Summary ${comment}`, actor: { kind: "admin" } },
    ],
    auditFindings: [],
    lastRejection: {
      at: "2026-01-02T00:00:00Z",
      version: 1,
      reason: "a partner voted no",
      comments: [{ partnerId: "lumen", vote: "no", comment }],
    },
  };
}

describe("CLI text output", () => {
  it("shows a comment's ESC sequences, BEL, CR/LF and bidi override as visible escapes", () => {
    const printed = forTerminal(detailText(allianceDetail(hostile)));

    expect(rawControls(printed)).toEqual([]);
    expect(printed).toContain("\\x1b[2J");
    expect(printed).toContain("\\x07");
    expect(printed).toContain("\\r\\nInjected line");
    expect(printed).toContain("\\u202e");
    expect(printed).toContain("\\x9b");
  });

  it("never lets a value start a line of its own (no forged line)", () => {
    const printed = forTerminal(detailText(allianceDetail(hostile)));

    for (const line of printed.split("\n")) expect(line).not.toMatch(/^\s*Injected line/);
    expect(printed.split("\n")[0]).toBe("Lumen\\nAlliance (lumen-1a2b3c4d)");
  });

  it("keeps a name with a line break in one row of the alliance table", () => {
    const printed = forTerminal(
      table([
        ["ID", "NAME", "STATUS"],
        ["a-00000001", "Lumen\nForged row\r", "DRAFT"],
        ["b-00000002", "Plain", "ACTIVE"],
      ]),
    );

    const rows = printed.split("\n");
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatch(/^a-00000001 {2}Lumen\\nForged row\\r {2}DRAFT$/);
    expect(rows[2]?.indexOf("ACTIVE")).toBe(rows[1]?.indexOf("DRAFT"));
  });

  it("prints a page of `alliances list` with hostile names in one row each and says how to see more", async () => {
    const list = commands.find((c) => c.words.join(" ") === "alliances list");
    const result = await list?.run({
      args: [],
      options: {},
      progress: () => {},
      call: async <T>() =>
        ({
          alliances: [
            {
              id: "a-00000001",
              name: "Two\nlines\u0007",
              status: "DRAFT",
              mode: "full",
              version: 1,
              createdAt: "",
            },
          ],
          nextToken: "abc.def",
        }) as T,
    });

    const printed = forTerminal(result?.text ?? "");
    expect(rawControls(printed)).toEqual([]);
    expect(printed.split("\n")[1]).toContain("Two\\nlines\\x07");
    expect(printed).toContain("--next-token abc.def");
    expect(printed).toContain("--all");
  });

  it("says in `alliances list` whom each alliance waits on, and by when", async () => {
    const list = commands.find((c) => c.words.join(" ") === "alliances list");
    const summary = { status: "FORMING", mode: "full", version: 1, createdAt: "" };
    const result = await list?.run({
      args: [],
      options: {},
      progress: () => {},
      call: async <T>() =>
        ({
          alliances: [
            {
              id: "a-00000001",
              name: "Waiting",
              ...summary,
              waitingOn: [
                { partnerId: "riverside", kind: "charter-approval", deadline: "2026-12-17T12:00:00.000Z" },
                { partnerId: "lumen", kind: "charter-approval", deadline: "2026-12-18T12:00:00.000Z" },
              ],
            },
            { id: "a-00000002", name: "Idle", ...summary, waitingOn: [] },
          ],
        }) as T,
    });
    const [header, waiting, idle] = (result?.text ?? "").split("\n");
    expect(header).toContain("WAITING ON");
    expect(waiting).toMatch(/riverside, lumen \(charter-approval\) by 2026-12-1[78]$/);
    expect(idle).toMatch(/ -$/);
  });
});

describe("CLI JSON output", () => {
  it("is the same JSON value with no raw control character, C1 code or bidi override", () => {
    const value = { comment: hostile, name: "Lone \ud800 surrogate\u0085" };

    const printed = jsonForTerminal(value);

    expect(rawControls(printed)).toEqual([]);
    expect(JSON.parse(printed)).toEqual(value);
  });
});

describe("alliances list --all", () => {
  it("follows every nextToken, reports progress, and prints everything it fetched", async () => {
    const list = commands.find((c) => c.words.join(" ") === "alliances list");
    const routes: string[] = [];
    const progress: string[] = [];
    const pages: Record<string, { alliances: { id: string }[]; nextToken?: string }> = {
      "": { alliances: [{ id: "c" }, { id: "b" }], nextToken: "t1" },
      t1: { alliances: [{ id: "a" }] },
    };

    const result = await list?.run({
      args: [],
      options: { all: true },
      progress: (message) => progress.push(message),
      call: async <T>(_method: string, route: string) => {
        routes.push(route);
        return pages[new URL(route, "http://x").searchParams.get("nextToken") ?? ""] as T;
      },
    });

    expect(routes).toEqual(["/admin/alliances?limit=100", "/admin/alliances?limit=100&nextToken=t1"]);
    expect(progress).toEqual(["fetched 2 alliances so far…"]);
    expect(result?.json).toEqual({ alliances: [{ id: "c" }, { id: "b" }, { id: "a" }] });
  });
});

describe("times in alliances show", () => {
  it("are the reader's local date and time, the zone named once over the timeline", () => {
    expect(localTime("2026-12-03T06:38:00Z", "Europe/Berlin")).toBe("2026-12-03 07:38");
    expect(localTime("2026-12-03T23:38:00Z", "Asia/Tokyo")).toBe("2026-12-04 08:38");
    expect(localTime("not a date")).toBe("not a date");
    expect(detailText(allianceDetail("Acme"))).toContain(`Timeline (${timeZoneName()}):`);
  });
});
