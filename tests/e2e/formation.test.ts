import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

// Formation end to end, through HTTP and email only — as an admin and the partners would.

interface AllianceView {
  id: string;
  status: string;
  version: number;
  mode: string;
  nextReviewAt?: string;
  partners: { id: string; contacts: { email: string; role: string }[] }[];
  pendingRequests: { kind: string; partnerId: string; contact: string; deadline: string }[];
  timeline: { type: string; summary: string; actor: { kind: string; email?: string } }[];
  lastRejection?: { comments: { partnerId: string; comment: string }[] };
  auditFindings: { area: string; severity: string; message: string }[];
}

const show = async (cloud: RunningCloud, id: string) =>
  (await admin<AllianceView>(cloud, "GET", `/admin/alliances/${id}`)).body;
const waitStatus = (cloud: RunningCloud, id: string, status: string) =>
  waitFor(`alliance ${id} ${status}`, async () => {
    const view = await show(cloud, id);
    return view.status === status ? view : undefined;
  });

/** The single partner link in the newest email to `to` whose subject matches; asserts it is in text and HTML. */
async function linkFor(cloud: RunningCloud, to: string, subject: RegExp, count = 1): Promise<string> {
  const emails = await emailsTo(cloud, to, subject, count);
  const email = emails[emails.length - 1];
  if (!email) throw new Error("no email");
  const links = linksIn(email);
  expect(links.text.length).toBeGreaterThan(0);
  expect(links.html).toContain(links.text[0]);
  return links.text[0] ?? "";
}

const interestMap = {
  action: "decide",
  explicit: "Cut urban delivery emissions\nShare routing data",
  implicit: "Keep our brand independent",
  cannotAffordToLose: "Control of customer data",
};

describe("formation", () => {
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

  it("forms the composite three-partner pilot: interest maps, unanimous approval, ACTIVE with a review date and a welcome email", async () => {
    const draft = await exampleDraft("pilot-three-partners.json");
    const created = await admin<{ id: string }>(cloud, "POST", "/admin/alliances", draft);
    expect(created.status).toBe(201);
    const id = created.body.id;
    const leads = ["amara.okafor@example.com", "diego.alvarez@example.com", "fatima.nasser@example.org"];

    for (const lead of leads) {
      const link = await linkFor(cloud, lead, /interest/i);
      const page = await open(link);
      expect(page.status).toBe(200);
      expect(page.html).toContain('name="cannotAffordToLose"');
      expect((await submit(link, interestMap)).status).toBe(200);
    }
    for (const lead of leads) {
      const link = await linkFor(cloud, lead, /approv/i);
      expect((await open(link)).html).toMatch(/approve/i);
      expect((await submit(link, { action: "decide", vote: "approve" })).status).toBe(200);
    }

    const active = await waitStatus(cloud, id, "ACTIVE");
    const days = (Date.parse(active.nextReviewAt ?? "") - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(80); // quarterly cadence
    expect(days).toBeLessThan(100);
    expect(active.pendingRequests).toEqual([]);
    const types = active.timeline.map((e) => e.type);
    expect(types.filter((t) => t === "request.decided")).toHaveLength(6);
    expect(types).toEqual(
      expect.arrayContaining([
        "alliance.created",
        "formation.started",
        "charter.approved",
        "alliance.active",
      ]),
    );
    const decided = active.timeline.find((e) => e.type === "request.decided");
    expect(decided?.actor).toMatchObject({ kind: "partner", email: leads[0] });

    // The welcome email reaches every contact, with the interest maps side by side.
    const everyone = active.partners.flatMap((p) => p.contacts.map((c) => c.email));
    expect(everyone).toHaveLength(9);
    for (const person of everyone) {
      const [welcome] = await emailsTo(cloud, person, /active|welcome/i);
      expect(welcome?.body.html).toContain("Control of customer data");
    }
  });

  it("returns a rejected charter to DRAFT with the partners' comments, and forms the resubmitted revision", async () => {
    const draft = await exampleDraft("light-touch-pilot.json");
    draft.name = "Rejected then revised pilot";
    const { body } = await admin<{ id: string }>(cloud, "POST", "/admin/alliances", draft);
    const first = await linkFor(cloud, "noor.haddad@example.com", /approv/i, 1);
    const secondPartner = "ellis.moreau@example.org";
    const before = (await inbox(cloud)).filter(
      (e) => e.destination.to.includes(secondPartner) && /approv/i.test(e.subject),
    ).length;
    expect(
      (await submit(first, { action: "decide", vote: "reject", comment: "Notice period too short" })).status,
    ).toBe(200);
    const second = await linkFor(cloud, secondPartner, /approv/i, before || 1);
    await submit(second, { action: "decide", vote: "approve" });

    const returned = await waitStatus(cloud, body.id, "DRAFT");
    await waitFor("rejection recorded", async () =>
      (await show(cloud, body.id)).lastRejection ? true : undefined,
    );
    const view = await show(cloud, body.id);
    expect(view.lastRejection?.comments).toEqual([
      expect.objectContaining({ partnerId: "lumen-analytics", comment: "Notice period too short" }),
    ]);
    expect(returned.version).toBe(1);

    draft.charter.exitTerms.noticePeriodDays = 30;
    const revised = await admin<{ version: number }>(
      cloud,
      "POST",
      `/admin/alliances/${body.id}/revisions`,
      draft,
    );
    expect(revised.status).toBe(201);
    expect(revised.body.version).toBe(2);
    for (const person of ["noor.haddad@example.com", secondPartner]) {
      const link = await waitFor("v2 approval link", async () => {
        const emails = (await inbox(cloud)).filter(
          (e) =>
            e.destination.to.includes(person) &&
            /approv/i.test(e.subject) &&
            /Rejected then revised/.test(e.subject),
        );
        return emails.length >= 2
          ? linksIn(emails[emails.length - 1] as (typeof emails)[number]).text[0]
          : undefined;
      });
      expect((await submit(link, { action: "decide", vote: "approve" })).status).toBe(200);
    }
    const active = await waitStatus(cloud, body.id, "ACTIVE");
    expect(active.version).toBe(2);
  });

  it("lets a lead hand its request to a colleague: new link for the colleague, the old one closed, both on the timeline", async () => {
    const draft = await exampleDraft("pilot-three-partners.json");
    draft.name = "Delegation pilot";
    const { body } = await admin<{ id: string }>(cloud, "POST", "/admin/alliances", draft);
    const [invite] = await emailsTo(cloud, "amara.okafor@example.com", /Delegation pilot: share/);
    const original = linksIn(invite as NonNullable<typeof invite>).text[0] ?? "";
    expect((await open(original)).html).toContain("jonas.berg@example.com");

    const handed = await submit(original, { action: "delegate", delegateTo: "jonas.berg@example.com" });
    expect(handed.status).toBe(200);
    expect(handed.html).toContain("Jonas");
    expect((await open(original)).status).toBe(410);

    const colleagueLink = await linkFor(cloud, "jonas.berg@example.com", /Delegation pilot/);
    expect((await submit(colleagueLink, interestMap)).status).toBe(200);
    const view = await show(cloud, body.id);
    const delegated = view.timeline.find((e) => e.type === "request.delegated");
    expect(delegated?.actor).toMatchObject({ kind: "partner", email: "amara.okafor@example.com" });
    const decided = view.timeline.find((e) => e.type === "request.decided");
    expect(decided?.actor).toMatchObject({ kind: "partner", email: "jonas.berg@example.com" });
    expect(view.pendingRequests.map((r) => r.partnerId).sort()).toEqual(["clean-corridors", "harbor-rail"]);
  });

  it("refuses to hand a request to someone outside the partner", async () => {
    const draft = await exampleDraft("pilot-three-partners.json");
    draft.name = "Delegation outsider pilot";
    await admin(cloud, "POST", "/admin/alliances", draft);
    const link = await linkFor(cloud, "diego.alvarez@example.com", /Delegation outsider pilot: share/);
    const refused = await submit(link, { action: "delegate", delegateTo: "amara.okafor@example.com" });
    expect(refused.status).toBe(400);
    expect((await open(link)).status).toBe(200);
  });

  it("keeps an incomplete charter in DRAFT with the audit's findings, and tells the partners' leads what is missing", async () => {
    const draft = await exampleDraft("pilot-three-partners.json");
    draft.name = "Incomplete charter pilot";
    delete draft.charter.escalation;
    delete draft.charter.exitTerms;
    const { body } = await admin<{ id: string }>(cloud, "POST", "/admin/alliances", draft);
    expect(body.id).toBeTruthy();
    const [notice] = await emailsTo(
      cloud,
      "fatima.nasser@example.org",
      /Incomplete charter pilot: the charter is missing/,
    );
    expect(notice?.body.text).toMatch(/exit/i);
    const view = await waitFor("audit findings", async () => {
      const current = await show(cloud, body.id);
      return current.auditFindings.length > 0 ? current : undefined;
    });
    expect(view.status).toBe("DRAFT");
    expect(view.auditFindings.filter((f) => f.severity === "missing").map((f) => f.area)).toEqual(
      expect.arrayContaining(["conflict-resolution", "exit"]),
    );
    expect(view.pendingRequests).toEqual([]);
    expect((await inbox(cloud)).filter((e) => /Incomplete charter pilot: share/.test(e.subject))).toEqual([]);
  });

  it("refuses invalid drafts with field-level errors and saves nothing", async () => {
    const valid = await exampleDraft("pilot-three-partners.json");
    const cases: [string, unknown, string][] = [
      ["one partner", { ...valid, partners: valid.partners.slice(0, 1) }, "partners"],
      [
        "bad contact email",
        {
          ...valid,
          partners: [
            { ...valid.partners[0], contacts: [{ name: "X", email: "not-an-email", role: "lead" }] },
            valid.partners[1],
          ],
        },
        "partners[0].contacts[0].email",
      ],
      ["missing name", { ...valid, name: undefined }, "name"],
      [
        "zero weight",
        { ...valid, partners: [{ ...valid.partners[0], votingWeight: 0 }, ...valid.partners.slice(1)] },
        "partners[0].votingWeight",
      ],
      ["not an object", [1, 2, 3], ""],
    ];
    const before = (await admin<{ alliances: unknown[] }>(cloud, "GET", "/admin/alliances")).body.alliances
      .length;
    for (const [label, draft, field] of cases) {
      const response = await admin<{ message: string; errors: { path: string; message: string }[] }>(
        cloud,
        "POST",
        "/admin/alliances",
        draft,
      );
      expect(response.status, label).toBe(400);
      expect(
        response.body.errors.map((e) => e.path),
        label,
      ).toContain(field);
    }
    const after = (await admin<{ alliances: unknown[] }>(cloud, "GET", "/admin/alliances")).body.alliances
      .length;
    expect(after).toBe(before);
  });

  it("answers 401 without the admin token", async () => {
    const response = await fetch(`${cloud.appUrl}/admin/alliances`);
    expect(response.status).toBe(401);
    const wrong = await fetch(`${cloud.appUrl}/admin/alliances`, {
      headers: { authorization: "Bearer nope" },
    });
    expect(wrong.status).toBe(401);
  });
});
