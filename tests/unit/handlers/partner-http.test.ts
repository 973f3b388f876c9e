import { describe, expect, it } from "vitest";
import { handler } from "../../../functions/handlers/partner-http";
import { PAGE_HEADERS } from "../../../functions/pages";

/** A payload-2.0 event for ANY /r/{requestId}, as API Gateway (or the local front) sends it. */
function partnerEvent(method: string, requestId: string | undefined, query: Record<string, string> = {}) {
  const path = "/r/raw-path-not-read-by-the-handler";
  return {
    version: "2.0",
    routeKey: "ANY /r/{requestId}",
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: {},
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(requestId === undefined ? {} : { pathParameters: { requestId } }),
    requestContext: { http: { method, path } },
    isBase64Encoded: false,
  };
}

const A_REQUEST_ID = "AAAAAAAAAAAAAAAAAAAAAA"; // the shape of a request id (22 base64url characters)

describe("partner link handler front door", () => {
  it.each([
    ["invalid UTF-8 decoded to replacement characters", "\uFFFD\uFFFD"],
    ["a lone surrogate", "\uD800abc"],
    ["a literal percent escape", "%ff%fe"],
    ["a path traversal", "../admin"],
    ["an empty id", ""],
    ["an id one character short", A_REQUEST_ID.slice(1)],
    ["an id over DynamoDB's key limit", "A".repeat(3000)],
  ])("answers the Link not found page for %s, whatever the method", async (_what, requestId) => {
    for (const method of ["GET", "HEAD", "POST", "DELETE"]) {
      const result = await handler(partnerEvent(method, requestId, { s: "x" }));

      expect(result.statusCode).toBe(404);
      expect(result.headers).toEqual(PAGE_HEADERS);
      expect(result.body).toContain("Link not found");
    }
  });

  it("answers the Link not found page when the event has no path parameter", async () => {
    const result = await handler(partnerEvent("GET", undefined));

    expect(result.statusCode).toBe(404);
    expect(result.headers["content-type"]).toBe("text/html; charset=utf-8");
  });

  it("answers 405 for other methods as a page with every page header and Allow", async () => {
    const result = await handler(partnerEvent("DELETE", A_REQUEST_ID));

    expect(result.statusCode).toBe(405);
    expect(result.headers).toEqual({ ...PAGE_HEADERS, allow: "GET, HEAD, POST" });
    expect(result.body).toContain("<!DOCTYPE html>");
  });

  it("answers 400 JSON with the common headers for an event that is not API Gateway's", async () => {
    const result = await handler({ nonsense: true });

    expect(result.statusCode).toBe(400);
    expect(result.headers["cache-control"]).toBe("no-store");
    expect(result.headers["x-content-type-options"]).toBe("nosniff");
  });
});
