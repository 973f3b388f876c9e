import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type AllianceDetail, commands, detailText } from "../../../cli/commands";

const revise = commands.find((c) => c.words.join(" ") === "alliances revise");

function files() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "concord-revise-"));
  const draft = path.join(dir, "draft.json");
  const answers = path.join(dir, "answers.yaml");
  writeFileSync(draft, JSON.stringify({ name: "Pilot" }));
  writeFileSync(answers, "lumen-analytics: We lengthened the notice period to 30 days.\n");
  return { draft, answers };
}

/** Runs `alliances revise` with `options`; the API answers `answer`. What the command sent, and what it printed. */
async function runRevise(options: Record<string, string>, answer: Record<string, unknown> = {}) {
  const { draft, answers } = files();
  const sent: unknown[] = [];
  const result = await revise?.run({
    args: ["pilot-1a2b3c4d", draft],
    options: Object.fromEntries(
      Object.entries(options).map(([name, value]) => [name, value === "FILE" ? answers : value]),
    ),
    progress: () => {},
    call: async <T>(_method: string, _route: string, body?: unknown) => {
      sent.push(body);
      return {
        id: "pilot-1a2b3c4d",
        version: 2,
        mode: "full",
        executionArn: "arn",
        auditFindings: [],
        ...answer,
      } as T;
    },
  });
  return { sent, text: result?.text ?? "" };
}

describe("alliances revise", () => {
  it("sends the answers file beside the draft, and names the comments left without an answer", async () => {
    const { sent, text } = await runRevise({ answers: "FILE" }, { unansweredComments: ["riverside-makers"] });
    expect(sent).toEqual([
      {
        draft: { name: "Pilot" },
        answers: { "lumen-analytics": "We lengthened the notice period to 30 days." },
      },
    ]);
    expect(text).toContain("No answer to the comments of riverside-makers");
  });

  it("sends the bare draft when there are no answers", async () => {
    const { sent, text } = await runRevise({});
    expect(sent).toEqual([{ name: "Pilot" }]);
    expect(text).not.toContain("No answer");
  });
});

describe("alliances show: the comments with the charter votes", () => {
  const base: AllianceDetail = {
    id: "pilot-1a2b3c4d",
    name: "Pilot",
    status: "ACTIVE",
    mode: "full",
    version: 2,
    partners: [],
    auditFindings: [],
    pendingRequests: [],
    timeline: [],
  } as unknown as AllianceDetail;

  it("prints every version's comments, oldest first", () => {
    const text = detailText({
      ...base,
      charterComments: [
        {
          version: 1,
          outcome: "not approved",
          comments: [{ partnerId: "lumen", vote: "reject", comment: "Too short" }],
        },
        {
          version: 2,
          outcome: "approved",
          comments: [{ partnerId: "lumen", vote: "approve", comment: "Fine now" }],
        },
      ],
    });
    expect(text).toContain(
      "Comments with the charter votes:\n  charter v1 (not approved):\n    lumen (reject): Too short\n  charter v2 (approved):\n    lumen (approve): Fine now",
    );
  });

  it("falls back to the last rejection's comments for a vote the timeline holds none for", () => {
    const text = detailText({
      ...base,
      status: "DRAFT",
      lastRejection: {
        at: "2026-01-01T00:00:00Z",
        version: 1,
        reason: "1 of 2 approved",
        comments: [{ partnerId: "lumen", vote: "reject", comment: "Too short" }],
      },
    });
    expect(text).toContain("Charter v1 was not approved: 1 of 2 approved");
    expect(text).toContain("  charter v1 (not approved):\n    lumen (reject): Too short");
  });
});
