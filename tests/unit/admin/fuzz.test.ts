import { readFileSync } from "node:fs";
import path from "node:path";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handler } from "../../../functions/handlers/admin-http";
import { testConfig } from "../requests/fixtures";

// Issue 7: the admin API under generated hostile drafts. Whatever the strings (lone surrogates, control
// characters, bidi overrides, huge lengths) and list sizes, the answer is a 201 or a bounded, field-naming
// 4xx — never a 500 — and nothing malformed is ever stored.

const ROOT = path.resolve(import.meta.dirname, "../../..");
const example = JSON.parse(readFileSync(path.join(ROOT, "examples/pilot-three-partners.json"), "utf8"));
const dynamo = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
let restoreConfig = () => {};

beforeAll(() => {
  restoreConfig = testConfig();
  process.env.FORMATION_STATE_MACHINE_ARN =
    "arn:aws:states:us-east-1:000000000000:stateMachine:concord-formation";
  dynamo.on(TransactWriteCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(GetCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [] });
  sfn
    .on(StartExecutionCommand)
    .resolves({ executionArn: "arn:aws:states:::execution:x", startDate: new Date() });
});
afterAll(() => {
  restoreConfig();
  dynamo.restore();
  sfn.restore();
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every place in a JSON value that holds a string or a list, as paths. */
function places(
  value: Json,
  at: (string | number)[] = [],
  found: { strings: (string | number)[][]; lists: (string | number)[][] } = { strings: [], lists: [] },
) {
  if (typeof value === "string") found.strings.push(at);
  else if (Array.isArray(value)) {
    found.lists.push(at);
    for (const [index, item] of value.entries()) places(item, [...at, index], found);
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) places(item, [...at, key], found);
  }
  return found;
}

function setAt(root: Json, at: (string | number)[], next: (old: Json) => Json): void {
  const parent = at
    .slice(0, -1)
    .reduce<Json>((node, key) => (node as Record<string, Json>)[key] as Json, root);
  const key = at.at(-1);
  if (parent && typeof parent === "object" && key !== undefined) {
    const record = parent as Record<string | number, Json>;
    record[key] = next(record[key] as Json);
  }
}

const hostileString = fc.oneof(
  fc.constantFrom(
    "Lumen \ud800 Analytics",
    "\udfff",
    "a\u001b[2Jb",
    "bell\u0007",
    "line\r\nbreak",
    "tab\there",
    "\u202eevil",
    "\u0085next",
    "",
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.integer({ min: 1_000, max: 300_000 }).map((n) => "x".repeat(n)),
);

const mutation = fc.record({
  kind: fc.constantFrom("string", "list"),
  pick: fc.nat(),
  text: hostileString,
  size: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1_000, max: 40_000 })),
});

// Bodies stay under 3 MB: enough to cross every limit, small enough for a quick run. (Items of a grown list
// are shared objects, so growing a list inside a grown list would multiply without this.)
const MAX_BODY = 3_000_000;

function mutate(mutations: { kind: string; pick: number; text: string; size: number }[]): Json {
  const draft = structuredClone(example) as Json;
  for (const m of mutations) {
    const before = JSON.stringify(draft).length;
    const { strings, lists } = places(draft);
    if (m.kind === "string" && strings.length > 0) {
      if (before + m.text.length * 6 > MAX_BODY) continue;
      setAt(draft, strings[m.pick % strings.length] ?? [], () => m.text);
    } else if (lists.length > 0) {
      const at = lists[m.pick % lists.length] ?? [];
      const old = at.reduce<Json>((node, key) => (node as Record<string, Json>)[key] as Json, draft);
      const items = Array.isArray(old) ? old : [];
      const itemSize = Math.max(...items.map((item) => JSON.stringify(item).length), m.text.length + 2);
      if (before + m.size * itemSize > MAX_BODY) continue;
      setAt(draft, at, () =>
        Array.from({ length: m.size }, (_, i) =>
          structuredClone(items[i % Math.max(items.length, 1)] ?? m.text),
        ),
      );
    }
  }
  return draft;
}

/** Every string in a stored value, for checking what was written. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

describe("the admin API under generated hostile drafts", () => {
  it("answers 201 or a bounded 4xx naming fields, never a 500, and stores only clean text", async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        dynamo.resetHistory();
        const body = JSON.stringify(mutate(mutations));
        const result = await handler({
          rawPath: "/admin/alliances",
          headers: { "content-type": "application/json" },
          body,
          requestContext: { http: { method: "POST", path: "/admin/alliances" } },
        });
        expect([201, 400, 413]).toContain(result.statusCode);
        seen.set(result.statusCode, (seen.get(result.statusCode) ?? 0) + 1);
        expect(result.body.length).toBeLessThan(64 * 1024);
        const answer = JSON.parse(result.body) as { errors?: { path: string; message: string }[] };
        if (result.statusCode === 400) {
          expect(answer.errors?.length ?? 0).toBeGreaterThan(0);
          expect(answer.errors?.length ?? 0).toBeLessThanOrEqual(50);
          for (const error of answer.errors ?? []) expect(error.message.length).toBeGreaterThan(0);
        }
        const written = dynamo
          .commandCalls(TransactWriteCommand)
          .flatMap((c) => c.args[0].input.TransactItems ?? []);
        if (result.statusCode !== 201) expect(written).toEqual([]);
        for (const text of strings(written)) {
          expect(text.isWellFormed()).toBe(true);
          expect([...text].some((c) => (c < " " && c !== "\n") || c === "\u001b" || c === "\u202e")).toBe(
            false,
          );
        }
      }),
      { numRuns: 120, seed: 20261202 },
    );
    // The generator reaches every kind of answer, or the property says little.
    expect([...seen.keys()].sort()).toEqual([201, 400, 413]);
  }, 120_000);
});
