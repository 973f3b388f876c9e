import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  admin,
  advanceClock,
  type CloudPlan,
  concord,
  emailsTo,
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

// A realignment review started by an admin, answered by the partners' leads through their emailed links, and
// closed by the charter's rule for strategic decisions: HTTP and email only.

interface ReviewView {
  status: string;
  version: number;
  interestMaps: Record<string, unknown>;
  nextReviewAt?: string;
  goals: string[];
  reviews: { reviewId: string; status: string; outcome?: string }[];
  trust: { balances: Record<string, number> };
  timeline: { at: string; type: string; summary: string }[];
}

const LEADS = PILOT_LEADS;

describe("realignment review", () => {
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

  const view = async () => (await admin<ReviewView>(cloud, "GET", `/admin/alliances/${allianceId}`)).body;
  const ADMIN = "admin@example.com";
  const answer = (goals: number, stance: "continue" | "leave", change?: string) => ({
    action: "decide",
    strategicFit: "4",
    goalCount: String(goals),
    ...Object.fromEntries(
      Array.from({ length: goals }, (_, i) => [`goal${i}`, i === 0 && change ? "change" : "keep"]),
    ),
    ...(change ? { goal0Wording: change } : {}),
    stronger: "A shared data room",
    stance,
  });
  // The alliance view reads the alliance before its reviews, so the read that first sees a review CLOSED may hold
  // the alliance as it was a moment before (the close sets the next date, then closes the review): read it again.
  const closedReview = async (reviewId: string) => {
    const review = await waitFor(`review ${reviewId} closed`, async () => {
      const found = (await view()).reviews.find((r) => r.reviewId === reviewId);
      return found?.status === "CLOSED" ? found : undefined;
    });
    return { current: await view(), review };
  };

  it("asks every lead, and closes with 'continue' when all keep the goals and continue; everyone gets the summary", async () => {
    const before = await view();
    const started = await admin<{ reviewId: string }>(
      cloud,
      "POST",
      `/admin/alliances/${allianceId}/reviews`,
    );
    expect(started.status).toBe(201);
    const again = await admin<{ message: string }>(cloud, "POST", `/admin/alliances/${allianceId}/reviews`);
    expect(again.status).toBe(409);

    for (const lead of Object.values(LEADS)) {
      const link = await linkFor(cloud, lead, /realignment review/i);
      const page = await open(link);
      expect(page.status).toBe(200);
      expect(page.html).toContain('name="strategicFit"');
      expect(page.html).toContain(before.goals[0] ?? "");
      expect((await submit(link, answer(before.goals.length, "continue"))).status).toBe(200);
    }
    const { current, review } = await closedReview(started.body.reviewId);
    expect(review.outcome).toBe("continue");
    expect(Date.parse(current.nextReviewAt ?? "")).toBeGreaterThanOrEqual(
      Date.parse(before.nextReviewAt ?? ""),
    );
    const [summary] = await emailsTo(cloud, "jonas.berg@example.com", /review closed \(continue\)/);
    expect(summary?.body.text).toContain("strategic fit 4/5, wants to continue");
    expect(summary?.body.text).toContain("A shared data room");
  });

  it("refuses an answer without a score or a stance, naming them; adjusts the goals as a new charter version when all carry a change", async () => {
    const before = await view();
    const started = await admin<{ reviewId: string }>(
      cloud,
      "POST",
      `/admin/alliances/${allianceId}/reviews`,
    );
    expect(started.status).toBe(201);
    const link = await linkFor(cloud, LEADS["harbor-rail"], /realignment review/i, 2);
    const refused = await submit(link, { action: "decide", goalCount: String(before.goals.length) });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain("Choose a score from 1 to 5.");
    expect(refused.html).toContain("Choose continue or leave.");

    // Under the pilot's consensus rule for strategy, a goal changes when every partner proposes the same wording.
    const wording = "Cut urban emissions by half";
    expect((await submit(link, answer(before.goals.length, "continue", wording))).status).toBe(200);
    for (const lead of [LEADS["northwind-telematics"], LEADS["clean-corridors"]]) {
      const other = await linkFor(cloud, lead, /realignment review/i, 2);
      expect((await submit(other, answer(before.goals.length, "continue", `  ${wording}`))).status).toBe(200);
    }
    const { current, review } = await closedReview(started.body.reviewId);
    expect(review.outcome).toBe("adjust-goals");
    expect(current.version).toBe(before.version + 1);
    expect(current.goals).toEqual([wording, ...before.goals.slice(1)]);
    // The interest maps collected at formation stay readable on the new version.
    expect(Object.keys(current.interestMaps)).toHaveLength(3);
    const [summary] = await emailsTo(cloud, "jonas.berg@example.com", /review closed \(adjust-goals\)/);
    expect(summary?.body.text).toContain(`charter version ${current.version}`.toUpperCase());
    expect(summary?.body.text).toContain(`"${before.goals[0]}" → "${wording}"`);
    expect(summary?.body.html).toContain("The goals, before and after");
    // Nothing went to the admin: continuing with new goals needs no one (the admin's word would follow the summary).
    expect((await inbox(cloud)).filter((e) => e.destination.to.includes(ADMIN))).toHaveLength(0);
  });

  it("raises an escalation and tells the admin when the partners agree a goal must change but not how", async () => {
    const { goals } = await view();
    const started = await admin<{ reviewId: string }>(
      cloud,
      "POST",
      `/admin/alliances/${allianceId}/reviews`,
    );
    expect(started.status).toBe(201);
    const proposals = [
      "Cut urban emissions by 60%",
      "Cut urban emissions by 40%",
      "Cut urban emissions by 40%",
    ];
    for (const [i, lead] of Object.values(LEADS).entries()) {
      const link = await linkFor(cloud, lead, /realignment review/i, 3);
      expect((await submit(link, answer(goals.length, "continue", proposals[i]))).status).toBe(200);
    }
    const { current, review } = await closedReview(started.body.reviewId);
    expect(review.outcome).toBe("escalate");
    expect(current.goals).toEqual(goals);
    const [notice] = await emailsTo(cloud, ADMIN, /a review raised an escalation/);
    expect(notice?.body.text).toContain(`"${goals[0]}" must change, but no one proposal was carried`);
    expect(notice?.body.text).toContain(`concord alliances show ${allianceId}`);
  });

  it("counts a partner's silence by the charter (consensus: continuing is not carried) and as a trust withdrawal", async () => {
    const { goals } = await view();
    const started = await admin<{ reviewId: string }>(
      cloud,
      "POST",
      `/admin/alliances/${allianceId}/reviews`,
    );
    expect(started.status).toBe(201);
    for (const lead of [LEADS["northwind-telematics"], LEADS["harbor-rail"]]) {
      const link = await linkFor(cloud, lead, /realignment review/i, 4);
      expect((await submit(link, answer(goals.length, "continue"))).status).toBe(200);
    }
    await advanceClock(cloud, "30d");
    const { current, review } = await closedReview(started.body.reviewId);
    expect(review.outcome).toBe("exit-recommended");
    expect(current.trust.balances["clean-corridors"]).toBe(-1);
    expect(current.timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(["review.closed", "trust.withdrawal"]),
    );
    const [summary] = await emailsTo(cloud, "jonas.berg@example.com", /review closed \(exit-recommended\)/);
    expect(summary?.body.text).toContain("Clean Corridors Trust: no answer by the deadline");
    const [notice] = await emailsTo(cloud, ADMIN, /a review recommends an exit/);
    expect(notice?.body.text).toContain("Continuing was not carried");

    // The admin sees who answered and who missed it, through the API and the CLI.
    const shown = await admin<{
      outcome: string;
      partners: { partnerId: string; status: string; countedAs?: string; answer?: { stance: string } }[];
    }>(cloud, "GET", `/admin/alliances/${allianceId}/reviews/${started.body.reviewId}`);
    expect(shown.status).toBe(200);
    expect(shown.body.outcome).toBe("exit-recommended");
    expect(shown.body.partners).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ partnerId: "clean-corridors", status: "MISSED", countedAs: "abstain" }),
        expect.objectContaining({
          partnerId: "harbor-rail",
          status: "ANSWERED",
          answer: expect.objectContaining({ stance: "continue" }),
        }),
      ]),
    );
    const cli = await concord(["reviews", "show", allianceId, started.body.reviewId], {
      CONCORD_DATA_DIR: plan.dataDir,
      CONCORD_URL: cloud.appUrl,
    });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain("Clean Corridors Trust: missed the deadline");
    expect(cli.stdout).toContain("outcome: exit-recommended");
    const unknown = await admin<{ message: string }>(
      cloud,
      "GET",
      `/admin/alliances/${allianceId}/reviews/review-${allianceId}-0099`,
    );
    expect(unknown.status).toBe(404);
  });

  it("starts a due review by itself, once, however late the schedule runs, and says how late", async () => {
    const before = await view();
    // Months past the due date, as if the cloud had been stopped: one review catches up, not one per quarter missed.
    await advanceClock(cloud, "200d");
    const started = await waitFor("the overdue review started by the schedule", async () => {
      const current = await view();
      return current.reviews.length === before.reviews.length + 1 ? current : undefined;
    });
    const running = started.reviews.filter((r) => r.status === "RUNNING");
    expect(running).toHaveLength(1);
    const late = started.timeline.filter((e) => e.type === "review.late");
    expect(late).toHaveLength(1);
    expect(late[0]?.summary).toMatch(/started (1[0-9]{2}) day\(s\) late/);
    await linkFor(cloud, LEADS["harbor-rail"], /realignment review/i, 5);
    // The next sweeps find nothing due: the running review took the alliance off the reviews-due index.
    await advanceClock(cloud, "2h");
    await advanceClock(cloud, "2h");
    expect((await view()).reviews).toHaveLength(before.reviews.length + 1);
  });

  it("moves the next date when the review carries a new cadence (a new charter version)", async () => {
    // The review the schedule started above is still open: every lead continues and would review once a year.
    const before = await view();
    const running = before.reviews.find((r) => r.status === "RUNNING");
    expect(running).toBeDefined();
    for (const lead of Object.values(LEADS)) {
      const link = await linkFor(cloud, lead, /realignment review/i, 5);
      const page = await open(link);
      expect(page.html).toContain("As now (quarterly)");
      expect(
        (await submit(link, { ...answer(before.goals.length, "continue"), cadence: "annual" })).status,
      ).toBe(200);
    }
    const { current, review } = await closedReview(running?.reviewId ?? "");
    expect(review.outcome).toBe("adjust-goals");
    expect(current.version).toBe(before.version + 1);
    const closedAt = current.timeline.filter((e) => e.type === "review.closed").at(-1);
    const days = (Date.parse(current.nextReviewAt ?? "") - Date.parse(closedAt?.at ?? "")) / 86_400_000;
    // A year on (365 or 366 days), where the charter's quarterly cadence would have said about 91.
    expect(days).toBeGreaterThanOrEqual(364);
    expect(days).toBeLessThanOrEqual(367);
    const summary = (await emailsTo(cloud, "jonas.berg@example.com", /review closed \(adjust-goals\)/, 2)).at(
      -1,
    );
    expect(summary?.body.text).toContain("Reviews: quarterly → annual");
  });
});
