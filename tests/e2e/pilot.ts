import { expect } from "vitest";
import { admin, emailsTo, exampleDraft, linksIn, open, type RunningCloud, submit, waitFor } from "./harness";

// The composite three-partner pilot formed end to end, through HTTP and email only: shared by the formation test
// and the test that runs it on the deployable bundles.

export interface AllianceView {
  id: string;
  status: string;
  version: number;
  mode: string;
  nextReviewAt?: string;
  partners: { id: string; contacts: { email: string; role: string }[] }[];
  pendingRequests: { kind: string; partnerId: string; contact: string; deadline: string }[];
  timeline: { type: string; summary: string; actor: { kind: string; email?: string } }[];
  lastRejection?: { comments: { partnerId: string; comment: string }[] };
  charterComments: { version: number; outcome: string; comments: { partnerId: string; comment: string }[] }[];
  auditFindings: { area: string; severity: string; message: string }[];
}

export const show = async (cloud: RunningCloud, id: string) =>
  (await admin<AllianceView>(cloud, "GET", `/admin/alliances/${id}`)).body;
export const waitStatus = (cloud: RunningCloud, id: string, status: string) =>
  waitFor(`alliance ${id} ${status}`, async () => {
    const view = await show(cloud, id);
    return view.status === status ? view : undefined;
  });

/** The single partner link in the newest email to `to` whose subject matches; asserts it is in text and HTML. */
/** The lead contact of each pilot partner (examples/pilot-three-partners.json), by partner id. */
export const PILOT_LEADS = {
  "northwind-telematics": "amara.okafor@example.com",
  "harbor-rail": "diego.alvarez@example.com",
  "clean-corridors": "fatima.nasser@example.org",
} as const;

export async function linkFor(cloud: RunningCloud, to: string, subject: RegExp, count = 1): Promise<string> {
  const emails = await emailsTo(cloud, to, subject, count);
  const email = emails[emails.length - 1];
  if (!email) throw new Error("no email");
  const links = linksIn(email);
  expect(links.text.length).toBeGreaterThan(0);
  expect(links.html).toContain(links.text[0]);
  return links.text[0] ?? "";
}

export const interestMap = {
  action: "decide",
  explicit: "Cut urban delivery emissions\nShare routing data",
  implicit: "Keep our brand independent",
  cannotAffordToLose: "Control of customer data",
};

/**
 * Creates the pilot from examples/, has every lead send an interest map and approve the charter by its emailed
 * links, and checks what an admin and the partners then see: ACTIVE, a quarterly review date, six decisions on
 * the timeline, and a welcome email with the interest maps to every contact. Returns the alliance's id.
 */
export async function formThreePartnerPilot(cloud: RunningCloud): Promise<string> {
  const draft = await exampleDraft("pilot-three-partners.json");
  const created = await admin<{ id: string }>(cloud, "POST", "/admin/alliances", draft);
  expect(created.status).toBe(201);
  const id = created.body.id;
  const leads = Object.values(PILOT_LEADS);

  for (const lead of leads) {
    const link = await linkFor(cloud, lead, /interest/i);
    const page = await open(link);
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="cannotAffordToLose"');
    expect((await submit(link, interestMap)).status).toBe(200);
  }
  // Before anyone approves, every lead reads every partner's interest map side by side, in the email and on the page.
  const [approval] = await emailsTo(cloud, leads[2] ?? "", /approv/i);
  expect(approval?.body.text).toContain("every contact of every partner reads these same interest maps");
  expect(approval?.body.text).toContain("Keep our brand independent");
  for (const lead of leads) {
    const link = await linkFor(cloud, lead, /approv/i);
    const page = (await open(link)).html;
    expect(page).toMatch(/approve/i);
    expect(page).toContain("Interest maps, side by side");
    expect(page).toContain("organised by <strong>Sofia Marin</strong> (Clean Last Mile Programme Office)");
    // The first lead's comment goes to the other partners, as the page says: in the welcome.
    const fields: Record<string, string> = { action: "decide", vote: "approve" };
    if (lead === leads[0]) fields.comment = "Approved, provided routing data stays pseudonymous";
    expect((await submit(link, fields)).status).toBe(200);
  }

  const active = await waitStatus(cloud, id, "ACTIVE");
  const days = (Date.parse(active.nextReviewAt ?? "") - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(80); // quarterly cadence
  expect(days).toBeLessThan(100);
  expect(active.pendingRequests).toEqual([]);
  const types = active.timeline.map((e) => e.type);
  expect(types.filter((t) => t === "request.decided")).toHaveLength(6);
  expect(types).toEqual(
    expect.arrayContaining(["alliance.created", "formation.started", "charter.approved", "alliance.active"]),
  );
  const decided = active.timeline.find((e) => e.type === "request.decided");
  expect(decided?.actor).toMatchObject({ kind: "partner", email: leads[0] });

  // The welcome email reaches every contact, with the interest maps side by side.
  const everyone = active.partners.flatMap((p) => p.contacts.map((c) => c.email));
  expect(everyone).toHaveLength(9);
  for (const person of everyone) {
    const [welcome] = await emailsTo(cloud, person, /active|welcome/i);
    expect(welcome?.body.html).toContain("Control of customer data");
    expect(welcome?.body.text).toContain("Approved, provided routing data stays pseudonymous");
  }
  return id;
}
