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
    return (await admin<{ id: string; mode: string }>(cloud, "POST", "/admin/alliances", draft)).body;
  };
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
    const { id } = await create("Light pilot two");
    const [noorMail] = await emailsTo(cloud, NOOR, /Light pilot two/);
    await submit(linksIn(noorMail as NonNullable<typeof noorMail>).text[0] ?? "", {
      action: "decide",
      vote: "approve",
    });
    await emailsTo(cloud, ELLIS, /Light pilot two/);

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
});
