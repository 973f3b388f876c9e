import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  admin,
  advanceClock,
  type CloudPlan,
  emailsTo,
  open,
  planCloud,
  type RunningCloud,
  removePlan,
  startCloud,
  submit,
  waitFor,
} from "./harness";
import { formThreePartnerPilot, linkFor, PILOT_LEADS } from "./pilot";

// Monthly health check-ins, started by the schedule alone, answered through emailed links: a low average brings the
// realignment review forward, and an acknowledged contribution is a trust deposit. HTTP and email only.

interface AllianceView {
  nextReviewAt?: string;
  reviews: { reviewId: string; status: string }[];
  trust: { balances: Record<string, number> };
  timeline: { at: string; type: string; summary: string }[];
}

const LEADS = PILOT_LEADS;
const DAY_MS = 86_400_000;

describe("health check-ins", () => {
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

  it("asks every lead a month after forming; a low average brings the review forward, and everyone hears why", async () => {
    const before = await view();
    await advanceClock(cloud, "32d");
    const links = Object.fromEntries(
      await Promise.all(
        Object.entries(LEADS).map(async ([partnerId, lead]) => [
          partnerId,
          await linkFor(cloud, lead, /health check-in/i),
        ]),
      ),
    ) as Record<keyof typeof LEADS, string>;

    const page = await open(links["clean-corridors"]);
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="health"');
    // The page offers the other partners for an acknowledgement, never the partner's own.
    expect(page.html).toContain('<option value="northwind-telematics">');
    expect(page.html).not.toContain('<option value="clean-corridors">');

    // A forged own-partner acknowledgement is refused, naming the field, and nothing is recorded.
    const own = await submit(links["clean-corridors"], {
      action: "decide",
      health: "2",
      acknowledgePartner: "clean-corridors",
      acknowledgeNote: "We did well",
    });
    expect(own.status).toBe(400);
    expect(own.html).toContain("Acknowledge another partner, not your own.");

    const answers: [keyof typeof LEADS, Record<string, string>][] = [
      ["clean-corridors", { health: "2", comment: "Deliveries slipped twice this month" }],
      [
        "harbor-rail",
        {
          health: "1",
          acknowledgePartner: "northwind-telematics",
          acknowledgeNote: "Shared the route data early",
        },
      ],
      ["northwind-telematics", { health: "2" }],
    ];
    for (const [partnerId, fields] of answers) {
      expect((await submit(links[partnerId], { action: "decide", ...fields })).status).toBe(200);
    }

    const [notice] = await emailsTo(cloud, "jonas.berg@example.com", /review brought forward/);
    expect(notice?.body.text).toContain("averaged 1.67 out of 5 (3 of 3 partners answered)");
    expect(notice?.body.text).toContain("Clean Corridors Trust: Deliveries slipped twice this month");
    const after = await waitFor("the review brought forward", async () => {
      const current = await view();
      return current.nextReviewAt !== before.nextReviewAt ? current : undefined;
    });
    const closed = after.timeline.find((e) => e.type === "checkin.closed");
    expect(closed?.summary).toContain("average health 1.67/5 from 3 of 3 partners");
    const moved = Date.parse(after.nextReviewAt ?? "") - Date.parse(closed?.at ?? "");
    expect(moved).toBeLessThanOrEqual(14 * DAY_MS + 60_000);
    expect(Date.parse(after.nextReviewAt ?? "")).toBeLessThan(Date.parse(before.nextReviewAt ?? ""));
    expect(after.trust.balances["northwind-telematics"]).toBe(1);
    expect(after.timeline.find((e) => e.type === "trust.deposit")?.summary).toContain(
      "acknowledged by Harbor & Rail Logistics",
    );

    // Fifteen days on, the review has started by itself.
    await advanceClock(cloud, "15d");
    const reviewing = await waitFor("the early review", async () => {
      const current = await view();
      return current.reviews.length === 1 ? current : undefined;
    });
    expect(reviewing.reviews[0]?.status).toBe("RUNNING");
    // The review's packet carries the check-in and the acknowledgement, in the email and on the page.
    const [request] = await emailsTo(cloud, LEADS["harbor-rail"], /realignment review/i);
    expect(request?.body.text).toContain("average 1.67/5 (3 of 3 partners)");
    expect(request?.body.text).toContain("Northwind Telematics +1 (acknowledged)");
    const reviewPage = await open(await linkFor(cloud, LEADS["harbor-rail"], /realignment review/i));
    expect(reviewPage.html).toContain("Before you answer: trust and health since the last review");
    expect(reviewPage.html).toContain("average 1.67/5 (3 of 3 partners)");
    expect(reviewPage.html).toContain("Shared the route data early");
  });
});
