import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  admin,
  type CloudPlan,
  emailsTo,
  exampleDraft,
  linksIn,
  planCloud,
  type RunningCloud,
  removePlan,
  startCloud,
} from "./harness";

// The front door under odd input: paths no client should send are refused with a 401 or a 404, never a
// 500, and every kind of response carries the headers every Concord response must carry.

function expectCommonHeaders(response: Response): void {
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
}

describe("the front door", () => {
  let plan: CloudPlan;
  let cloud: RunningCloud;
  let partnerLink: string;

  const call = (route: string, init: RequestInit = {}, withToken = false) =>
    fetch(`${cloud.appUrl}${route}`, {
      ...init,
      headers: withToken ? { authorization: `Bearer ${cloud.token}` } : {},
    });

  beforeAll(async () => {
    plan = await planCloud();
    cloud = await startCloud(plan);
    const draft = await exampleDraft("light-touch-pilot.json");
    expect((await admin(cloud, "POST", "/admin/alliances", draft)).status).toBe(201);
    const [email] = await emailsTo(cloud, "noor.haddad@example.com", /approv/i);
    partnerLink = linksIn(email as NonNullable<typeof email>).text[0] ?? "";
  });
  afterAll(async () => {
    await cloud?.stop();
    await removePlan(plan);
  });

  describe("odd paths", () => {
    it("asks for the admin token before it decodes anything in an admin path", async () => {
      for (const odd of ["%ff", "%c0%af", "%zz", "%", "%ED%A0%80"]) {
        const response = await call(`/admin/alliances/${odd}`);

        expect(response.status, odd).toBe(401);
        expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
        expectCommonHeaders(response);
      }
    });

    it("refuses malformed escapes in an admin path with a 4xx once the token is given, never a 500", async () => {
      for (const odd of ["%ff", "%c0%af", "%zz", `${"A".repeat(3000)}`]) {
        const response = await call(`/admin/alliances/${odd}`, {}, true);

        expect(response.status, odd).toBeGreaterThanOrEqual(400);
        expect(response.status, odd).toBeLessThan(500);
        expectCommonHeaders(response);
      }
    });

    it("answers the partner's Link not found page for malformed escapes in a link", async () => {
      for (const odd of ["/r/%ff%fe?s=x", "/r/%c0%af", "/r/%zz?s=x", "/r/%", "/r/%ED%A0%80?s=x"]) {
        for (const method of ["GET", "POST"]) {
          const response = await call(odd, { method });

          expect(response.status, `${method} ${odd}`).toBe(404);
          expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
          expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
          expectCommonHeaders(response);
          expect(await response.text()).toContain("Link not found");
        }
      }
    });

    it("answers the Link not found page for an id of a wrong shape or over DynamoDB's key size", async () => {
      for (const odd of ["/r/..%2Fadmin", `/r/${"A".repeat(3000)}?s=x`, "/r/%00"]) {
        const response = await call(odd);

        expect(response.status, odd).toBe(404);
        expect(await response.text()).toContain("Link not found");
      }
    });
  });

  describe("headers on every kind of response", () => {
    it.each([
      ["a partner page", () => fetch(partnerLink), 200],
      ["the partner's Link not found page", () => call("/r/AAAAAAAAAAAAAAAAAAAAAA?s=x"), 404],
      ["the partner's 405", () => fetch(partnerLink, { method: "DELETE" }), 405],
      ["an admin answer", () => call("/admin/alliances", {}, true), 200],
      ["an admin refusal", () => call("/admin/alliances", { method: "POST" }, true), 400],
      ["the front's 401", () => call("/admin/alliances"), 401],
      ["the front's 404", () => call("/nowhere"), 404],
      ["the clock", () => call("/local/clock", {}, true), 200],
      ["the metrics", () => call("/local/metrics", {}, true), 200],
      ["the health check", () => call("/local/health"), 200],
      ["the landing page", () => call("/"), 200],
    ])("%s carries cache-control: no-store and nosniff", async (_kind, request, status) => {
      const response = await request();

      expect(response.status).toBe(status);
      expectCommonHeaders(response);
      expect(response.headers.get("content-type")).toMatch(/; charset=utf-8$/);
    });

    it("keeps the page's headers and says what is allowed on the partner's 405", async () => {
      const response = await fetch(partnerLink, { method: "PUT" });

      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD, POST");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    });
  });
});
