import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  admin,
  type CloudPlan,
  emailsTo,
  exampleDraft,
  linksIn,
  open,
  planCloud,
  type RunningCloud,
  removePlan,
  startCloud,
  submit,
  waitFor,
} from "./harness";

// Admin actions on requests (resend a link, replace a partner's contact), through HTTP and email only.

interface AllianceView {
  id: string;
  partners: { id: string; contacts: { name: string; email: string; role: string }[] }[];
  pendingRequests: { requestId: string; kind: string; partnerId: string; contact: string }[];
  timeline: { type: string; summary: string; actor: { kind: string } }[];
}

const interestMap = {
  action: "decide",
  explicit: "Share routing data",
  implicit: "Keep our brand independent",
  cannotAffordToLose: "Control of customer data",
};

/** The links of every email to `to` whose subject matches, oldest first (waits for `count` of them). */
async function linksTo(cloud: RunningCloud, to: string, subject: RegExp, count = 1): Promise<string[]> {
  const emails = await emailsTo(cloud, to, subject, count);
  return emails.map((email) => linksIn(email).text[0] ?? "");
}

describe("admin actions on requests", () => {
  let plan: CloudPlan;
  let cloud: RunningCloud;
  const show = async (id: string) => (await admin<AllianceView>(cloud, "GET", `/admin/alliances/${id}`)).body;
  const replaceContact = <T>(id: string, body: unknown) =>
    admin<T>(cloud, "POST", `/admin/alliances/${id}/contact-replacements`, body);

  beforeAll(async () => {
    plan = await planCloud();
    cloud = await startCloud(plan);
  });
  afterAll(async () => {
    await cloud?.stop();
    await removePlan(plan);
  });

  it("re-sends an open request as a fresh link, keeps the first link working, and refuses a closed one", async () => {
    const { body } = await admin<{ id: string }>(
      cloud,
      "POST",
      "/admin/alliances",
      await exampleDraft(undefined, "Resend pilot"),
    );
    const [first = ""] = await linksTo(cloud, "amara.okafor@example.com", /Resend pilot: share/);
    const pending = await waitFor("amara's request", async () =>
      (await show(body.id)).pendingRequests.find((r) => r.contact === "amara.okafor@example.com"),
    );

    const resent = await admin<{ contact: string }>(
      cloud,
      "POST",
      `/admin/requests/${pending.requestId}/resend`,
    );
    expect(resent.status).toBe(200);
    expect(resent.body.contact).toBe("amara.okafor@example.com");
    const [, second = ""] = await linksTo(cloud, "amara.okafor@example.com", /Resend pilot: share/, 2);
    expect(second).not.toBe(first);
    expect((await open(first)).status).toBe(200);
    expect((await submit(second, interestMap)).status).toBe(200);
    expect((await open(first)).status).toBe(409);

    const again = await admin<{ message: string }>(
      cloud,
      "POST",
      `/admin/requests/${pending.requestId}/resend`,
    );
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/closed \(DECIDED\).*nothing was sent/);
    const unknown = await admin<{ message: string }>(cloud, "POST", "/admin/requests/not-a-request/resend");
    expect(unknown.status).toBe(404);

    const view = await show(body.id);
    expect(view.timeline.filter((e) => e.type === "request.resent")).toHaveLength(1);
    expect(view.timeline.find((e) => e.type === "request.resent")?.actor.kind).toBe("admin");
  });

  it("replaces a contact: the old link closes and says why, the new contact's link decides, later rounds ask them", async () => {
    const { body } = await admin<{ id: string }>(
      cloud,
      "POST",
      "/admin/alliances",
      await exampleDraft(undefined, "Replace pilot"),
    );
    const [oldLink = ""] = await linksTo(cloud, "diego.alvarez@example.com", /Replace pilot: share/);

    const replaced = await replaceContact<{ moved: { kind: string }[] }>(body.id, {
      partnerId: "harbor-rail",
      replace: "diego.alvarez@example.com",
      with: { name: "Lena Park", email: "lena.park@example.com" },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.moved.map((m) => m.kind)).toEqual(["interest-map"]);

    // The same replacement again (an admin retrying after a timeout) changes nothing more.
    const again = await replaceContact<{ moved: unknown[] }>(body.id, {
      partnerId: "harbor-rail",
      replace: "diego.alvarez@example.com",
      with: { name: "Lena Park", email: "lena.park@example.com" },
    });
    expect(again.status).toBe(200);
    expect(again.body.moved).toEqual([]);

    const closed = await open(oldLink);
    expect(closed.status).toBe(410);
    expect(closed.html).toContain("Lena Park replaced Diego");
    expect((await submit(oldLink, interestMap)).status).toBe(410);

    const [newLink = ""] = await linksTo(cloud, "lena.park@example.com", /Replace pilot: share/);
    expect((await open(newLink)).html).toContain("Lena Park");
    expect((await submit(newLink, interestMap)).status).toBe(200);

    // The amendment is the alliance's contact list now: the approval round asks Lena, not Diego.
    for (const lead of ["amara.okafor@example.com", "fatima.nasser@example.org"]) {
      const [link = ""] = await linksTo(cloud, lead, /Replace pilot: share/);
      expect((await submit(link, interestMap)).status).toBe(200);
    }
    await linksTo(cloud, "lena.park@example.com", /Replace pilot: approve/);
    const view = await show(body.id);
    const harbor = view.partners.find((p) => p.id === "harbor-rail");
    expect(harbor?.contacts.map((c) => c.email)).toContain("lena.park@example.com");
    expect(harbor?.contacts.map((c) => c.email)).not.toContain("diego.alvarez@example.com");
    expect(harbor?.contacts.find((c) => c.email === "lena.park@example.com")?.role).toBe("lead");
    expect(view.timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(["alliance.contact-replaced", "request.replaced"]),
    );
    const emailsToDiego = await emailsTo(cloud, "diego.alvarez@example.com", /Replace pilot/);
    expect(emailsToDiego.filter((e) => /approve/.test(e.subject))).toHaveLength(0);
  });

  it("refuses to replace a contact the partner does not have, naming the field, and changes nothing", async () => {
    const { body } = await admin<{ id: string }>(
      cloud,
      "POST",
      "/admin/alliances",
      await exampleDraft(undefined, "Replace typo pilot"),
    );
    const refused = await replaceContact<{ message: string; errors: { path: string }[] }>(body.id, {
      partnerId: "harbor-rail",
      replace: "nobody@example.com",
      with: { name: "Lena Park", email: "lena.park@example.com" },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e) => e.path)).toEqual(["replace"]);
    const invalid = await replaceContact<{ errors: { path: string }[] }>(body.id, {
      partnerId: "harbor-rail",
      replace: "diego.alvarez@example.com",
      with: { name: "Lena Park", email: "not-an-email" },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e) => e.path)).toEqual(["with.email"]);
    const leaderless = await replaceContact<{ message: string; errors: { path: string }[] }>(body.id, {
      partnerId: "harbor-rail",
      replace: "diego.alvarez@example.com",
      with: { name: "Lena Park", email: "lena.park@example.com", role: "sponsor" },
    });
    expect(leaderless.status).toBe(400);
    expect(leaderless.body.errors.map((e) => e.path)).toEqual(["with.role"]);
    expect(leaderless.body.message).toMatch(/only lead/);
    const view = await show(body.id);
    expect(view.timeline.some((e) => e.type === "alliance.contact-replaced")).toBe(false);
  });
});
