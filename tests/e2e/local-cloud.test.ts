import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, describe, expect, it } from "vitest";
import { admin, type CloudPlan, planCloud, removePlan, startCloud } from "./harness";

// The local cloud as a developer meets it: a clean start, a restart on existing data, clear startup errors.

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Runs `npm start`'s command to completion (for startups expected to fail) and returns exit code and output. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "local/main.ts"], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      output += c.toString();
    });
    child.once("exit", (code) => resolve({ code, output }));
  });
}

describe("local cloud", () => {
  const plans: CloudPlan[] = [];
  afterAll(async () => {
    for (const plan of plans) await removePlan(plan);
  });

  it("starts from a clean data folder with the synthesized state machines, and restarts on it with the data kept", async () => {
    const plan = await planCloud();
    plans.push(plan);
    let cloud = await startCloud(plan);
    expect(cloud.output()).toMatch(/Ready in [\d.]+ s/);
    for (const url of [cloud.appUrl, cloud.sesUrl, cloud.stepFunctionsUrl])
      expect(cloud.output()).toContain(url);
    const landing = await fetch(`${cloud.appUrl}/`);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain(`href="${cloud.sesUrl}/"`);

    const sfn = new SFNClient({
      endpoint: cloud.stepFunctionsUrl,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const machines = await sfn.send(new ListStateMachinesCommand({}));
    expect(machines.stateMachines?.map((m) => m.name)).toContain("concord-formation");

    const draft = await import(path.join(ROOT, "examples/light-touch-pilot.json"), {
      with: { type: "json" },
    });
    const created = await admin<{ id: string }>(cloud, "POST", "/admin/alliances", draft.default);
    expect(created.status).toBe(201);
    expect(await cloud.stop()).toBe(0);

    cloud = await startCloud(plan);
    const list = await admin<{ alliances: { id: string }[] }>(cloud, "GET", "/admin/alliances");
    expect(list.body.alliances.map((a) => a.id)).toContain(created.body.id);
    expect(await cloud.stop()).toBe(0);
    sfn.destroy();
  });

  it("explains a busy port in one line and exits non-zero", async () => {
    const plan = await planCloud();
    plans.push(plan);
    const blocker = net.createServer();
    await new Promise<void>((resolve) =>
      blocker.listen(Number(plan.env.CONCORD_SES_PORT), "127.0.0.1", resolve),
    );
    try {
      const { code, output } = await runToExit(plan.env);
      expect(code).toBe(1);
      expect(output).toContain(`port ${plan.env.CONCORD_SES_PORT} (ses) is busy`);
      expect(output).toContain("CONCORD_SES_PORT");
      expect(output).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      blocker.close();
    }
  });

  it("says plainly that Java is missing", async () => {
    const plan = await planCloud();
    plans.push(plan);
    const nodeDir = path.dirname(process.execPath);
    const { code, output } = await runToExit({ ...plan.env, PATH: `${nodeDir}:/nonexistent` });
    expect(code).toBe(1);
    expect(output).toMatch(/Java 17 or newer is required/);
  });
});
