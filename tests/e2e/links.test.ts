import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  admin,
  advanceClock,
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

// The link contract under abuse: forged, unknown, replayed, prefetched, cross-partner, late, concurrent.

interface AllianceView {
  status: string;
  pendingRequests: { kind: string; partnerId: string }[];
  timeline: { type: string; requestId?: string }[];
}

describe("partner links", () => {
  let plan: CloudPlan;
  let cloud: RunningCloud;
  let allianceId: string;
  let noorLink: string;
  let ellisLink: string;

  const show = async () => (await admin<AllianceView>(cloud, "GET", `/admin/alliances/${allianceId}`)).body;

  beforeAll(async () => {
    plan = await planCloud();
    cloud = await startCloud(plan);
    const draft = await exampleDraft("light-touch-pilot.json");
    allianceId = (await admin<{ id: string }>(cloud, "POST", "/admin/alliances", draft)).body.id;
    const [noor] = await emailsTo(cloud, "noor.haddad@example.com", /approv/i);
    const [ellis] = await emailsTo(cloud, "ellis.moreau@example.org", /approv/i);
    noorLink = linksIn(noor as NonNullable<typeof noor>).text[0] ?? "";
    ellisLink = linksIn(ellis as NonNullable<typeof ellis>).text[0] ?? "";
  });
  afterAll(async () => {
    await cloud?.stop();
    await removePlan(plan);
  });

  it("shows the page on GET and HEAD without deciding anything (scanners prefetch links)", async () => {
    for (let i = 0; i < 3; i++) expect((await open(noorLink)).status).toBe(200);
    const head = await fetch(noorLink, { method: "HEAD" });
    expect(head.status).toBe(200);
    const page = (await open(noorLink)).html;
    expect(page).not.toMatch(/<script/i);
    expect(page).toMatch(/<form[^>]*method="post"/i);
    expect(page).toMatch(/value="approve"/);
    expect(page).toMatch(/value="reject"/);
    const view = await show();
    expect(view.status).toBe("FORMING");
    expect(view.pendingRequests).toHaveLength(2);
    expect(view.timeline.filter((e) => e.type === "request.decided")).toHaveLength(0);
  });

  it("refuses a forged secret (403) and an unknown id (404), changing nothing", async () => {
    const forged = new URL(noorLink);
    forged.searchParams.set("s", "A".repeat(43));
    expect((await open(forged.href)).status).toBe(403);
    expect((await submit(forged.href, { action: "decide", vote: "approve" })).status).toBe(403);
    const unknown = new URL(noorLink);
    unknown.pathname = `/r/${"B".repeat(22)}`;
    expect((await open(unknown.href)).status).toBe(404);
    expect((await open(`${cloud.appUrl}/r/not-an-id?s=x`)).status).toBe(404);
    expect((await show()).pendingRequests).toHaveLength(2);
  });

  it("refuses a POST that carries another partner's secret", async () => {
    const crossed = new URL(ellisLink);
    crossed.searchParams.set("s", new URL(noorLink).searchParams.get("s") ?? "");
    expect(
      (await submit(crossed.href, { action: "decide", vote: "reject", comment: "not mine to decide" }))
        .status,
    ).toBe(403);
    expect((await show()).pendingRequests.map((r) => r.partnerId).sort()).toEqual([
      "lumen-analytics",
      "riverside-makers",
    ]);
  });

  it("rejects a bad form with field-level errors (400) and keeps the request open", async () => {
    const response = await submit(noorLink, { action: "decide", vote: "reject" });
    expect(response.status).toBe(400);
    expect(response.html).toMatch(/comment/i);
    expect((await show()).pendingRequests).toHaveLength(2);
  });

  it("takes exactly one decision from 50 concurrent POSTs on one link", async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => submit(noorLink, { action: "decide", vote: "approve" })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 409)).toBe(true);
    const view = await show();
    expect(view.timeline.filter((e) => e.type === "request.decided")).toHaveLength(1);
    expect(view.pendingRequests.map((r) => r.partnerId)).toEqual(["riverside-makers"]);
  });

  it("answers a replayed link with what was decided and when", async () => {
    const again = await submit(noorLink, { action: "decide", vote: "reject", comment: "changed my mind" });
    expect(again.status).toBe(409);
    expect(again.html).toMatch(/already/i);
    expect((await open(noorLink)).html).toMatch(/already/i);
  });

  it("says the window has closed when the deadline passed, and the workflow moved on by the charter's rule", async () => {
    const before = (await inbox(cloud)).length;
    await advanceClock(cloud, "15d");
    // Consensus with one abstention (remind-then-abstain) does not approve: the alliance returns to DRAFT.
    await waitFor("alliance back to DRAFT", async () =>
      (await show()).status === "DRAFT" ? true : undefined,
    );
    const late = await submit(ellisLink, { action: "decide", vote: "approve" });
    expect(late.status).toBe(410);
    expect((await open(ellisLink)).status).toBe(410);
    const after = await inbox(cloud);
    expect(after.length).toBeGreaterThan(before);
    expect(
      after.some(
        (e) => e.destination.to.includes("ellis.moreau@example.org") && /deadline|missed/i.test(e.subject),
      ),
    ).toBe(true);
    expect((await show()).timeline.some((e) => e.type === "request.expired")).toBe(true);
  });
});
