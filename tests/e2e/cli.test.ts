import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudPlan, concord, planCloud, type RunningCloud, removePlan, startCloud } from "./harness";

// The `concord` CLI as an admin uses it, against a running local cloud.

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("concord CLI", () => {
  let plan: CloudPlan;
  let cloud: RunningCloud;
  let env: Record<string, string>;

  beforeAll(async () => {
    plan = await planCloud();
    cloud = await startCloud(plan);
    env = { CONCORD_DATA_DIR: plan.dataDir, CONCORD_URL: cloud.appUrl };
  });
  afterAll(async () => {
    await cloud?.stop();
    await removePlan(plan);
  });

  it("lists every command in --help", async () => {
    const { code, stdout } = await concord(["--help"], env);
    expect(code).toBe(0);
    for (const command of [
      "alliances create",
      "alliances revise",
      "alliances list",
      "alliances show",
      "schema",
      "clock advance",
    ]) {
      expect(stdout).toContain(command);
    }
  });

  it("prints a group's commands, its version, and one clear line for a missing file, a wrong token, a negative duration", async () => {
    const group = await concord(["exits", "--help"], env);
    expect(group.code).toBe(0);
    expect(group.stdout).toContain("concord exits start");
    expect(group.stdout).not.toContain("concord alliances create");
    expect((await concord(["exits"], env)).code).toBe(2);
    const version = await concord(["--version"], env);
    expect(version.stdout.trim()).toMatch(/^concord \d+\.\d+\.\d+$/);
    const missing = await concord(["alliances", "create", "no-such-draft.json"], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe("concord: cannot read no-such-draft.json: there is no such file");
    const wrongToken = await concord(["alliances", "list", "--token", "not-the-token"], env);
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr.trim().split("\n")).toHaveLength(1);
    expect(wrongToken.stderr).toMatch(/token/i);
    const backwards = await concord(["clock", "advance", "--", "-3d"], env);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr.trim()).toBe(
      "concord: '-3d' is negative: the clock only moves forward (use e.g. 3d)",
    );
  });

  it("creates an alliance from a YAML draft and shows it, in text and JSON", async () => {
    const { stringify } = await import("yaml");
    const draft = (
      await import(path.join(ROOT, "examples/light-touch-pilot.json"), { with: { type: "json" } })
    ).default;
    const file = path.join(plan.dataDir, "draft.yaml");
    await writeFile(file, stringify(draft));
    const created = await concord(["alliances", "create", file, "--json"], env);
    expect(created.code).toBe(0);
    const { id } = JSON.parse(created.stdout) as { id: string };
    const shown = await concord(["alliances", "show", id], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("Market Footfall Pilot");
    expect(shown.stdout).toMatch(/Timeline \([^)]+\):/);
    const listed = await concord(["alliances", "list"], env);
    expect(listed.stdout).toContain(id);
  });

  it("lists field-level errors for a bad draft and exits 1", async () => {
    const { code, stderr } = await concord(
      ["alliances", "create", path.join(ROOT, "examples/invalid/one-partner.json")],
      env,
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/partners/);
  });

  it("advances the local clock", async () => {
    const before = JSON.parse((await concord(["clock", "--json"], env)).stdout) as { now: string };
    const advanced = await concord(["clock", "advance", "3d", "--json"], env);
    expect(advanced.code).toBe(0);
    const after = JSON.parse(advanced.stdout) as { now: string };
    expect(Date.parse(after.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(3 * 86_400_000);
    expect((await concord(["clock", "advance", "soon"], env)).code).toBe(2);
  });

  it("resets a clock that is ahead only with --force, back in step with the wall clock", async () => {
    await concord(["clock", "advance", "10d"], env);
    const refused = await concord(["clock", "reset"], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/ahead of the wall clock.*--force/);
    const reset = await concord(["clock", "reset", "--force"], env);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/rate 1×, real time; in step with the wall clock/);
  });

  it("says clearly when the admin token is wrong or the cloud is not running", async () => {
    const denied = await concord(["alliances", "list"], { ...env, CONCORD_ADMIN_TOKEN: "wrong" });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/admin token/i);
    const down = await concord(["alliances", "list"], { ...env, CONCORD_URL: "http://127.0.0.1:9" });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach/);
    expect((await concord(["frobnicate"], env)).code).toBe(2);
  });
});
