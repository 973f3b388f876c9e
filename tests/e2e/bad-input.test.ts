import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  admin,
  type CloudPlan,
  emailsTo,
  exampleDraft,
  planCloud,
  type RunningCloud,
  removePlan,
  startCloud,
} from "./harness";

// Issue 7: bad input gets a clear error, changes nothing, and never hurts the next alliance or the cloud.

const LEADS = ["amara.okafor@example.com", "diego.alvarez@example.com", "fatima.nasser@example.org"];

describe("bad input", () => {
  let plan: CloudPlan;
  let cloud: RunningCloud;
  beforeAll(async () => {
    plan = await planCloud();
    cloud = await startCloud(plan);
  });
  afterAll(async () => {
    await cloud?.stop();
    await removePlan(plan);
  });

  it("refuses a partner name with a lone surrogate, naming the field, and the next clean draft forms", async () => {
    const hostile = await exampleDraft(undefined, "Surrogate pilot");
    hostile.partners[0].name = "Lumen \ud800 Analytics";
    const refused = await admin<{ errors: { path: string; message: string }[] }>(
      cloud,
      "POST",
      "/admin/alliances",
      hostile,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { path: "partners[0].name", message: expect.stringMatching(/well-formed Unicode/) },
    ]);
    const listed = await admin<{ alliances: { name: string }[] }>(cloud, "GET", "/admin/alliances");
    expect(listed.body.alliances.map((a) => a.name)).not.toContain("Surrogate pilot");

    const clean = await admin<{ id: string }>(
      cloud,
      "POST",
      "/admin/alliances",
      await exampleDraft(undefined, "Clean pilot"),
    );
    expect(clean.status).toBe(201);
    for (const lead of LEADS) await emailsTo(cloud, lead, /Clean pilot: share/);
  });

  it("refuses a clock advance past the representable range, stays up, and starts again on its saved clock", async () => {
    const response = await fetch(`${cloud.appUrl}/local/clock`, {
      method: "POST",
      headers: { authorization: `Bearer ${cloud.token}`, "content-type": "application/json" },
      body: JSON.stringify({ advance: "20000000w" }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path)).toEqual(["advance"]);
    expect((await fetch(`${cloud.appUrl}/local/health`)).status).toBe(200);
    // A change with one bad part is refused whole: the valid advance is not applied either.
    const before = Date.parse(
      (
        (await (
          await fetch(`${cloud.appUrl}/local/clock`, { headers: { authorization: `Bearer ${cloud.token}` } })
        ).json()) as { now: string }
      ).now,
    );
    const mixed = await fetch(`${cloud.appUrl}/local/clock`, {
      method: "POST",
      headers: { authorization: `Bearer ${cloud.token}`, "content-type": "application/json" },
      body: JSON.stringify({ advance: "30d", rate: 2e9 }),
    });
    expect(mixed.status).toBe(400);
    const after = Date.parse(
      (
        (await (
          await fetch(`${cloud.appUrl}/local/clock`, { headers: { authorization: `Bearer ${cloud.token}` } })
        ).json()) as { now: string }
      ).now,
    );
    expect(after - before).toBeLessThan(86_400_000);

    expect(await cloud.stop()).toBe(0);
    cloud = await startCloud(plan);
    const clock = await fetch(`${cloud.appUrl}/local/clock`, {
      headers: { authorization: `Bearer ${cloud.token}` },
    });
    expect(clock.status).toBe(200);
    const { now } = (await clock.json()) as { now: string };
    expect(Date.parse(now) - Date.now()).toBeLessThan(3_600_000);
  });
});
