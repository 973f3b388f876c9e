import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  admin,
  advanceClock,
  type CloudPlan,
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

// Formal exits, started by an admin over the admin API and followed through email and links only: one partner
// leaves under force majeure while a review is open, another's exit is cancelled mid-notice, and the alliance is
// finally dissolved.

interface AllianceView {
  status: string;
  partners: { id: string; status: string }[];
  reviews: { reviewId: string; status: string; outcome?: string }[];
  trust: { balances: Record<string, number> };
  exits: { exitId: string; status: string }[];
}

const DAY_MS = 86_400_000;
const OBSERVER = "jonas.berg@example.com";
const ADMIN = "admin@example.com";

describe("formal exits", () => {
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

  const view = async () => (await admin<AllianceView>(cloud, "GET", `/admin/alliances/${allianceId}`)).body;
  const startExit = (body: Record<string, unknown>) =>
    admin<{
      exitId: string;
      effectiveDate: string;
      message?: string;
      errors?: { path: string; message: string }[];
    }>(cloud, "POST", `/admin/alliances/${allianceId}/exits`, body);
  const localNow = async () =>
    Date.parse((await admin<{ now: string }>(cloud, "GET", "/local/clock")).body.now);
  const inDays = async (days: number) =>
    new Date((await localNow()) + days * DAY_MS).toISOString().slice(0, 10);

  it("lets a partner leave under force majeure: notice, acknowledgement, division, obligations, non-disparagement, EXITED, its open links closed", async () => {
    // A review is open when the exit starts: Clean Corridors' review link must close when it leaves.
    const review = await admin<{ reviewId: string }>(cloud, "POST", `/admin/alliances/${allianceId}/reviews`);
    expect(review.status).toBe(201);
    const reviewLink = await linkFor(cloud, PILOT_LEADS["clean-corridors"], /realignment review/i);

    const soon = await inDays(3);
    const tooShort = await startExit({
      partnerId: "clean-corridors",
      reason: "Funding ended",
      effectiveDate: soon,
    });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.errors?.[0]).toMatchObject({
      path: "effectiveDate",
      message: expect.stringContaining("the charter's notice period is 90 day(s)"),
    });
    const unknown = await startExit({ partnerId: "acme", reason: "x" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.path).toBe("partnerId");

    const started = await startExit({
      partnerId: "clean-corridors",
      reason: "Funding ended",
      effectiveDate: soon,
      forceMajeure: true,
    });
    expect(started.status).toBe(201);
    expect(started.body.effectiveDate.slice(0, 10)).toBe(soon);
    const again = await startExit({ partnerId: "clean-corridors", reason: "Twice" });
    expect(again.status).toBe(409);

    const [notice] = await emailsTo(cloud, OBSERVER, /Clean Corridors Trust leaves on/);
    expect(notice?.body.text).toContain("Reason: Funding ended");
    expect(notice?.body.text).toContain("force-majeure clause was invoked");
    const ackLink = await linkFor(cloud, PILOT_LEADS["clean-corridors"], /acknowledge .*exit notice/i);
    const unticked = await submit(ackLink, { action: "decide", comment: "Read it" });
    expect(unticked.status).toBe(400);
    expect(unticked.html).toContain("Tick the box to acknowledge the notice.");
    expect((await submit(ackLink, { action: "decide", confirmed: "yes" })).status).toBe(200);
    const leaving = await view();
    expect(leaving.partners.find((p) => p.id === "clean-corridors")?.status).toBe("EXITING");

    // The effective date: every partner still in (the leaver too) approves or contests the division.
    await advanceClock(cloud, "4d");
    const [proposed] = await emailsTo(cloud, OBSERVER, /how the shared assets divide/);
    expect(proposed?.body.text).toContain("Pilot emissions dataset: shared by voting weight");
    for (const lead of Object.values(PILOT_LEADS)) {
      const link = await linkFor(cloud, lead, /approve or contest the asset division/);
      expect((await open(link)).html).toContain("Clean Last Mile brand");
      expect((await submit(link, { action: "decide", answer: "approve" })).status).toBe(200);
    }
    // Settled: the wind-down obligations go to everyone, and each owner confirms its own through a link.
    const [obligations] = await emailsTo(cloud, OBSERVER, /wind-down obligations of Clean Corridors/);
    expect(obligations?.body.text).toContain(
      "Clean Corridors Trust returns or destroys the alliance's confidential information it holds",
    );
    const exitPath = `/admin/alliances/${allianceId}/exits/${started.body.exitId}`;
    const during = await admin<{ status: string; obligations: { owner: string; status: string }[] }>(
      cloud,
      "GET",
      exitPath,
    );
    expect(during.body.status).toBe("OBLIGATIONS");
    expect(during.body.obligations).toEqual([
      expect.objectContaining({ owner: "clean-corridors", status: "OPEN" }),
    ]);
    const obligation = await linkFor(cloud, PILOT_LEADS["clean-corridors"], /confirm when done/);
    expect((await submit(obligation, { action: "decide", confirmed: "yes" })).status).toBe(200);
    // Last, the charter's non-disparagement clause, acknowledged on its own page.
    const clause = await linkFor(cloud, PILOT_LEADS["clean-corridors"], /non-disparagement clause/);
    const bare = await submit(clause, { action: "decide" });
    expect(bare.status).toBe(400);
    expect(bare.html).toContain("Tick the box to acknowledge the non-disparagement clause.");
    expect((await submit(clause, { action: "decide", confirmed: "yes" })).status).toBe(200);

    const exited = await waitFor("Clean Corridors EXITED", async () => {
      const current = await view();
      return current.partners.find((p) => p.id === "clean-corridors")?.status === "EXITED"
        ? current
        : undefined;
    });
    expect(exited.status).toBe("ACTIVE");
    const shown = await admin<{
      status: string;
      divisionAnswers: { approved: string[] };
      obligations: { status: string; confirmedBy?: string }[];
    }>(cloud, "GET", exitPath);
    expect(shown.body.status).toBe("COMPLETED");
    expect(shown.body.divisionAnswers.approved).toHaveLength(3);
    expect(shown.body.obligations).toEqual([expect.objectContaining({ status: "DONE" })]);
    const [record] = await emailsTo(cloud, OBSERVER, /Clean Corridors Trust has left the alliance/);
    expect(record?.body.text).toMatch(
      /Acknowledgement: acknowledged by .* for Clean Corridors Trust on \d{4}-\d{2}-\d{2}/,
    );
    expect(record?.body.text).toMatch(/Division: approved by .*Harbor & Rail Logistics/);
    expect(record?.body.text).toMatch(
      /confidential information it holds, and confirms it in writing: done, confirmed by/,
    );
    expect(record?.body.text).toMatch(/Non-disparagement: acknowledged by .* for Clean Corridors Trust/);
    expect(record?.body.text).toContain("continues with Northwind Telematics, Harbor & Rail Logistics");
    // The partners still in can raise a concern from it; the one that left gets no link that could only say it is closed.
    expect(record?.body.text).toMatch(/Raise a concern .*\/c\/[A-Za-z0-9_-]+\?s=/);
    const [leaverCopy] = await emailsTo(
      cloud,
      PILOT_LEADS["clean-corridors"],
      /Clean Corridors Trust has left the alliance/,
    );
    expect(leaverCopy?.body.text).not.toMatch(/\/c\/[A-Za-z0-9_-]+\?s=/);

    // Its review link, still open when it left, now says so and records nothing.
    const closed = await open(reviewLink);
    expect(closed.status).toBe(410);
    expect(closed.html).toContain("left the alliance");
    expect(
      (await submit(reviewLink, { action: "decide", strategicFit: "5", goalCount: "0", stance: "continue" }))
        .status,
    ).toBe(410);
  });

  it("cancels an exit mid-notice: the partner stays, everyone is told, a second cancel is refused", async () => {
    const started = await startExit({ partnerId: "harbor-rail", reason: "Strategy review" });
    expect(started.status).toBe(201);
    // Mid-notice: the notice is out and Harbor & Rail has been asked to acknowledge.
    const ackLink = await linkFor(cloud, PILOT_LEADS["harbor-rail"], /acknowledge .*exit notice/i);
    const cancel = () =>
      admin(cloud, "POST", `/admin/alliances/${allianceId}/exits/${started.body.exitId}/cancel`, {
        reason: "Resolved at the steering committee",
      });
    expect((await cancel()).status).toBe(200);
    expect((await cancel()).status).toBe(409);
    const [told] = await emailsTo(cloud, OBSERVER, /Harbor & Rail Logistics's exit is cancelled/);
    expect(told?.body.text).toContain("Resolved at the steering committee");
    const current = await view();
    expect(current.partners.find((p) => p.id === "harbor-rail")?.status).toBe("ACTIVE");
    // Its acknowledgement link closes with the exit.
    expect((await open(ackLink)).status).toBe(410);
  });

  it("asks only the partners still in the alliance at the next review, then dissolves the alliance", async () => {
    // The open review: the two remaining leads answer; the exited partner is neither waited for nor counted.
    for (const lead of [PILOT_LEADS["northwind-telematics"], PILOT_LEADS["harbor-rail"]]) {
      const link = await linkFor(cloud, lead, /realignment review/i);
      const { goals } = (await admin<{ goals: string[] }>(cloud, "GET", `/admin/alliances/${allianceId}`))
        .body;
      const answer = {
        action: "decide",
        strategicFit: "4",
        goalCount: String(goals.length),
        ...Object.fromEntries(goals.map((_, i) => [`goal${i}`, "keep"])),
        stance: "continue",
      };
      expect((await submit(link, answer)).status).toBe(200);
    }
    // The review does not wait for the partner that left: it closes as soon as the two still in have answered.
    await waitFor("the first review closed", async () =>
      (await view()).reviews.every((r) => r.status === "CLOSED") ? true : undefined,
    );
    // Read again: the read that first sees the review closed may hold the ledger as it was a moment before.
    const closed = await view();
    expect(closed.reviews).toHaveLength(1);
    // Under the pilot's consensus rule a counted silence would have sunk continuing; the exited partner has no vote,
    // and is not charged a trust withdrawal for a review it left during.
    expect(closed.reviews[0]?.outcome).toBe("continue");
    expect(closed.trust.balances["clean-corridors"]).toBe(0);

    // A dissolution whose division Northwind contests: the admin decides it, with a transfer the plan did not have.
    const dissolve = await startExit({
      dissolve: true,
      reason: "The pilot is over",
      effectiveDate: await inDays(1),
      forceMajeure: true,
    });
    expect(dissolve.status).toBe(201);
    const exitPath = `/admin/alliances/${allianceId}/exits/${dissolve.body.exitId}`;
    await emailsTo(cloud, OBSERVER, /the alliance is dissolving on/);
    await advanceClock(cloud, "2d");
    // Each lead's second division request (the first was Clean Corridors' exit).
    const contest = await linkFor(
      cloud,
      PILOT_LEADS["northwind-telematics"],
      /approve or contest the asset division/,
      2,
    );
    const noReason = await submit(contest, { action: "decide", answer: "contest" });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain("Say why you contest the division");
    expect(
      (
        await submit(contest, {
          action: "decide",
          answer: "contest",
          reason: "Harbor paid for half our bikes",
        })
      ).status,
    ).toBe(200);
    // Harbor & Rail stays silent (no objection); the exited partner is not asked at all.
    await linkFor(cloud, PILOT_LEADS["harbor-rail"], /approve or contest the asset division/, 2);
    const askedClean = (await inbox(cloud)).filter(
      (e) =>
        e.destination.to.includes(PILOT_LEADS["clean-corridors"]) &&
        /contest the asset division/.test(e.subject),
    );
    expect(askedClean).toHaveLength(1); // its own exit's, long done
    await advanceClock(cloud, "8d");
    const [adminMail] = await emailsTo(cloud, ADMIN, /asset division of the dissolution goes to the admin/);
    expect(adminMail?.body.text).toContain("Northwind Telematics: Harbor paid for half our bikes");
    expect(adminMail?.body.text).toContain(`concord exits decide ${allianceId} ${dissolve.body.exitId}`);
    await emailsTo(cloud, OBSERVER, /asset division of the dissolution goes to the admin/);
    const waiting = await admin<{ status: string; divisionAnswers: { silent: string[] } }>(
      cloud,
      "GET",
      exitPath,
    );
    expect(waiting.body.status).toBe("ASSET_DIVISION");
    expect(waiting.body.divisionAnswers.silent).toEqual(["harbor-rail"]);

    const decide = (body: Record<string, unknown>) =>
      admin<{ errors?: { path: string; message: string }[] }>(cloud, "POST", `${exitPath}/division`, body);
    const bikes = { asset: "Electric cargo bikes (12)", from: "harbor-rail", share: 0.5, what: "buyout" };
    const wrong = await decide({ resolution: "Split the bikes", transfers: [{ ...bikes, to: "acme" }] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors?.[0]?.path).toBe("transfers[0].to");
    const decided = await decide({
      resolution: "Northwind buys Harbor's half of the bikes",
      transfers: [{ ...bikes, to: "northwind-telematics" }],
    });
    expect(decided.status).toBe(200);
    expect((await decide({ resolution: "Again" })).status).toBe(409);
    const [told] = await emailsTo(cloud, OBSERVER, /the asset division is decided/);
    expect(told?.body.text).toContain(
      "Harbor & Rail Logistics transfers its 50 % share of Electric cargo bikes (12) to Northwind Telematics, which buys it",
    );

    // The wind-down: Harbor confirms the transfer; Northwind its confidential information; Harbor's lapses.
    const transfer = await linkFor(cloud, PILOT_LEADS["harbor-rail"], /confirm when done: .*bikes/);
    expect((await submit(transfer, { action: "decide", confirmed: "yes" })).status).toBe(200);
    const secrets = await linkFor(
      cloud,
      PILOT_LEADS["northwind-telematics"],
      /confirm when done: .*confidential/,
    );
    expect((await submit(secrets, { action: "decide", confirmed: "yes" })).status).toBe(200);
    await linkFor(cloud, PILOT_LEADS["harbor-rail"], /confirm when done: .*confidential/);
    await advanceClock(cloud, "31d");

    // The non-disparagement round: a later review asks only the partners still in, and stays open past the end.
    const before = (await inbox(cloud)).filter((e) =>
      e.destination.to.includes(PILOT_LEADS["clean-corridors"]),
    );
    const clause = await linkFor(cloud, PILOT_LEADS["northwind-telematics"], /non-disparagement clause/);
    const second = await admin<{ reviewId: string }>(cloud, "POST", `/admin/alliances/${allianceId}/reviews`);
    expect(second.status).toBe(201);
    const openReviewLink = await linkFor(
      cloud,
      PILOT_LEADS["northwind-telematics"],
      /realignment review/i,
      2,
    );
    await linkFor(cloud, PILOT_LEADS["harbor-rail"], /realignment review/i, 2);
    const after = (await inbox(cloud)).filter((e) =>
      e.destination.to.includes(PILOT_LEADS["clean-corridors"]),
    );
    expect(after.length).toBe(before.length);
    expect((await submit(clause, { action: "decide", confirmed: "yes" })).status).toBe(200);
    await advanceClock(cloud, "8d");
    const dissolved = await waitFor("the alliance DISSOLVED", async () => {
      const current = await view();
      return current.status === "DISSOLVED" ? current : undefined;
    });
    expect(dissolved.partners.every((p) => p.status === "EXITED")).toBe(true);
    const [record] = await emailsTo(cloud, OBSERVER, /the alliance is dissolved/);
    expect(record?.body.text).toContain(
      "Division: decided by the admin: Northwind buys Harbor's half of the bikes",
    );
    expect(record?.body.text).toMatch(/to Northwind Telematics, which buys it: done, confirmed by/);
    expect(record?.body.text).toMatch(
      /Harbor & Rail Logistics returns or destroys .*: not confirmed by its due date/,
    );
    expect(record?.body.text).toMatch(/Non-disparagement: .*acknowledged by .* for Northwind Telematics on /);
    expect(record?.body.text).toMatch(
      /Non-disparagement: .*not acknowledged by Harbor & Rail Logistics by the deadline/,
    );
    const shown = await admin<{ obligations: { status: string }[] }>(cloud, "GET", exitPath);
    expect(shown.body.obligations.map((o) => o.status)).toEqual(["DONE", "DONE", "MISSED"]);
    // The review still open when it dissolved: its link says so and records nothing.
    const gone = await open(openReviewLink);
    expect(gone.status).toBe(410);
    expect(gone.html).toContain("the alliance was dissolved");
    expect((await admin(cloud, "POST", `/admin/alliances/${allianceId}/reviews`)).status).toBe(409);
    expect((await startExit({ partnerId: "harbor-rail", reason: "x" })).status).toBe(409);
  });

  it("dissolves a two-partner alliance when one partner leaves: no assets to divide, the leaver's obligation confirmed", async () => {
    const draft = await exampleDraft("light-touch-pilot.json");
    const created = await admin<{ id: string }>(cloud, "POST", "/admin/alliances", draft);
    expect(created.status).toBe(201);
    const id = created.body.id;
    const [lumen, riverside] = ["noor.haddad@example.com", "ellis.moreau@example.org"];
    for (const lead of [lumen, riverside]) {
      expect(
        (await submit(await linkFor(cloud, lead, /approv/i), { action: "decide", vote: "approve" })).status,
      ).toBe(200);
    }
    const alliance = async () => (await admin<AllianceView>(cloud, "GET", `/admin/alliances/${id}`)).body;
    await waitFor("the light-touch pilot ACTIVE", async () =>
      (await alliance()).status === "ACTIVE" ? true : undefined,
    );

    const started = await admin<{ exitId: string; effectiveDate: string }>(
      cloud,
      "POST",
      `/admin/alliances/${id}/exits`,
      { partnerId: "riverside-makers", reason: "The pilot met its goal early" },
    );
    expect(started.status).toBe(201);
    // The agreement's 14-day notice period: the exit takes effect when it ends.
    expect(Date.parse(started.body.effectiveDate) - (await localNow())).toBeGreaterThan(13 * DAY_MS);
    await linkFor(cloud, riverside, /acknowledge .*exit notice/i);
    await advanceClock(cloud, "15d");
    // No shared assets: nothing to approve; the leaver's confidential information is its one obligation.
    const obligation = await linkFor(cloud, riverside, /confirm when done: .*confidential/);
    expect((await submit(obligation, { action: "decide", confirmed: "yes" })).status).toBe(200);
    const dissolved = await waitFor("the light-touch pilot DISSOLVED", async () => {
      const current = await alliance();
      return current.status === "DISSOLVED" ? current : undefined;
    });
    expect(dissolved.partners.find((p) => p.id === "riverside-makers")?.status).toBe("EXITED");
    const [record] = await emailsTo(cloud, lumen, /Market Footfall Pilot: the alliance is dissolved/);
    expect(record?.body.text).toMatch(
      /Riverside Makers Co-op left the alliance .* Fewer than two partners remain, so the alliance is dissolved\./,
    );
    expect(record?.body.text).toMatch(/Acknowledgement: not acknowledged by .* by the deadline/);
    expect(
      (await inbox(cloud)).some((e) => /asset division/.test(e.subject) && e.destination.to.includes(lumen)),
    ).toBe(false);
  });
});
