import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  admin,
  type CloudPlan,
  concord,
  exampleDraft,
  planCloud,
  type RunningCloud,
  removePlan,
  startCloud,
  waitFor,
} from "./harness";

// The trust account as an admin keeps it: deposits and withdrawals per partner, balances, the ledger on the
// timeline; bad entries refused field by field with nothing recorded.

interface TrustView {
  balances: Record<string, number>;
  entries: {
    partnerId: string;
    direction: string;
    kind: string;
    points: number;
    note: string;
    recordedBy: string;
  }[];
}

describe("trust account", () => {
  let plan: CloudPlan;
  let cloud: RunningCloud;
  let allianceId: string;
  let draftAllianceId: string;

  beforeAll(async () => {
    plan = await planCloud();
    cloud = await startCloud(plan);
    const pilot = await exampleDraft("pilot-three-partners.json");
    allianceId = (await admin<{ id: string }>(cloud, "POST", "/admin/alliances", pilot)).body.id;
    await waitFor("the pilot FORMING", async () => {
      const { body } = await admin<{ status: string }>(cloud, "GET", `/admin/alliances/${allianceId}`);
      return body.status === "FORMING" || undefined;
    });
    // A charter that fails the audit stays a draft.
    const incomplete = await exampleDraft("pilot-three-partners.json");
    incomplete.name = "Incomplete trust pilot";
    delete incomplete.charter.exitTerms;
    draftAllianceId = (await admin<{ id: string }>(cloud, "POST", "/admin/alliances", incomplete)).body.id;
  });
  afterAll(async () => {
    await cloud?.stop();
    await removePlan(plan);
  });

  const trustOf = async (id: string) =>
    (await admin<TrustView>(cloud, "GET", `/admin/alliances/${id}/trust`)).body;

  it("records deposits and withdrawals, sums each partner's balance, and puts every entry on the timeline", async () => {
    expect(await trustOf(allianceId)).toEqual({
      balances: { "northwind-telematics": 0, "harbor-rail": 0, "clean-corridors": 0 },
      entries: [],
    });
    const deposit = await admin(cloud, "POST", `/admin/alliances/${allianceId}/trust`, {
      partnerId: "harbor-rail",
      direction: "deposit",
      kind: "shared-early",
      points: 3,
      note: "Shared the depot capacity forecast a month early",
    });
    expect(deposit.status).toBe(201);
    const withdrawal = await admin<{ balances: Record<string, number> }>(
      cloud,
      "POST",
      `/admin/alliances/${allianceId}/trust`,
      {
        partnerId: "harbor-rail",
        direction: "withdrawal",
        kind: "missed",
        points: 1,
        note: "Missed the data hand-over",
      },
    );
    expect(withdrawal.status).toBe(201);
    expect(withdrawal.body.balances["harbor-rail"]).toBe(2);

    const trust = await trustOf(allianceId);
    expect(trust.balances).toEqual({ "northwind-telematics": 0, "harbor-rail": 2, "clean-corridors": 0 });
    expect(trust.entries.map((e) => [e.direction, e.kind, e.points])).toEqual([
      ["deposit", "shared-early", 3],
      ["withdrawal", "missed", 1],
    ]);
    const { body: view } = await admin<{
      trust: { balances: Record<string, number> };
      timeline: { type: string; summary: string }[];
    }>(cloud, "GET", `/admin/alliances/${allianceId}`);
    expect(view.trust.balances["harbor-rail"]).toBe(2);
    expect(view.timeline.filter((e) => e.type.startsWith("trust.")).map((e) => e.summary)).toEqual([
      expect.stringContaining("+3 (shared-early): Shared the depot capacity forecast a month early"),
      expect.stringContaining("−1 (missed): Missed the data hand-over"),
    ]);
  });

  it("refuses a bad entry naming each field, and records nothing", async () => {
    const before = await trustOf(allianceId);
    const bad = await admin<{ errors: { path: string; message: string }[] }>(
      cloud,
      "POST",
      `/admin/alliances/${allianceId}/trust`,
      { partnerId: "harbor-rail", direction: "deposit", kind: "delivered", points: 11, note: "" },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.path).sort()).toEqual(["note", "points"]);
    const mismatch = await admin<{ errors: { path: string; message: string }[] }>(
      cloud,
      "POST",
      `/admin/alliances/${allianceId}/trust`,
      { partnerId: "harbor-rail", direction: "deposit", kind: "surprise", points: 2, note: "A surprise" },
    );
    expect(mismatch.body.errors).toEqual([
      { path: "kind", message: expect.stringContaining('not "surprise"') },
    ]);
    const stranger = await admin<{ errors: { path: string; message: string }[] }>(
      cloud,
      "POST",
      `/admin/alliances/${allianceId}/trust`,
      { partnerId: "acme-logistics", direction: "deposit", kind: "delivered", points: 2, note: "Delivered" },
    );
    expect(stranger.status).toBe(400);
    expect(stranger.body.errors).toEqual([
      { path: "partnerId", message: expect.stringContaining('no partner "acme-logistics"') },
    ]);
    expect(await trustOf(allianceId)).toEqual(before);
  });

  it("records nothing for an alliance that is still a draft", async () => {
    await waitFor("the incomplete charter audited", async () => {
      const { body } = await admin<{ auditFindings: unknown[] }>(
        cloud,
        "GET",
        `/admin/alliances/${draftAllianceId}`,
      );
      return body.auditFindings.length > 0 || undefined;
    });
    const refused = await admin<{ message: string }>(
      cloud,
      "POST",
      `/admin/alliances/${draftAllianceId}/trust`,
      {
        partnerId: "harbor-rail",
        direction: "deposit",
        kind: "delivered",
        points: 1,
        note: "Delivered",
      },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/is DRAFT; trust is recorded only while it is FORMING or ACTIVE/);
    expect((await trustOf(draftAllianceId)).entries).toEqual([]);
  });

  it("records and shows trust from the CLI", async () => {
    const env = { CONCORD_DATA_DIR: plan.dataDir, CONCORD_URL: cloud.appUrl };
    const recorded = await concord(
      [
        "trust",
        "record",
        allianceId,
        "clean-corridors",
        "deposit",
        "acknowledged",
        "2",
        "Credited our route data in public",
      ],
      env,
    );
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toContain("Recorded a deposit of +2 (acknowledged) for clean-corridors.");
    const shown = await concord(["trust", "show", allianceId], env);
    expect(shown.stdout).toMatch(/clean-corridors\s+\+2/);
    expect(shown.stdout).toContain("Credited our route data in public");
    const refused = await concord(
      ["trust", "record", allianceId, "clean-corridors", "deposit", "delivered", "two", "x"],
      env,
    );
    expect(refused.code).toBe(2);
  });
});
