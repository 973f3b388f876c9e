import { describe, expect, it } from "vitest";
import { decodePathParameters, type LocalRoute, matchRoute, percentDecode } from "../../../local/http-front";

const route = (method: string, pathPattern: string, authenticated = false): LocalRoute => ({
  method,
  pathPattern,
  routeKey: `${method} ${pathPattern}`,
  functionArn: "arn:aws:lambda:local:000000000000:function:f",
  authorization: authenticated ? "AWS_IAM" : "NONE",
  apiId: "HttpApi",
});

describe("percentDecode", () => {
  it("decodes well-formed UTF-8 escapes", () => {
    expect(percentDecode("caf%C3%A9%20bar")).toBe("café bar");
  });

  it.each([
    ["a byte that is never UTF-8", "%ff%fe", "\uFFFD\uFFFD"],
    ["an overlong encoding of /", "%c0%af", "\uFFFD\uFFFD"],
    ["a truncated sequence", "a%E2%82", "a\uFFFD"],
    ["an encoded surrogate", "%ED%A0%80", "\uFFFD\uFFFD\uFFFD"],
  ])("turns %s into replacement characters instead of throwing", (_what, raw, decoded) => {
    expect(percentDecode(raw)).toBe(decoded);
  });

  it.each([["%"], ["%zz"], ["abc%4"], ["%%41"]])("keeps the malformed escape in %s as it is", (raw) => {
    expect(() => percentDecode(raw)).not.toThrow();
    expect(percentDecode(raw)).toBe(raw === "%%41" ? "%A" : raw);
  });
});

describe("matchRoute", () => {
  it("returns path parameters still encoded, so nothing is decoded before authorization", () => {
    const params = matchRoute(route("GET", "/admin/alliances/{id}", true), "GET", "/admin/alliances/%ff");

    expect(params).toEqual({ id: "%ff" });
  });

  it("matches an encoded literal segment as API Gateway, which decodes the path before routing", () => {
    expect(matchRoute(route("GET", "/admin/alliances"), "GET", "/%61dmin/alliances")).toEqual({});
  });

  it("does not match a different method, a longer path or a shorter one", () => {
    const partner = route("ANY", "/r/{requestId}");

    expect(matchRoute(route("POST", "/r/{requestId}"), "GET", "/r/abc")).toBeNull();
    expect(matchRoute(partner, "GET", "/r/abc/def")).toBeNull();
    expect(matchRoute(partner, "GET", "/r")).toBeNull();
  });

  it("hands greedy parameters over whole", () => {
    expect(matchRoute(route("ANY", "/files/{proxy+}"), "GET", "/files/a/%ff/c")).toEqual({
      proxy: "a/%ff/c",
    });
  });
});

describe("decodePathParameters", () => {
  it("decodes each parameter without ever throwing", () => {
    expect(decodePathParameters({ requestId: "%ff%fe", name: "a%20b" })).toEqual({
      requestId: "\uFFFD\uFFFD",
      name: "a b",
    });
  });
});
