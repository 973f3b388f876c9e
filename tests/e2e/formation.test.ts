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
import { formThreePartnerPilot, interestMap, linkFor, show, waitStatus } from "./pilot";

// Formation end to end, through HTTP and email only — as an admin and the partners would.

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
    await formThreePartnerPilot(cloud);
    // Every email goes in the alliance's name, names the organiser, and replies reach them; they hear of ACTIVE.
    const organiser = "sofia.marin@example.com";
    const [welcome] = await emailsTo(cloud, "amara.okafor@example.com", /is active/);
    expect(welcome?.from).toMatch(/^"Clean Last Mile Pilot via Concord" <[^<>]+@[^<>]+>$/);
    expect(welcome?.replyTo).toEqual([organiser]);
    expect(welcome?.body.text).toContain(
      `Organised by Sofia Marin (Clean Last Mile Programme Office), ${organiser}: reply to this email to reach them.`,
    );
    expect(welcome?.body.html).toContain("Organised by Sofia Marin");
    const [told] = await emailsTo(cloud, organiser, /Clean Last Mile Pilot is active/);
    expect(told?.body.text).not.toMatch(/\/c\/[A-Za-z0-9_-]+\?s=/);
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

    const noticeBefore = draft.charter.exitTerms.noticePeriodDays;
    draft.charter.exitTerms.noticePeriodDays = 30;
    const route = `/admin/alliances/${body.id}/revisions`;
    // An answer to a comment nobody made is refused, naming it, and saves nothing.
    const stray = await admin<{ errors: { path: string; message: string }[] }>(cloud, "POST", route, {
      draft,
      answers: { "riverside-makers": "We agree." },
    });
    expect(stray.status).toBe(400);
    expect(stray.body.errors[0]?.path).toBe("answers.riverside-makers");
    expect(stray.body.errors[0]?.message).toContain("left no comment on charter v1");
    expect((await show(cloud, body.id)).version).toBe(1);

    const answer = "We lengthened the notice period to 30 days, as you asked.";
    const revised = await admin<{ version: number; unansweredComments?: string[] }>(cloud, "POST", route, {
      draft,
      answers: { "lumen-analytics": answer },
    });
    expect(revised.status).toBe(201);
    expect(revised.body.version).toBe(2);
    expect(revised.body.unansweredComments).toBeUndefined();
    for (const person of ["noor.haddad@example.com", secondPartner]) {
      const email = await waitFor("v2 approval email", async () => {
        const emails = (await inbox(cloud)).filter(
          (e) =>
            e.destination.to.includes(person) && /revised one-page agreement \(version 2\)/.test(e.subject),
        );
        return emails[0];
      });
      // What changed since the version they voted on, and how the comment on it was answered.
      expect(email.body.text).toContain("This is version 2, revised after version 1 was not approved");
      expect(email.body.text).toContain("WHAT CHANGED SINCE VERSION 1");
      expect(email.body.text).toContain(`Exit terms, changed:\n    was: Notice period: ${noticeBefore} days`);
      expect(email.body.text).toContain("\n    now: Notice period: 30 days");
      expect(email.body.text).toContain("Lumen Analytics (rejected): Notice period too short");
      expect(email.body.text).toContain(`Answer: ${answer}`);
      const link = linksIn(email).text[0] ?? "";
      const page = await open(link);
      expect(page.html).toContain("What changed since version 1");
      expect(page.html).toContain(answer);
      expect(
        (await submit(link, { action: "decide", vote: "approve", comment: "Thanks, fine now." })).status,
      ).toBe(200);
    }
    const active = await waitStatus(cloud, body.id, "ACTIVE");
    expect(active.version).toBe(2);
    // `alliances show` keeps what was said with each vote, the rejected version's and the approved one's.
    const shown = await waitFor("comments of both votes", async () => {
      const view = await show(cloud, body.id);
      return view.charterComments.length === 2 ? view : undefined;
    });
    expect(shown.charterComments.map((round) => [round.version, round.outcome])).toEqual([
      [1, "not approved"],
      [2, "approved"],
    ]);
    expect(shown.charterComments[1]?.comments.map((c) => c.comment)).toEqual([
      "Thanks, fine now.",
      "Thanks, fine now.",
    ]);
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

  it("audits before anyone is mailed: check saves nothing, create answers with the findings and mails no partner", async () => {
    const draft = await exampleDraft("pilot-three-partners.json");
    draft.name = "Incomplete charter pilot";
    delete draft.charter.escalation;
    delete draft.charter.exitTerms;
    delete draft.organiser;
    const count = async () =>
      (await admin<{ alliances: unknown[] }>(cloud, "GET", "/admin/alliances")).body.alliances.length;
    const before = await count();
    type Findings = { area: string; severity: string; message: string }[];
    const checked = await admin<{ ok: boolean; findings: Findings }>(
      cloud,
      "POST",
      "/admin/alliances/check",
      draft,
    );
    expect(checked.status).toBe(200);
    expect(checked.body.ok).toBe(false);
    const missing = (findings: Findings) =>
      findings.filter((f) => f.severity === "missing").map((f) => f.area);
    expect(missing(checked.body.findings)).toEqual(
      expect.arrayContaining(["organiser", "conflict-resolution", "exit"]),
    );
    const invalid = await admin<{ errors: { path: string }[] }>(cloud, "POST", "/admin/alliances/check", {
      ...draft,
      partners: [],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0]?.path).toBe("partners");
    expect(await count()).toBe(before);

    const mailBefore = (await inbox(cloud)).length;
    const created = await admin<{
      id: string;
      status: string;
      executionArn?: string;
      auditFindings: Findings;
    }>(cloud, "POST", "/admin/alliances", draft);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "DRAFT" });
    expect(created.body.executionArn).toBeUndefined();
    expect(missing(created.body.auditFindings)).toEqual(missing(checked.body.findings));
    const view = await show(cloud, created.body.id);
    expect(view.status).toBe("DRAFT");
    expect(missing(view.auditFindings)).toEqual(missing(checked.body.findings));
    expect(view.pendingRequests).toEqual([]);
    expect((await inbox(cloud)).length).toBe(mailBefore);
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
