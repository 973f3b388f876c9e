import { describe, expect, it } from "vitest";
import { PAGE_HEADERS } from "../../../functions/pages";
import { COMMON_HEADERS, json } from "../../../functions/shared/http";

describe("common response headers", () => {
  it("forbid caching and content sniffing", () => {
    expect(COMMON_HEADERS).toEqual({ "cache-control": "no-store", "x-content-type-options": "nosniff" });
  });

  it("are on every JSON response, with the UTF-8 JSON content type", () => {
    const result = json(404, { message: "not found" });

    expect(result.headers).toEqual({ ...COMMON_HEADERS, "content-type": "application/json; charset=utf-8" });
    expect(JSON.parse(result.body)).toEqual({ message: "not found" });
  });

  it("are on every partner page", () => {
    expect(PAGE_HEADERS).toMatchObject(COMMON_HEADERS);
  });

  it("are not shared between responses (one response's headers cannot leak into the next)", () => {
    const first = json(200, {});
    first.headers.allow = "GET";

    expect(json(200, {}).headers).not.toHaveProperty("allow");
  });
});
