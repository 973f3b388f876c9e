import { afterAll, describe, expect, it } from "vitest";
import { ExitStates } from "../../workflows/exit";
import {
  admin,
  advanceClock,
  type CloudPlan,
  emailsTo,
  inbox,
  planCloud,
  type RunningCloud,
  removePlan,
  startCloud,
  submit,
  waitFor,
  waitForHistory,
} from "./harness";
import { formThreePartnerPilot, linkFor, PILOT_LEADS } from "./pilot";

// kill -9 in the middle of an exit's notice period (after its mid-notice status email): the exit still completes on
// its date, and nothing is mailed twice.

const DAY_MS = 86_400_000;

describe("an exit across a crash", () => {
  let plan: CloudPlan;
  let cloud: RunningCloud | undefined;
  afterAll(async () => {
    await cloud?.stop();
    if (plan) await removePlan(plan);
  });

  it("goes on from the effective date after kill -9 mid-notice and completes, with every email sent once", async () => {
    plan = await planCloud();
    cloud = await startCloud(plan);
    const allianceId = await formThreePartnerPilot(cloud);
    const { now } = (await admin<{ now: string }>(cloud, "GET", "/local/clock")).body;
    const effectiveDate = new Date(Date.parse(now) + 10 * DAY_MS).toISOString().slice(0, 10);
    const started = await admin<{ exitId: string; executionArn: string }>(
      cloud,
      "POST",
      `/admin/alliances/${allianceId}/exits`,
      {
        partnerId: "clean-corridors",
        reason: "Funding ended",
        effectiveDate,
        forceMajeure: true,
      },
    );
    expect(started.status).toBe(201);
    const ackLink = await linkFor(cloud, PILOT_LEADS["clean-corridors"], /acknowledge .*exit notice/i);
    expect((await submit(ackLink, { action: "decide", confirmed: "yes" })).status).toBe(200);
    // Halfway (day 5) everyone hears where the exit stands.
    await advanceClock(cloud, "6d");
    const [status] = await emailsTo(cloud, "jonas.berg@example.com", /Clean Corridors Trust's exit status/);
    expect(status?.body.text).toContain("Clean Corridors Trust has acknowledged the notice.");
    // Killed once the status step is over (the workflow waits out the notice period): a kill while its emails go
    // out would, by design, send them again rather than never.
    await waitForHistory(
      cloud,
      started.body.executionArn,
      "the exit waiting out its notice period",
      (e) => e.stateEnteredEventDetails?.name === ExitStates.noticePeriod,
    );
    const sentBefore = await inbox(cloud);

    await cloud.kill9();
    cloud = await startCloud(plan);
    const running = cloud;
    await advanceClock(running, "5d");
    // The wind-down after the effective date: the division approved, the obligation and the clause confirmed.
    for (const lead of Object.values(PILOT_LEADS)) {
      const link = await linkFor(running, lead, /approve or contest the asset division/);
      expect((await submit(link, { action: "decide", answer: "approve" })).status).toBe(200);
    }
    for (const subject of [/confirm when done/, /non-disparagement clause/]) {
      const link = await linkFor(running, PILOT_LEADS["clean-corridors"], subject);
      expect((await submit(link, { action: "decide", confirmed: "yes" })).status).toBe(200);
    }
    await waitFor("Clean Corridors EXITED after the restart", async () => {
      const view = (
        await admin<{ partners: { id: string; status: string }[] }>(
          running,
          "GET",
          `/admin/alliances/${allianceId}`,
        )
      ).body;
      return view.partners.find((p) => p.id === "clean-corridors")?.status === "EXITED" ? true : undefined;
    });
    await emailsTo(running, "jonas.berg@example.com", /Clean Corridors Trust has left the alliance/);

    const sentAfter = await inbox(running);
    expect(sentAfter.slice(0, sentBefore.length).map((e) => e.messageId)).toEqual(
      sentBefore.map((e) => e.messageId),
    );
    const keys = sentAfter.map((e) => `${e.destination.to.join(",")}|${e.subject}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
