import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  admin,
  type CloudPlan,
  exampleDraft,
  planCloud,
  type RunningCloud,
  removePlan,
  startCloud,
} from "./harness";

// The admin API's limits as an admin meets them: long lists come a page at a time, odd paths and bad query
// values are refused with a 4xx that says why, and a huge or very wrong draft gets a short answer.

const ROOT = path.resolve(import.meta.dirname, "../..");
const ALLIANCES = 250;
const BATCH = 25;

interface Page {
  alliances: { id: string; createdAt: string }[];
  nextToken?: string;
}

async function raw(cloud: RunningCloud, method: string, route: string, body?: string, token = cloud.token) {
  const response = await fetch(`${cloud.appUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, text: await response.text() };
}

function concordJson(cloud: RunningCloud, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "cli/concord.ts", ...args, "--json"], {
      cwd: ROOT,
      env: { ...process.env, CONCORD_DATA_DIR: cloud.dataDir, CONCORD_URL: cloud.appUrl },
      stdio: ["ignore", "pipe", "ignore"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.once("exit", (code) => resolve({ code, stdout }));
  });
}

describe("admin API limits", () => {
  let plan: CloudPlan;
  let cloud: RunningCloud;
  const created: string[] = [];

  beforeAll(async () => {
    plan = await planCloud();
    cloud = await startCloud(plan);
    const draft = await exampleDraft("light-touch-pilot.json");
    for (let start = 0; start < ALLIANCES; start += BATCH) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(BATCH, ALLIANCES - start) }, () =>
          // One draft many times over: the same name, so past the duplicate-name refusal.
          admin<{ id: string }>(cloud, "POST", "/admin/alliances?force=true", draft),
        ),
      );
      for (const { status, body } of batch) {
        expect(status).toBe(201);
        created.push(body.id);
      }
    }
  });
  afterAll(async () => {
    await cloud?.stop();
    await removePlan(plan);
  });

  it(`pages through all ${ALLIANCES} alliances, newest first, each exactly once`, async () => {
    const seen: Page["alliances"] = [];
    const sizes: number[] = [];
    let nextToken: string | undefined;
    do {
      const query = new URLSearchParams({ limit: "100", ...(nextToken ? { nextToken } : {}) });
      const { status, body } = await admin<Page>(cloud, "GET", `/admin/alliances?${query}`);
      expect(status).toBe(200);
      sizes.push(body.alliances.length);
      seen.push(...body.alliances);
      nextToken = body.nextToken;
    } while (nextToken);

    expect(sizes).toEqual([100, 100, 50]);
    expect(seen.map((a) => a.id).sort()).toEqual([...created].sort());
    const times = seen.map((a) => a.createdAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it("answers 50 alliances and a nextToken when no limit is given", async () => {
    const { body } = await admin<Page>(cloud, "GET", "/admin/alliances");

    expect(body.alliances).toHaveLength(50);
    expect(body.nextToken).toEqual(expect.any(String));
  });

  it("gives every alliance to `concord alliances list --all`", async () => {
    const { code, stdout } = await concordJson(cloud, ["alliances", "list", "--all"]);

    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as Page;
    expect(listed.alliances).toHaveLength(ALLIANCES);
    expect(listed.nextToken).toBeUndefined();
  });

  it("refuses ?limit=abc and a tampered nextToken with a 400 naming the parameter", async () => {
    const badLimit = await admin<{ message: string }>(cloud, "GET", "/admin/alliances?limit=abc");
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.message).toMatch(/limit/);

    const { body } = await admin<Page>(cloud, "GET", "/admin/alliances?limit=1");
    const token = body.nextToken ?? "";
    const tampered = `${token.slice(0, 5)}${token[5] === "A" ? "B" : "A"}${token.slice(6)}`;
    const refused = await admin<{ message: string }>(
      cloud,
      "GET",
      `/admin/alliances?nextToken=${encodeURIComponent(tampered)}`,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/nextToken/);
  });

  it("answers odd alliance paths with a 4xx, never a 500", async () => {
    for (const [method, route] of [
      ["GET", "/admin/alliances/%ff"],
      ["GET", "/admin/alliances/%c0%af"],
      ["GET", `/admin/alliances/${"x".repeat(3000)}`],
      ["POST", `/admin/alliances/${"x".repeat(3000)}/revisions`],
      ["POST", `/admin/requests/${"r".repeat(3000)}/resend`],
    ] as const) {
      const { status } = await raw(cloud, method, route, method === "POST" ? "{}" : undefined);
      expect({ route: route.slice(0, 40), clientError: status >= 400 && status < 500 }).toEqual({
        route: route.slice(0, 40),
        clientError: true,
      });
    }
    expect((await raw(cloud, "GET", "/admin/alliances/%ff", undefined, "wrong")).status).toBe(401);
    const unknown = await admin<{ message: string }>(cloud, "GET", `/admin/alliances/${"x".repeat(3000)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/^no alliance /);
  });

  it("lists at most 50 of the problems of a draft with 10 000 unknown keys, with the total", async () => {
    const draft = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`unknown${i}`, i]));

    const { status, text } = await raw(cloud, "POST", "/admin/alliances", JSON.stringify(draft));

    expect(status).toBe(400);
    const body = JSON.parse(text) as { errors: unknown[]; errorCount: number; message: string };
    expect(body.errors).toHaveLength(50);
    expect(body.errorCount).toBeGreaterThan(50);
    expect(text.length).toBeLessThan(30_000);
  });

  it("refuses a body over the size limit before parsing it, naming the limit", async () => {
    const { status, text } = await raw(
      cloud,
      "POST",
      "/admin/alliances",
      `{"name":"${"x".repeat(3_000_000)}"}`,
    );

    expect(status).toBe(413);
    expect(JSON.parse(text).message).toMatch(/body .*262144 bytes/);
  });
});
