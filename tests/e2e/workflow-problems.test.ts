import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  admin,
  type CloudPlan,
  concord,
  emailsTo,
  exampleDraft,
  open,
  planCloud,
  type RunningCloud,
  removePlan,
  startCloud,
  submit,
  waitFor,
} from "./harness";
import { linkFor, show, waitStatus } from "./pilot";

// No failure goes unseen: a workflow that fails shows on its alliance, its organiser is mailed, and an admin
// retries it from where it stopped. The fault is injected into one task through the local cloud's /local/faults.

const ORGANISER = "tomas.lind@example.org";

interface Problem {
  workflow: string;
  executionName: string;
  status: string;
  error?: string;
}

describe("a workflow that stops", () => {
  let plan: CloudPlan;
  let cloud: RunningCloud;

  beforeAll(async () => {
    plan = await planCloud();
    cloud = await startCloud(plan);
  }, 180_000);
  afterAll(async () => {
    await cloud?.stop();
    await removePlan(plan);
  });

  const local = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${cloud.appUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${cloud.token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it("shows on the alliance, mails the organiser, and forms the alliance once retried", async () => {
    const refused = await local("POST", "/local/faults", { count: 1 });
    expect(refused.status).toBe(400);
    expect((await local("POST", "/local/faults", { function: "FormationActivate" })).status).toBe(200);

    const draft = await exampleDraft("light-touch-pilot.json");
    draft.name = "Faulty activation pilot";
    const created = await admin<{ id: string }>(cloud, "POST", "/admin/alliances", draft);
    expect(created.status).toBe(201);
    const id = created.body.id;
    for (const lead of ["noor.haddad@example.com", "ellis.moreau@example.org"]) {
      const link = await linkFor(cloud, lead, /Faulty activation pilot: approve/);
      expect((await submit(link, { action: "decide", vote: "approve" })).status).toBe(200);
    }

    // The activation task fails: the alliance says so and the organiser hears of it, with what to do.
    const stopped = await waitFor("the problem on the alliance", async () => {
      const view = (
        await admin<{ status: string; problems: Problem[] }>(cloud, "GET", `/admin/alliances/${id}`)
      ).body;
      return view.problems.length > 0 ? view : undefined;
    });
    expect(stopped.status).toBe("FORMING");
    expect(stopped.problems).toEqual([
      expect.objectContaining({ workflow: "formation", status: "FAILED", error: "InjectedFault" }),
    ]);
    const [told] = await emailsTo(cloud, ORGANISER, /Faulty activation pilot: its formation failed/);
    expect(told?.body.text).toContain(`concord workflows retry ${id}`);
    expect((await show(cloud, id)).timeline.map((e) => e.type)).toContain("workflow.stopped");
    const env = { CONCORD_DATA_DIR: plan.dataDir, CONCORD_URL: cloud.appUrl };
    const shown = await concord(["alliances", "show", id], env);
    expect(shown.stdout).toContain("STOPPED — needs an admin:");

    // Retried from the CLI, it goes on from the activation: ACTIVE, the welcome mailed, the problem gone.
    const retried = await concord(["workflows", "retry", id], env);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain("runs again from where it stopped");
    const active = await waitStatus(cloud, id, "ACTIVE");
    expect(active.timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(["workflow.retried", "alliance.active"]),
    );
    await emailsTo(cloud, "noor.haddad@example.com", /Faulty activation pilot is active/);
    const after = (await admin<{ problems: Problem[] }>(cloud, "GET", `/admin/alliances/${id}`)).body;
    expect(after.problems).toEqual([]);
    const again = await admin<{ message: string }>(cloud, "POST", `/admin/alliances/${id}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain("nothing to retry");
  });

  it("cancels an alliance still forming: its links close with the reason, everyone asked is told, no problem is reported", async () => {
    const draft = await exampleDraft("light-touch-pilot.json");
    draft.name = "Cancelled pilot";
    const created = await admin<{ id: string }>(cloud, "POST", "/admin/alliances", draft);
    const id = created.body.id;
    const link = await linkFor(cloud, "noor.haddad@example.com", /Cancelled pilot: approve/);
    const problemRuns = async () => {
      const { body } = await local("GET", "/local/metrics");
      const byFunction = (body as { lambda: { byFunction: Record<string, number> } }).lambda.byFunction;
      return Object.entries(byFunction)
        .filter(([name]) => name.includes("ExecutionProblem"))
        .reduce((sum, [, n]) => sum + n, 0);
    };
    const runsBefore = await problemRuns();
    expect((await admin(cloud, "POST", `/admin/alliances/${id}/cancel`, {})).status).toBe(400);
    const cancelled = await admin<{ status: string; closedLinks: number }>(
      cloud,
      "POST",
      `/admin/alliances/${id}/cancel`,
      { reason: "Lumen merged with another partner" },
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual({ id, status: "CANCELLED", closedLinks: 2 });
    const page = await open(link);
    expect(page.status).toBe(410);
    expect(page.html).toContain("the alliance was cancelled: Lumen merged with another partner");
    for (const person of ["ellis.moreau@example.org", ORGANISER]) {
      const [told] = await emailsTo(cloud, person, /Cancelled pilot: the alliance was cancelled/);
      expect(told?.body.text).toContain("Lumen merged with another partner");
    }
    expect((await admin(cloud, "POST", `/admin/alliances/${id}/cancel`, { reason: "again" })).status).toBe(
      409,
    );
    const view = (
      await admin<{ status: string; problems: Problem[] }>(cloud, "GET", `/admin/alliances/${id}`)
    ).body;
    expect(view.status).toBe("CANCELLED");
    // The stopped formation's event reached the problem handler, which saw a deliberate stop: nothing to report.
    await waitFor("the stop reported", async () => ((await problemRuns()) > runsBefore ? true : undefined));
    const after = (await admin<{ problems: Problem[] }>(cloud, "GET", `/admin/alliances/${id}`)).body;
    expect(after.problems).toEqual([]);
  });
});
