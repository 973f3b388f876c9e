import { afterEach, describe, expect, it } from "vitest";
import {
  admin,
  advanceClock,
  type CloudPlan,
  emailsTo,
  exampleDraft,
  linksIn,
  open,
  planCloud,
  type RunningCloud,
  removePlan,
  startCloud,
  startDynamoDb,
  stopDynamoDb,
  submit,
  waitFor,
} from "./harness";

// Nothing lost, nothing stuck: a dependency that is briefly down, and a crash at the worst moment.

interface AllianceView {
  status: string;
  timeline: { type: string; summary: string; requestId?: string }[];
}

/** The newest link mailed to `to` under a subject. */
async function linkTo(cloud: RunningCloud, to: string, subject: RegExp): Promise<string> {
  const emails = await emailsTo(cloud, to, subject);
  return linksIn(emails[emails.length - 1] as (typeof emails)[number]).text[0] ?? "";
}

const show = async (cloud: RunningCloud, id: string) =>
  (await admin<AllianceView>(cloud, "GET", `/admin/alliances/${id}`)).body;
const waitStatus = (cloud: RunningCloud, id: string, status: string, timeoutMs = 90_000) =>
  waitFor(
    `alliance ${id} ${status}`,
    async () => ((await show(cloud, id)).status === status ? true : undefined),
    timeoutMs,
  );

const interestMap = {
  action: "decide",
  explicit: "Share routing data",
  cannotAffordToLose: "Control of customer data",
};

describe("resilience", () => {
  let plan: CloudPlan | undefined;
  let cloud: RunningCloud | undefined;
  afterEach(async () => {
    await cloud?.stop();
    if (plan) await removePlan(plan);
    cloud = undefined;
    plan = undefined;
  });

  it("finishes every formation ACTIVE when DynamoDB Local is down for seconds while partners click and tasks run", async () => {
    plan = await planCloud();
    cloud = await startCloud(plan);
    const running = cloud;
    // A: weighted majority, so a silent small partner does not block it; its deadline passes during the outage.
    const first = await exampleDraft(undefined, "Outage pilot A");
    first.charter.approval.rule = { kind: "weighted-majority", threshold: 0.6 };
    const a = (await admin<{ id: string }>(running, "POST", "/admin/alliances", first)).body.id;
    const leads = ["amara.okafor@example.com", "diego.alvarez@example.com", "fatima.nasser@example.org"];
    for (const lead of leads) {
      expect((await submit(await linkTo(running, lead, /Outage pilot A: share/), interestMap)).status).toBe(
        200,
      );
    }
    for (const lead of leads.slice(0, 2)) {
      const link = await linkTo(running, lead, /Outage pilot A: approve/);
      expect((await submit(link, { action: "decide", vote: "approve" })).status).toBe(200);
    }
    // B: a light-touch formation whose partners click while DynamoDB is down, then again after.
    await advanceClock(running, "13d");
    const b = (
      await admin<{ id: string }>(
        running,
        "POST",
        "/admin/alliances",
        await exampleDraft("light-touch-pilot.json", "Outage pilot B"),
      )
    ).body.id;
    const bLinks = [
      await linkTo(running, "noor.haddad@example.com", /Outage pilot B: approve/),
      await linkTo(running, "ellis.moreau@example.org", /Outage pilot B: approve/),
    ];

    await stopDynamoDb(running);
    // A's last approval deadline passes now: its deadline step and everything after run against a dead table.
    await advanceClock(running, "2d");
    for (const link of bLinks) {
      const refused = await submit(link, { action: "decide", vote: "approve" });
      expect(refused.status).toBe(500);
      expect(refused.html).toContain("Something went wrong");
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await startDynamoDb(running);

    for (const link of bLinks)
      expect((await submit(link, { action: "decide", vote: "approve" })).status).toBe(200);
    await waitStatus(running, a, "ACTIVE");
    await waitStatus(running, b, "ACTIVE");
    const timeline = (await show(running, a)).timeline;
    expect(timeline.filter((e) => e.type === "request.expired")).toHaveLength(1);
    expect(timeline.filter((e) => e.type === "alliance.active")).toHaveLength(1);
    const failed = running.output().match(/TransientDependencyError/g) ?? [];
    expect(failed.length).toBeGreaterThan(0);
  });

  it("counts a decision once when the cloud is killed right after its SendTaskSuccess, and says so after the sweep", async () => {
    plan = await planCloud({ CONCORD_FAULT: "crash-after-send-task-success" });
    cloud = await startCloud(plan);
    const { body } = await admin<{ id: string }>(
      cloud,
      "POST",
      "/admin/alliances",
      await exampleDraft("light-touch-pilot.json", "Crash pilot"),
    );
    const noor = await linkTo(cloud, "noor.haddad@example.com", /Crash pilot: approve/);
    const ellis = await linkTo(cloud, "ellis.moreau@example.org", /Crash pilot: approve/);
    // The process dies between SendTaskSuccess and marking the request resumed: the POST gets no answer.
    await expect(submit(noor, { action: "decide", vote: "approve" })).rejects.toThrow();
    await cloud.stop();

    const { CONCORD_FAULT: _fault, ...env } = plan.env;
    plan = { ...plan, env };
    cloud = await startCloud(plan);
    expect((await open(noor)).status).toBe(409);
    expect((await submit(ellis, { action: "decide", vote: "approve" })).status).toBe(200);
    await waitStatus(cloud, body.id, "ACTIVE");

    // Past the grace period, the hourly sweep finds the decision that was never marked resumed.
    await advanceClock(cloud, "2h");
    const running = cloud;
    const delivered = await waitFor("the sweep's verdict", async () => {
      const found = (await show(running, body.id)).timeline.filter((e) => e.type === "request.delivered");
      return found.length > 0 ? found : undefined;
    });
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.summary).toMatch(/counts once/);
    const timeline = (await show(cloud, body.id)).timeline;
    expect(timeline.filter((e) => e.type === "request.decided")).toHaveLength(2);
    expect(timeline.some((e) => /not counted|too late/.test(e.summary))).toBe(false);
  });
});
