import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormationStates } from "../../workflows/formation";
import { deadlineExtendedState } from "../../workflows/steps";
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
  waitForHistory,
} from "./harness";

// Light-touch formation and the clock: reminders before the deadline, the charter's rule after it.

const NOOR = "noor.haddad@example.com";
const ELLIS = "ellis.moreau@example.org";

describe("light-touch formation and deadlines", () => {
  let plan: CloudPlan;
  let cloud: RunningCloud;
  const advance = (by: string) => advanceClock(cloud, by);
  const create = async (name: string) => {
    const draft = await exampleDraft("light-touch-pilot.json");
    draft.name = name;
    return (
      await admin<{ id: string; mode: string; executionArn: string }>(
        cloud,
        "POST",
        "/admin/alliances",
        draft,
      )
    ).body;
  };
  /** A light-touch alliance whose first lead approved at once: its round waits for Ellis alone. */
  const waitingForEllis = async (name: string) => {
    const created = await create(name);
    const [noorMail] = await emailsTo(cloud, NOOR, new RegExp(name));
    await submit(linksIn(noorMail as NonNullable<typeof noorMail>).text[0] ?? "", {
      action: "decide",
      vote: "approve",
    });
    const [ellisMail] = await emailsTo(cloud, ELLIS, new RegExp(name));
    return { ...created, ellisLink: linksIn(ellisMail as NonNullable<typeof ellisMail>).text[0] ?? "" };
  };
  /** The deadline of the alliance's first pending request, as the admin API shows it. */
  const pendingDeadline = async (id: string) =>
    (await admin<{ pendingRequests: { deadline: string }[] }>(cloud, "GET", `/admin/alliances/${id}`)).body
      .pendingRequests[0]?.deadline ?? "";
  const clockNow = async () =>
    Date.parse((await admin<{ now: string }>(cloud, "GET", "/local/clock")).body.now);
  const status = async (id: string) =>
    (await admin<{ status: string; mode: string }>(cloud, "GET", `/admin/alliances/${id}`)).body;

  beforeAll(async () => {
    plan = await planCloud();
    cloud = await startCloud(plan);
  });
  afterAll(async () => {
    await cloud?.stop();
    await removePlan(plan);
  });

  it("forms a light-touch alliance with the approval round alone", async () => {
    const { id, mode } = await create("Light pilot one");
    expect(mode).toBe("light-touch");
    for (const lead of [NOOR, ELLIS]) {
      const [email] = await emailsTo(cloud, lead, /Light pilot one.*approv|approv.*Light pilot one/i);
      expect(
        await submit(linksIn(email as NonNullable<typeof email>).text[0] ?? "", {
          action: "decide",
          vote: "approve",
        }),
      ).toMatchObject({ status: 200 });
    }
    await waitFor("ACTIVE", async () => ((await status(id)).status === "ACTIVE" ? true : undefined));
    const interestMails = (await inbox(cloud)).filter((e) => /Light pilot one: share/.test(e.subject));
    expect(interestMails).toEqual([]);
  });

  it("reminds a silent partner before the deadline and counts its silence by the charter after it", async () => {
    const { id } = await waitingForEllis("Light pilot two");

    await advance("12d"); // the reminder is due 3 days before the 14-day deadline
    const reminders = await emailsTo(cloud, ELLIS, /remind/i);
    const reminderLink = linksIn(reminders[0] as NonNullable<(typeof reminders)[0]>).text[0] ?? "";
    expect((await open(reminderLink)).status).toBe(200);
    expect(
      (await inbox(cloud)).filter((e) => e.destination.to.includes(NOOR) && /remind/i.test(e.subject)),
    ).toEqual([]);

    await advance("3d");
    await waitFor("back to DRAFT", async () => ((await status(id)).status === "DRAFT" ? true : undefined));
    await emailsTo(cloud, ELLIS, /deadline|missed/i);
    expect((await open(reminderLink)).status).toBe(410);
  });

  it("gives a pending round more time: the silent partner is told and its deadline moves, the old one passes quietly", async () => {
    const { id, executionArn, ellisLink: firstLink } = await waitingForEllis("Light pilot three");
    const extend = (body: unknown) =>
      admin<Record<string, unknown>>(cloud, "POST", `/admin/alliances/${id}/rounds/extend`, body);
    const before = await pendingDeadline(id);

    // Bad input names the field and changes nothing.
    const bad = await extend({ days: 0 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('"path":"days"');
    const stray = await extend({ days: 7, round: "review-9999/review" });
    expect(stray.status).toBe(400);
    expect(JSON.stringify(stray.body)).toContain("formation-v0001/charter-approval");
    expect(await pendingDeadline(id)).toBe(before);

    const extended = await extend({ days: 7, reason: "Ellis is travelling until the 20th" });
    expect(extended.status).toBe(200);
    const week = 7 * 86_400_000;
    const after = new Date(Date.parse(before) + week).toISOString();
    expect(extended.body).toMatchObject({
      round: "formation-v0001/charter-approval",
      deadline: after,
      extended: [{ partnerId: "riverside-makers", deadline: after, contacts: [ELLIS] }],
    });
    expect(await pendingDeadline(id)).toBe(after);
    // The list says whom each alliance waits on: Riverside Makers alone, now by the new deadline.
    const listed = await admin<{ alliances: { id: string; waitingOn: unknown[] }[] }>(
      cloud,
      "GET",
      "/admin/alliances",
    );
    expect(listed.body.alliances.find((a) => a.id === id)?.waitingOn).toEqual([
      { partnerId: "riverside-makers", kind: "charter-approval", deadline: after },
    ]);
    // Only the partner still pending hears of it, with a fresh link; the organiser hears whom the round waits for.
    const [told] = await emailsTo(cloud, ELLIS, /more time/);
    expect(told?.body.text).toContain("Why: Ellis is travelling until the 20th");
    expect(
      (await inbox(cloud)).filter((e) => e.destination.to.includes(NOOR) && /more time/.test(e.subject)),
    ).toEqual([]);
    const [organiser] = await emailsTo(cloud, "tomas.lind@example.org", /round now closes/);
    expect(organiser?.body.text).toContain("Riverside Makers");
    const freshLink = linksIn(told as NonNullable<typeof told>).text[0] ?? "";
    expect((await open(freshLink)).status).toBe(200);

    // The workflow asks again with the new timeout before the clock moves (the old task's timer is gone with it).
    await waitForHistory(
      cloud,
      executionArn,
      "the ask re-armed with the new deadline",
      (e) => e.stateExitedEventDetails?.name === deadlineExtendedState(FormationStates.requestApproval),
    );

    // Past the old deadline: nothing is missed, and the earlier link still works.
    await advance("15d");
    expect((await status(id)).status).toBe("FORMING");
    expect((await open(firstLink)).status).toBe(200);
    expect(
      (await inbox(cloud)).filter(
        (e) => /Light pilot three/.test(e.subject) && /deadline.*passed/i.test(e.subject),
      ),
    ).toEqual([]);
    expect((await submit(freshLink, { action: "decide", vote: "approve" })).status).toBe(200);
    await waitFor("ACTIVE", async () => ((await status(id)).status === "ACTIVE" ? true : undefined));

    // Nothing left to extend.
    expect((await extend({ days: 3 })).status).toBe(409);
  });

  it("keeps the records and the workflow on one deadline when two admins extend at once", async () => {
    const { id } = await waitingForEllis("Light pilot four");
    const route = `/admin/alliances/${id}/rounds/extend`;
    const before = await pendingDeadline(id);
    const answers = await Promise.all([
      admin<{ extended: unknown[] }>(cloud, "POST", route, { days: 5 }),
      admin<{ extended: unknown[] }>(cloud, "POST", route, { days: 5 }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    // However the two met (one after the other: ten days; at the same time: one moved it, the other said so), the
    // record says the deadline the workflow keeps: still waiting two hours before it, back to DRAFT just after.
    const moves = answers.reduce((sum, a) => sum + a.body.extended.length, 0);
    expect(moves).toBeGreaterThanOrEqual(1);
    const after = await pendingDeadline(id);
    expect(Date.parse(after) - Date.parse(before)).toBe(moves * 5 * 86_400_000);
    await advance(`${Math.floor((Date.parse(after) - (await clockNow())) / 3_600_000) - 2}h`);
    expect((await status(id)).status).toBe("FORMING");
    await advance("3h");
    await waitFor("back to DRAFT at that deadline", async () =>
      (await status(id)).status === "DRAFT" ? true : undefined,
    );
  });

  it("refuses to extend a round past the year Step Functions gives its workflow, naming days and how many are left", async () => {
    const { id } = await waitingForEllis("Light pilot five");
    const route = `/admin/alliances/${id}/rounds/extend`;
    // 14 days, then 3 × 90: day 284 of an execution that may run 365.
    // One after the other: an extension sent while the workflow is still asking again after the one before is
    // answered "being changed at the same time" and moves nothing, so each is sent until it moves the deadline.
    for (let i = 0; i < 3; i++)
      await waitFor(`extension ${i + 1}`, async () => {
        const answer = await admin<{ extended: unknown[] }>(cloud, "POST", route, { days: 90 });
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        return answer.body.extended.length === 1 ? true : undefined;
      });
    const refused = await admin<{ errors: { path: string; message: string }[] }>(cloud, "POST", route, {
      days: 90,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]?.path).toBe("days");
    expect(refused.body.errors[0]?.message).toMatch(
      /^at most (79|80) more days for this round: Step Functions ends a workflow a year after it starts/,
    );
  });
});
