import { afterAll, describe, expect, it } from "vitest";
import {
  admin,
  type CloudPlan,
  emailsTo,
  exampleDraft,
  inbox,
  linksIn,
  open,
  planCloud,
  type RunningCloud,
  removePlan,
  startCloud,
  submit,
  waitFor,
} from "./harness";

// kill -9 while approvals are pending: nothing lost, nothing sent twice.

const LEADS = ["amara.okafor@example.com", "diego.alvarez@example.com", "fatima.nasser@example.org"];

describe("restart", () => {
  let plan: CloudPlan;
  let cloud: RunningCloud | undefined;
  afterAll(async () => {
    await cloud?.stop();
    if (plan) await removePlan(plan);
  });

  it("completes a formation on the old links after kill -9 with approvals pending", async () => {
    plan = await planCloud();
    cloud = await startCloud(plan);
    const draft = await exampleDraft("pilot-three-partners.json");
    const { body } = await admin<{ id: string }>(cloud, "POST", "/admin/alliances", draft);
    for (const lead of LEADS) {
      const [email] = await emailsTo(cloud, lead, /interest/i);
      const link = linksIn(email as NonNullable<typeof email>).text[0] ?? "";
      await submit(link, {
        action: "decide",
        explicit: "Lower emissions",
        cannotAffordToLose: "Our customer base",
      });
    }
    const approvalLinks: string[] = [];
    for (const lead of LEADS) {
      const [email] = await emailsTo(cloud, lead, /approv/i);
      approvalLinks.push(linksIn(email as NonNullable<typeof email>).text[0] ?? "");
    }
    expect((await submit(approvalLinks[0] ?? "", { action: "decide", vote: "approve" })).status).toBe(200);
    const sentBefore = await inbox(cloud);

    await cloud.kill9();
    cloud = await startCloud(plan);

    const pending = (
      await admin<{ status: string; pendingRequests: unknown[] }>(cloud, "GET", `/admin/alliances/${body.id}`)
    ).body;
    expect(pending.status).toBe("FORMING");
    expect(pending.pendingRequests).toHaveLength(2);
    expect((await open(approvalLinks[0] ?? "")).status).toBe(409);
    for (const link of approvalLinks.slice(1)) {
      expect((await open(link)).status).toBe(200);
      expect((await submit(link, { action: "decide", vote: "approve" })).status).toBe(200);
    }
    const running = cloud;
    await waitFor("ACTIVE after restart", async () => {
      const view = (await admin<{ status: string }>(running, "GET", `/admin/alliances/${body.id}`)).body;
      return view.status === "ACTIVE" ? true : undefined;
    });
    await emailsTo(cloud, LEADS[0] ?? "", /active|welcome/i);

    const sentAfter = await inbox(cloud);
    expect(sentAfter.slice(0, sentBefore.length).map((e) => e.messageId)).toEqual(
      sentBefore.map((e) => e.messageId),
    );
    const keys = sentAfter.map((e) => `${e.destination.to.join(",")}|${e.subject}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
