import { DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AdminRequestError, decodeListToken, encodeListToken } from "../../../functions/admin/alliances";
import { MAX_DRAFT_BYTES } from "../../../functions/domain";
import { handler } from "../../../functions/handlers/admin-http";
import { testConfig } from "../requests/fixtures";

// The admin API's front door: paging, path parameters, body size and the length of an error answer are
// settled before DynamoDB is asked anything.

const dynamo = mockClient(DynamoDBDocumentClient);
let restoreConfig = () => {};

beforeEach(() => {
  dynamo.reset();
  restoreConfig = testConfig();
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(GetCommand).resolves({});
});
afterEach(() => restoreConfig());

function request(
  method: string,
  rawPath: string,
  init: { query?: Record<string, string>; body?: string } = {},
): Promise<{ statusCode: number; body: string }> {
  return handler({
    rawPath,
    headers: { "content-type": "application/json" },
    ...(init.query ? { queryStringParameters: init.query } : {}),
    ...(init.body === undefined ? {} : { body: init.body }),
    requestContext: { http: { method, path: rawPath } },
  });
}

const answer = (result: { body: string }) => JSON.parse(result.body) as Record<string, unknown>;

const position = { createdAt: "2026-03-01T10:00:00.000Z", id: "lumen-pilot-1a2b3c4d" };

describe("list tokens", () => {
  it("decode to the position they were made from", () => {
    expect(decodeListToken(encodeListToken(position))).toEqual(position);
  });

  it.each([
    ["empty", ""],
    ["not a token", "hello"],
    ["a character changed", encodeListToken(position).replace(/^./, (c) => (c === "W" ? "X" : "W"))],
    ["cut short", encodeListToken(position).slice(0, -1)],
    ["with extra text", `${encodeListToken(position)}x`],
    ["huge", "A".repeat(100_000)],
  ])("refuse a token that is %s with a 400 naming nextToken", (_case, token) => {
    try {
      decodeListToken(token);
      expect.unreachable("the token was accepted");
    } catch (error) {
      expect(error).toBeInstanceOf(AdminRequestError);
      expect((error as AdminRequestError).statusCode).toBe(400);
      expect((error as AdminRequestError).errors[0]?.path).toBe("nextToken");
    }
  });

  it("refuse a well-formed token whose position is not an alliance's", () => {
    expect(() =>
      decodeListToken(encodeListToken({ createdAt: "yesterday", id: "lumen-pilot-1a2b3c4d" })),
    ).toThrow(/nextToken/);
    expect(() =>
      decodeListToken(encodeListToken({ createdAt: position.createdAt, id: "ALLIANCE#x" })),
    ).toThrow(/nextToken/);
  });
});

describe("GET /admin/alliances", () => {
  it("asks the index for one more than the page and answers a nextToken when there are more", async () => {
    const item = (n: number) => ({
      pk: `ALLIANCE#a-${n}`,
      id: `alliance-0000000${n}`,
      name: `A${n}`,
      createdAt: `2026-01-0${n}T00:00:00.000Z`,
    });
    dynamo.on(QueryCommand).resolves({ Items: [item(3), item(2), item(1)] });

    const page = answer(await request("GET", "/admin/alliances", { query: { limit: "2" } }));

    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input.Limit).toBe(3);
    expect((page.alliances as { id: string }[]).map((a) => a.id)).toEqual([
      "alliance-00000003",
      "alliance-00000002",
    ]);
    expect(decodeListToken(page.nextToken as string)).toEqual({
      createdAt: "2026-01-02T00:00:00.000Z",
      id: "alliance-00000002",
    });
  });

  it("answers no nextToken on the last page", async () => {
    const page = answer(await request("GET", "/admin/alliances"));

    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input.Limit).toBe(51);
    expect(page).toEqual({ alliances: [] });
  });

  it("starts a page after the token's position", async () => {
    await request("GET", "/admin/alliances", { query: { nextToken: encodeListToken(position) } });

    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input.ExclusiveStartKey).toEqual({
      pk: `ALLIANCE#${position.id}`,
      sk: "META",
      gsi3pk: "ALLIANCE",
      gsi3sk: `${position.createdAt}#${position.id}`,
    });
  });

  it.each(["abc", "0", "101", "-1", "1.5", "", "10,20"])(
    "refuses ?limit=%s with a 400 naming limit",
    async (limit) => {
      const result = await request("GET", "/admin/alliances", { query: { limit } });

      expect(result.statusCode).toBe(400);
      expect(answer(result).message).toMatch(/limit/);
      expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
    },
  );

  it("refuses a tampered nextToken with a 400 and never queries", async () => {
    const result = await request("GET", "/admin/alliances", {
      query: { nextToken: "eyJ4IjoxfQ.AAAAAAAAAAAAAAAA" },
    });

    expect(result.statusCode).toBe(400);
    expect(answer(result).message).toMatch(/nextToken/);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });
});

describe("path parameters", () => {
  it("answers a malformed percent-escape with a 400 that says so", async () => {
    const result = await request("GET", "/admin/alliances/%ff");

    expect(result.statusCode).toBe(400);
    expect(answer(result).message).toMatch(/allianceId .*percent-encoded/);
  });

  it.each([
    ["over DynamoDB's key limit", "a".repeat(3000)],
    ["not an alliance id", "ALLIANCE#x"],
  ])("answers 404 for an alliance id %s, never asking DynamoDB", async (_case, id) => {
    for (const [method, path] of [
      ["GET", `/admin/alliances/${id}`],
      ["POST", `/admin/alliances/${encodeURIComponent(id)}/revisions`],
      ["POST", `/admin/alliances/${encodeURIComponent(id)}/contact-replacements`],
    ] as const) {
      const result = await request(method, path, { body: "{}" });
      expect(result.statusCode).toBe(404);
      expect(answer(result).message).toMatch(/^no alliance /);
      expect(result.body.length).toBeLessThan(300);
    }
    expect(dynamo.calls()).toHaveLength(0);
  });

  it("answers 404 for a request id of the wrong shape, never asking DynamoDB", async () => {
    const result = await request("POST", `/admin/requests/${"r".repeat(3000)}/resend`);

    expect(result.statusCode).toBe(404);
    expect(answer(result).message).toMatch(/^no request /);
    expect(dynamo.calls()).toHaveLength(0);
  });
});

describe("request bodies", () => {
  it("refuses a body over the limit with a 413 naming the body and the limit, before parsing it", async () => {
    const result = await request("POST", "/admin/alliances", { body: `{${" ".repeat(MAX_DRAFT_BYTES)}` });

    expect(result.statusCode).toBe(413);
    expect(answer(result).message).toMatch(new RegExp(`body .*${MAX_DRAFT_BYTES} bytes`));
  });

  it("refuses a small YAML body whose aliases stand for a draft too big to store, before it is read", async () => {
    // 10 aliases of a 60 KB block: 60 KB of YAML that stands for 660 KB once parsed.
    const block = `&big ${JSON.stringify("x".repeat(60_000))}`;
    const yaml = [
      "name: Alias bomb",
      `purpose: ${block}`,
      "goals:",
      ...Array.from({ length: 10 }, () => "  - *big"),
    ].join("\n");
    const result = await handler({
      rawPath: "/admin/alliances",
      headers: { "content-type": "application/yaml" },
      body: yaml,
      requestContext: { http: { method: "POST", path: "/admin/alliances" } },
    });

    expect(yaml.length).toBeLessThan(MAX_DRAFT_BYTES);
    expect(result.statusCode).toBe(413);
    expect(answer(result).message).toMatch(/once parsed/);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it("lists the first 50 of 10 000 problems, with the total", async () => {
    const draft = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`unknown${i}`, i]));

    const result = await request("POST", "/admin/alliances", { body: JSON.stringify(draft) });

    const body = answer(result);
    expect(result.statusCode).toBe(400);
    expect(body.errors as unknown[]).toHaveLength(50);
    expect(body.errorCount as number).toBeGreaterThan(50);
    expect(body.message).toMatch(/first 50 are listed/);
    expect(result.body.length).toBeLessThan(30_000);
  });
});
