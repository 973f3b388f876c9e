import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  admin,
  advanceClock,
  type CloudPlan,
  concernLinkIn,
  emailsTo,
  exampleDraft,
  inbox,
  open,
  planCloud,
  type RunningCloud,
  removePlan,
  startCloud,
  submit,
  waitFor,
} from "./harness";
import { formThreePartnerPilot, linkFor, PILOT_LEADS } from "./pilot";

// The escalation ladder of the pilot's charter: operational leads (consensus, 7 days) → steering committee (weighted
// 66 % with the minority veto, 14 days) → executive sponsors (consensus, 14 days) → the admin is told. Raised through
// the admin API, climbed through emailed links only.

const COMMITTEE = {
  "northwind-telematics": "jonas.berg@example.com",
  "harbor-rail": "mei.lin@example.com",
  "clean-corridors": "ruth.adeyemi@example.org",
} as const;
const SPONSOR_NORTHWIND = "priya.raman@example.com";
const ADMIN = "admin@example.com";

interface EscalationView {
  status: string;
  rung: number;
  rungs: {
    rung: number;
    name: string;
    outcome?: string;
    reason?: string;
    vetoedBy?: { partnerId: string; reason?: string }[];
  }[];
  votes: { partnerId: string; choice: string; text?: string }[];
  resolution?: { text: string; rung: number };
  timeline: { type: string; summary: string }[];
}

describe("the escalation ladder", () => {
  let plan: CloudPlan;
  let cloud: RunningCloud;
  let allianceId: string;

  beforeAll(async () => {
    plan = await planCloud();
    cloud = await startCloud(plan);
    allianceId = await formThreePartnerPilot(cloud);
  }, 180_000);
  afterAll(async () => {
    await cloud?.stop();
    await removePlan(plan);
  });

  const raise = (body: Record<string, unknown>) =>
    admin<{ escalationId: string; errors?: { path: string; message: string }[]; message?: string }>(
      cloud,
      "POST",
      `/admin/alliances/${allianceId}/escalations`,
      body,
    );
  const show = async (id: string) =>
    (await admin<EscalationView>(cloud, "GET", `/admin/alliances/${allianceId}/escalations/${id}`)).body;
  const until = (id: string, what: string, ok: (view: EscalationView) => boolean) =>
    waitFor(what, async () => {
      const view = await show(id);
      return ok(view) ? view : undefined;
    });
  const idOf = async (subject: string) => {
    const { escalations } = (
      await admin<{ escalations: { escalationId: string; subject: string }[] }>(
        cloud,
        "GET",
        `/admin/alliances/${allianceId}/escalations`,
      )
    ).body;
    return escalations.find((e) => e.subject === subject)?.escalationId ?? "";
  };
  const answer = (link: string, choice: string, text?: string) =>
    submit(link, { action: "decide", choice, ...(text ? { text } : {}) });

  it("resolves a concern at the first rung when every lead resolves it, and refuses bad or duplicate concerns", async () => {
    const bad = await raise({
      subject: "x",
      description: "y",
      kind: "gossip",
      partnerIds: ["acme"],
      critical: "no",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.path)).toEqual(["kind", "critical"]);
    const unknown = await raise({
      subject: "x",
      description: "y",
      kind: "dispute",
      partnerIds: ["acme"],
      critical: false,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.path).toBe("partnerIds[0]");

    const raised = await raise({
      subject: "Route data shared late",
      description: "Harbor & Rail's route data arrived three weeks after the agreed date.",
      kind: "missed-commitment",
      partnerIds: ["harbor-rail"],
      critical: false,
    });
    expect(raised.status).toBe(201);
    const twice = await raise({
      subject: "Again",
      description: "The same",
      kind: "missed-commitment",
      partnerIds: ["harbor-rail"],
      critical: false,
    });
    expect(twice.status).toBe(409);

    const leads = Object.values(PILOT_LEADS);
    const links = await Promise.all(
      leads.map((lead) => linkFor(cloud, lead, /a concern at Operational leads: Route data/)),
    );
    const page = await open(links[0] as string);
    expect(page.html).toContain(
      "Harbor &amp; Rail&#39;s route data arrived three weeks after the agreed date.",
    );
    const blank = await answer(links[0] as string, "resolve");
    expect(blank.status).toBe(400);
    expect(blank.html).toContain("Write the resolution");
    for (const link of links) {
      expect((await answer(link, "resolve", "Harbor shares route data weekly from now on")).status).toBe(200);
    }
    const resolved = await until(
      raised.body.escalationId,
      "resolved at rung 1",
      (v) => v.status === "RESOLVED",
    );
    expect(resolved.resolution).toEqual(
      expect.objectContaining({ rung: 1, text: "Harbor shares route data weekly from now on" }),
    );
    const [told] = await emailsTo(
      cloud,
      COMMITTEE["clean-corridors"],
      /concern "Route data shared late" resolved/,
    );
    expect(told?.body.text).toContain("Resolution: Harbor shares route data weekly from now on");
    // An upheld missed commitment is a trust withdrawal for the partner concerned.
    expect(told?.body.text).toContain("a trust withdrawal is recorded for Harbor & Rail Logistics");
    const view = (
      await admin<{ trust: { balances: Record<string, number> }; escalations: { status: string }[] }>(
        cloud,
        "GET",
        `/admin/alliances/${allianceId}`,
      )
    ).body;
    expect(view.trust.balances["harbor-rail"]).toBe(-2);
    expect(view.escalations).toEqual([expect.objectContaining({ status: "RESOLVED" })]);
  });

  it("climbs by choice, past a minority veto and a missed deadline, to the admin; an old rung's link changes nothing", async () => {
    const raised = await raise({
      subject: "Publish the emissions dataset",
      description: "Northwind wants the pilot's emissions dataset published before the end of the pilot.",
      kind: "dispute",
      partnerIds: ["clean-corridors"],
      critical: true,
    });
    expect(raised.status).toBe(201);
    const id = raised.body.escalationId;
    // Rung 1, consensus: Clean Corridors escalates by choice; the rung closes without waiting for the others.
    const leadLink = await linkFor(
      cloud,
      PILOT_LEADS["clean-corridors"],
      /a concern at Operational leads: Publish/,
    );
    expect((await answer(leadLink, "escalate", "This needs the steering committee")).status).toBe(200);
    const atCommittee = await until(id, "at the steering committee", (v) => v.rung === 2);
    expect(atCommittee.rungs[0]).toMatchObject({ outcome: "escalated" });
    const otherLead = await linkFor(
      cloud,
      PILOT_LEADS["northwind-telematics"],
      /a concern at Operational leads: Publish/,
    );
    const late = await answer(otherLead, "resolve", "Publish it");
    expect(late.status).toBe(410);
    expect(late.html).toContain("the rung has decided");

    // Rung 2, critical with the minority veto: Northwind and Harbor (8 of 10) would resolve it; Clean Corridors vetoes.
    const [nw, hr, cc] = await Promise.all(
      Object.values(COMMITTEE).map((person) =>
        linkFor(cloud, person, /a concern at Steering committee: Publish/),
      ),
    );
    const history = await open(cc as string);
    expect(history.html).toContain("Clean Corridors Trust escalated it: This needs the steering committee");
    expect((await answer(nw as string, "resolve", "Publish in March")).status).toBe(200);
    // Until the rung closes a partner may change its answer: the page shows it, the last one counts.
    const recorded = await open(nw as string);
    expect(recorded.status).toBe(200);
    expect(recorded.html).toContain("You may change it until the rung closes");
    expect(recorded.html).toContain("Publish in March</textarea>");
    expect((await answer(nw as string, "resolve", "Publish in April, aggregated")).status).toBe(200);
    expect((await answer(hr as string, "resolve", "Agreed")).status).toBe(200);
    expect((await answer(cc as string, "escalate", "Our routes would be identifiable")).status).toBe(200);
    const atSponsors = await until(id, "at the executive sponsors", (v) => v.rung === 3);
    const committeeRung = (
      atSponsors as unknown as { rungs: { votes: { partnerId: string; text?: string }[] }[] }
    ).rungs[1];
    expect(committeeRung?.votes.find((v) => v.partnerId === "northwind-telematics")?.text).toBe(
      "Publish in April, aggregated",
    );
    expect(atSponsors.timeline.filter((e) => e.type === "request.revised")).toHaveLength(1);
    // Once the rung has closed, the answer can no longer change.
    expect((await answer(nw as string, "abstain")).status).toBe(409);
    expect(atSponsors.rungs[1]).toMatchObject({
      outcome: "vetoed",
      vetoedBy: [{ partnerId: "clean-corridors", reason: "Our routes would be identifiable" }],
    });
    const [moved] = await emailsTo(
      cloud,
      PILOT_LEADS["harbor-rail"],
      /concern "Publish the emissions dataset" moved to Executive sponsors/,
    );
    expect(moved?.body.text).toContain("minority veto");

    // Rung 3: only Northwind's sponsor answers; the deadline passes; past the last rung the admin is told.
    const sponsor = await linkFor(cloud, SPONSOR_NORTHWIND, /a concern at Executive sponsors: Publish/);
    expect((await answer(sponsor, "resolve", "Publish an aggregated version")).status).toBe(200);
    await advanceClock(cloud, "15d");
    const exhausted = await until(id, "past the last rung", (v) => v.status === "EXHAUSTED");
    expect(exhausted.rungs[2]).toMatchObject({ outcome: "missed" });
    const [alert] = await emailsTo(
      cloud,
      ADMIN,
      /concern "Publish the emissions dataset" passed the last rung/,
    );
    expect(alert?.body.text).toContain(`concord escalations show ${allianceId} ${id}`);
    expect(exhausted.timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        "escalation.raised",
        "escalation.escalated",
        "escalation.vetoed",
        "escalation.exhausted",
      ]),
    );
  });

  it("keeps two concerns open at once, each on its own thread, and withdraws one: its links close", async () => {
    const first = await raise({
      subject: "Harbor skips the stand-ups",
      description: "Harbor has missed four weekly stand-ups.",
      kind: "free-rider",
      partnerIds: ["harbor-rail"],
      critical: false,
    });
    // Force majeure starts where the charter's clause says: at the steering committee.
    const second = await raise({
      subject: "Grid outage at the depot",
      description: "Northwind's depot has had no power for a week; its bikes cannot charge.",
      kind: "force-majeure",
      partnerIds: ["northwind-telematics"],
      critical: false,
    });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.escalationId).not.toBe(second.body.escalationId);
    const link = await linkFor(
      cloud,
      PILOT_LEADS["clean-corridors"],
      /a concern at Operational leads: Harbor skips/,
    );
    await linkFor(cloud, COMMITTEE["clean-corridors"], /a concern at Steering committee: Grid outage/);
    const forceMajeure = await show(second.body.escalationId);
    expect(forceMajeure.rung).toBe(2);
    expect(forceMajeure.rungs[0]).toMatchObject({ name: "Operational leads", outcome: "skipped" });
    const listed = await admin<{ escalations: { escalationId: string; status: string }[] }>(
      cloud,
      "GET",
      `/admin/alliances/${allianceId}/escalations`,
    );
    expect(listed.body.escalations.filter((e) => e.status === "OPEN").map((e) => e.escalationId)).toEqual([
      first.body.escalationId,
      second.body.escalationId,
    ]);

    const withdraw = () =>
      admin(cloud, "POST", `/admin/alliances/${allianceId}/escalations/${first.body.escalationId}/withdraw`, {
        reason: "Harbor apologised and is back",
      });
    expect((await withdraw()).status).toBe(200);
    expect((await withdraw()).status).toBe(409);
    expect((await show(first.body.escalationId)).status).toBe("WITHDRAWN");
    const closed = await answer(link, "resolve", "Too late");
    expect(closed.status).toBe(410);
    const [told] = await emailsTo(
      cloud,
      COMMITTEE["harbor-rail"],
      /concern "Harbor skips the stand-ups" withdrawn/,
    );
    expect(told?.body.text).toContain("Harbor apologised and is back");
    // The other one is untouched, and a free-rider concern about Harbor may be raised again now.
    expect((await show(second.body.escalationId)).status).toBe("OPEN");
    const again = await raise({
      subject: "Harbor skips the stand-ups again",
      description: "Two more missed.",
      kind: "free-rider",
      partnerIds: ["harbor-rail"],
      critical: false,
    });
    expect(again.status).toBe(201);
    expect((await inbox(cloud)).length).toBeGreaterThan(0);
  });

  it("lets a partner raise a concern through the link under any email of the active alliance", async () => {
    const northwind = PILOT_LEADS["northwind-telematics"];
    const mail = await inbox(cloud);
    const toNorthwind = mail.filter((e) => e.destination.to.includes(northwind));
    // Formation's emails carry none (there is no ladder yet); the welcome and everything after carry one each.
    expect(toNorthwind.filter((e) => /share .*interests/.test(e.subject)).map(concernLinkIn)).toEqual([
      undefined,
    ]);
    const [welcome] = await emailsTo(cloud, northwind, /is active/);
    const link = concernLinkIn(welcome as never) ?? "";
    expect(link).not.toBe("");
    expect(welcome?.body.html).toContain(link.replace(/&/g, "&amp;"));
    // The admin is no partner: their copies carry no such link.
    expect(mail.filter((e) => e.destination.to.includes(ADMIN)).map(concernLinkIn)).not.toContain(
      expect.any(String),
    );

    const page = await open(link);
    expect(page.status).toBe(200);
    expect(page.html).toContain("You raise this concern for <strong>Northwind Telematics");
    expect(page.html).toContain('value="force-majeure"');
    const count = async () =>
      (await admin<{ escalations: unknown[] }>(cloud, "GET", `/admin/alliances/${allianceId}/escalations`))
        .body.escalations.length;
    const before = await count();
    const post = async (fields: [string, string][], secret = new URL(link).searchParams.get("s") ?? "") => {
      const response = await fetch(link, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams([["s", secret], ...fields]).toString(),
      });
      return { status: response.status, html: await response.text() };
    };
    const concern: [string, string][] = [
      ["subject", "Clean Corridors' depot reports are late"],
      ["description", "The monthly depot reports arrived six weeks late, twice."],
      ["kind", "dispute"],
      ["partnerIds", "clean-corridors"],
    ];
    const bad = await post([
      ["subject", ""],
      ["description", "x"],
      ["kind", "gossip"],
      ["partnerIds", "nobody"],
    ]);
    expect(bad.status).toBe(400);
    expect(bad.html).toContain("Nothing was recorded yet");
    expect(bad.html).toContain('id="subject-error"');
    expect(bad.html).toContain('id="kind-error"');
    const stranger = await post([
      ...concern.filter(([name]) => name !== "partnerIds"),
      ["partnerIds", "nobody"],
    ]);
    expect(stranger.status).toBe(400);
    expect(stranger.html).toContain('id="partnerIds-error"');
    expect(stranger.html).toContain("Clean Corridors&#39; depot reports are late");
    expect((await post(concern, "x".repeat(43))).status).toBe(403);
    expect(await count()).toBe(before);

    const raised = await post(concern);
    expect(raised.status).toBe(201);
    const escalationId = /reference (escalation-[a-z0-9-]+)/.exec(raised.html)?.[1] ?? "";
    expect(raised.html).toContain("It starts at <strong>Operational leads</strong>");
    // The same form sent again (a reload) says it was raised; another of that kind about that partner is refused.
    const again = await post(concern);
    expect(again.status).toBe(201);
    expect(again.html).toContain(`reference ${escalationId}`);
    const another = await post([["subject", "Reports still late"], ...concern.slice(1)]);
    expect(another.status).toBe(409);
    expect(another.html).toContain("already open");
    expect(await count()).toBe(before + 1);
    const view = await admin<{ raisedBy: { kind: string; partnerId: string }; status: string }>(
      cloud,
      "GET",
      `/admin/alliances/${allianceId}/escalations/${escalationId}`,
    );
    expect(view.body).toMatchObject({
      status: "OPEN",
      raisedBy: { kind: "partner", partnerId: "northwind-telematics", email: northwind },
    });
    await linkFor(cloud, PILOT_LEADS["harbor-rail"], /a concern at Operational leads: Clean Corridors/);
    const [notice] = await emailsTo(cloud, COMMITTEE["clean-corridors"], /concern "Clean Corridors' depot/);
    expect(notice?.body.text).toContain(`was raised by Northwind Telematics (${northwind})`);
  });

  it("records a rung vote only for the partner whose link it is", async () => {
    const subject = /a concern at Operational leads: Clean Corridors/;
    const northwindLink = await linkFor(cloud, PILOT_LEADS["northwind-telematics"], subject);
    const harborLink = await linkFor(cloud, PILOT_LEADS["harbor-rail"], subject);
    const id = await idOf("Clean Corridors' depot reports are late");
    // Northwind's secret on Harbor's link is refused; fields naming another partner are ignored.
    const forged = new URL(harborLink);
    forged.searchParams.set("s", new URL(northwindLink).searchParams.get("s") ?? "");
    expect((await answer(forged.toString(), "resolve", "Harbor says so")).status).toBe(403);
    const voted = await submit(northwindLink, {
      action: "decide",
      choice: "resolve",
      text: "Reports by the 5th of each month",
      partnerId: "harbor-rail",
      respondent: "harbor-rail",
    });
    expect(voted.status).toBe(200);
    const view = await show(id);
    expect(view.votes).toEqual([
      expect.objectContaining({ partnerId: "northwind-telematics", choice: "resolve" }),
    ]);
    expect(view.status).toBe("OPEN");
    expect(view.rung).toBe(1);
  });

  it("excuses the silence of a partner under force majeure: its weight leaves the vote and it is told why", async () => {
    // Raised above: Northwind's grid outage, at the steering committee (weighted, 66 %). Harbor (4) and Clean
    // Corridors (2) resolve it; Northwind (4) stays silent. Counted as an abstention that is 6 of 10, short of 66 %;
    // with Northwind's deadlines suspended by the clause (60 days), its weight leaves the vote: 6 of 6.
    const id = await idOf("Grid outage at the depot");
    for (const partnerId of ["harbor-rail", "clean-corridors"] as const) {
      const link = await linkFor(cloud, COMMITTEE[partnerId], /a concern at Steering committee: Grid outage/);
      expect(
        (await answer(link, "resolve", "Northwind's deliveries pause until the grid is back")).status,
      ).toBe(200);
    }
    expect((await show(id)).status).toBe("OPEN");
    await advanceClock(cloud, "15d");
    const resolved = await until(id, "resolved at the committee", (v) => v.status === "RESOLVED");
    expect(resolved.rungs[1]).toMatchObject({ name: "Steering committee", outcome: "resolved" });
    expect(resolved.rungs[1]).toMatchObject({ excused: ["northwind-telematics"], missed: [] });
    const [told] = await emailsTo(
      cloud,
      COMMITTEE["northwind-telematics"],
      /the deadline for Northwind Telematics's answer on the concern has passed/,
    );
    expect(told?.body.text).toContain(
      "Northwind Telematics's deadlines are suspended under the force-majeure clause until",
    );
  });

  it("hands a concern past the last rung to the exit plan when the charter says so", async () => {
    const draft = await exampleDraft("light-touch-pilot.json");
    draft.name = "Footfall pilot with a ladder";
    draft.charter.escalation = {
      rungs: [
        { name: "Leads", participants: ["lead"], deadlineDays: 3, decision: { kind: "any-participant" } },
      ],
      afterLastRung: "invoke-exit",
    };
    const created = await admin<{ id: string }>(cloud, "POST", "/admin/alliances", draft);
    expect(created.status).toBe(201);
    const id = created.body.id;
    const [lumen, riverside] = ["noor.haddad@example.com", "ellis.moreau@example.org"];
    for (const lead of [lumen, riverside]) {
      const link = await linkFor(cloud, lead, /Footfall pilot with a ladder: approve/);
      expect((await submit(link, { action: "decide", vote: "approve" })).status).toBe(200);
    }
    const alliance = async () =>
      (
        await admin<{ status: string; exits: { partnerId?: string; status: string }[] }>(
          cloud,
          "GET",
          `/admin/alliances/${id}`,
        )
      ).body;
    await waitFor("ACTIVE", async () => ((await alliance()).status === "ACTIVE" ? true : undefined));

    const raised = await admin<{ escalationId: string }>(
      cloud,
      "POST",
      `/admin/alliances/${id}/escalations`,
      {
        subject: "Riverside stopped sharing stall data",
        description: "No stall data since the second month.",
        kind: "free-rider",
        partnerIds: ["riverside-makers"],
        critical: false,
      },
    );
    expect(raised.status).toBe(201);
    // Under any-participant, one abstention settles nothing; then the rung's deadline passes.
    const link = await linkFor(cloud, lumen, /a concern at Leads: Riverside stopped/);
    expect((await answer(link, "abstain")).status).toBe(200);
    await advanceClock(cloud, "4d");
    const exhausted = await waitFor("EXHAUSTED", async () => {
      const view = (
        await admin<EscalationView>(
          cloud,
          "GET",
          `/admin/alliances/${id}/escalations/${raised.body.escalationId}`,
        )
      ).body;
      return view.status === "EXHAUSTED" ? view : undefined;
    });
    expect(exhausted.rungs[0]).toMatchObject({ outcome: "missed" });
    const exiting = await waitFor("Riverside's exit started", async () => {
      const view = await alliance();
      return view.exits.length > 0 ? view : undefined;
    });
    expect(exiting.exits).toEqual([
      expect.objectContaining({ partnerId: "riverside-makers", status: "NOTICE" }),
    ]);
    await emailsTo(cloud, lumen, /Riverside Makers Co-op leaves on/);
    const [told] = await emailsTo(
      cloud,
      lumen,
      /concern "Riverside stopped sharing stall data" passed the last rung/,
    );
    expect(told?.body.text).toMatch(
      /The charter invokes the exit plan\. Riverside Makers Co-op's exit exit-.* has started/,
    );
  });
});
