import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addRequestKind } from "../../../functions/requests";
import { documents } from "../../../functions/shared/clients";
import { type LocalCloud, startLocalCloud } from "../../../local/cloud";
import type { HistoryEventOut } from "../../../local/stepfunctions";
import { workflows } from "../../../workflows";
import { freePort, linksIn, type StoredEmail, waitFor } from "../../e2e/harness";
import { PROBE_KIND, probeKind } from "./probe-kind";
import { ProbeStates, probeWorkflow } from "./probe-workflow";

// The request engine, whole, on the local cloud (DynamoDB Local, the SES stand-in, the local Step Functions
// service running the synthesized definitions), with a request kind the product does not have: it is
// opened, mailed, shown, reminded, decided once and resumes its workflow; another recipient misses it.
// Runs in-process so that a test can put a transient fault into the handlers' DynamoDB client.

const DAY = 86_400_000;
const ROOT = path.resolve(import.meta.dirname, "../../..");

describe("a request kind defined only in the tests, through the whole engine", () => {
  let cloud: LocalCloud;
  let dataDir: string;
  let allianceId: string;
  let executions = 0;

  beforeAll(async () => {
    addRequestKind(PROBE_KIND, probeKind);
    dataDir = await mkdtemp(path.join(os.tmpdir(), "concord-engine-"));
    cloud = await startLocalCloud(
      {
        dataDir,
        host: "127.0.0.1",
        ports: {
          app: await freePort(),
          ses: await freePort(),
          dynamodb: await freePort(),
          stepFunctions: await freePort(),
        },
        clockRate: 1,
        region: "us-east-1",
        accountId: "000000000000",
      },
      () => {},
      { workflows: [...workflows, probeWorkflow] },
    );
    const draft = JSON.parse(
      await readFile(path.join(ROOT, "examples", "pilot-three-partners.json"), "utf8"),
    );
    draft.name = "Probe alliance";
    // Two committee members at Northwind: one partner decision asked of both (the first to decide wins).
    draft.partners[0].contacts.push({
      name: "Lars Nilsen",
      email: "lars.nilsen@example.com",
      role: "committee",
    });
    const created = await adminCall<{ id: string }>("POST", "/admin/alliances", draft);
    allianceId = created.id;
  }, 120_000);

  afterAll(async () => {
    await cloud?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function adminCall<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${cloud.urls.app}${route}`, {
      method,
      headers: { authorization: `Bearer ${cloud.adminToken}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function emails(to: string, subject: RegExp, count = 1): Promise<StoredEmail[]> {
    return waitFor(`${count} email(s) to ${to} matching ${subject}`, async () => {
      const { emails: all } = (await (await fetch(`${cloud.urls.sesApi}/store`)).json()) as {
        emails: StoredEmail[];
      };
      const found = all.filter((e) => e.destination.to.includes(to) && subject.test(e.subject));
      return found.length >= count ? found : undefined;
    });
  }

  const linkOf = (email: StoredEmail | undefined) => linksIn(email as StoredEmail).text[0] ?? "";

  async function post(link: string, fields: Record<string, string>) {
    const secret = new URL(link).searchParams.get("s") ?? "";
    const response = await fetch(link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ s: secret, action: "decide", ...fields }).toString(),
    });
    return { status: response.status, html: await response.text() };
  }

  async function startProbe(
    recipients: (string | { who: "role"; partnerId: string; role: string })[],
    deadlineDays: number,
    remindDaysBefore: number,
  ) {
    executions++;
    const stateMachineArn = "arn:aws:states:us-east-1:000000000000:stateMachine:concord-probe";
    const { executionArn } = await cloud.stepFunctions.startExecution({
      stateMachineArn,
      name: `probe-${executions}`,
      input: JSON.stringify({
        allianceId,
        round: {
          instance: `probe-${executions}`,
          charterVersion: 1,
          deadlineSeconds: deadlineDays * 86_400,
          remindBeforeSeconds: remindDaysBefore * 86_400,
          recipients: recipients.map((r) => (typeof r === "string" ? { who: "lead", partnerId: r } : r)),
        },
      }),
    });
    return executionArn;
  }

  async function history(executionArn: string): Promise<HistoryEventOut[]> {
    return (await cloud.stepFunctions.getExecutionHistory({ executionArn, maxResults: 1000 })).events;
  }

  const timeline = async () =>
    (
      await adminCall<{ timeline: { type: string; summary: string; data?: { instance?: string } }[] }>(
        "GET",
        `/admin/alliances/${allianceId}`,
      )
    ).timeline;

  it("opens, mails, shows, reminds only the silent, takes one decision, resumes, and records the other's miss", async () => {
    const executionArn = await startProbe(["northwind-telematics", "harbor-rail"], 4, 1);
    const [toAmara] = await emails("amara.okafor@example.com", /Probe alliance: probe question/);
    await emails("diego.alvarez@example.com", /Probe alliance: probe question/);
    const link = linkOf(toAmara);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Probe question for Amara");
    expect((await post(link, { answer: "maybe" })).status).toBe(400);
    const decided = await post(link, { answer: "yes" });
    expect(decided.status).toBe(200);
    expect(decided.html).toContain("Probe answer: <strong>yes</strong>");
    expect((await post(link, { answer: "no" })).status).toBe(409);

    // Past the reminder time (one day before the deadline): the hourly sweep reminds Diego, not Amara.
    cloud.clock.advance(3 * DAY + 3_600_000);
    const [reminder] = await emails(
      "diego.alvarez@example.com",
      /Reminder — Probe alliance: answer the probe question/,
    );
    expect(linkOf(reminder)).toMatch(/\/r\//);

    cloud.clock.advance(DAY);
    const done = await cloud.stepFunctions.waitForExecution(executionArn, 30_000);
    expect(done.status).toBe("SUCCEEDED");
    await emails(
      "diego.alvarez@example.com",
      /the deadline for Harbor & Rail Logistics's probe answer has passed/,
    );
    const reminded = (await (await fetch(`${cloud.urls.sesApi}/store`)).json()) as { emails: StoredEmail[] };
    expect(
      reminded.emails.filter(
        (e) => e.destination.to.includes("amara.okafor@example.com") && /Reminder — Probe/.test(e.subject),
      ),
    ).toHaveLength(0);

    const entered = (await history(executionArn))
      .filter((e) => e.type === "TaskStateEntered")
      .map((e) => (e.stateEnteredEventDetails as { name?: string } | undefined)?.name);
    expect(entered.filter((name) => name === ProbeStates.missed)).toHaveLength(1);
    const events = (await timeline()).filter((e) => e.data?.instance === "probe-1");
    expect(events.filter((e) => e.type === "request.decided").map((e) => e.summary)).toEqual([
      expect.stringContaining("answered the probe: yes"),
    ]);
    expect(events.filter((e) => e.type === "request.expired").map((e) => e.summary)).toEqual([
      expect.stringContaining("counted as no"),
    ]);
  });

  it("retries a transient DynamoDB failure inside the ask, and a click on the first link still resumes the workflow", async () => {
    // The first "mark notified" write fails as if DynamoDB were unreachable for a moment.
    let failed = 0;
    documents.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { TransactItems?: { Update?: { UpdateExpression?: string } }[] };
        if (failed === 0 && input.TransactItems?.[0]?.Update?.UpdateExpression === "SET notifiedAt = :at") {
          failed++;
          throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8000"), { code: "ECONNREFUSED" });
        }
        return next(args);
      },
      { step: "initialize", name: "probeTransientFault" },
    );
    try {
      const executionArn = await startProbe(["clean-corridors"], 4, 0);
      const [first, second] = await emails("fatima.nasser@example.org", /Probe alliance: probe question/, 2);
      expect(failed).toBe(1);
      const failures = (await history(executionArn)).filter((e) => e.type === "TaskFailed");
      expect(
        failures.map((e) => (e.taskFailedEventDetails as { error?: string } | undefined)?.error),
      ).toEqual(["TransientDependencyError"]);
      // Both mailed links work; the one mailed before the failure answers the retried task.
      expect(linkOf(second)).not.toBe(linkOf(first));
      expect((await post(linkOf(first), { answer: "no" })).status).toBe(200);
      const done = await cloud.stepFunctions.waitForExecution(executionArn, 30_000);
      expect(done.status).toBe("SUCCEEDED");
      const entered = (await history(executionArn)).map(
        (e) => (e.stateEnteredEventDetails as { name?: string } | undefined)?.name,
      );
      expect(entered).not.toContain(ProbeStates.missed);
    } finally {
      documents.middlewareStack.remove("probeTransientFault");
    }
  });

  it("delivers a decision given while the ask waits for its retry to the retried task, at once", async () => {
    // The first ask fails after mailing; the retry is held back until the partner has answered the first link.
    let stage = 0;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    documents.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as {
          TransactItems?: { Update?: { UpdateExpression?: string }; Put?: { Item?: { sk?: string } } }[];
        };
        const first = input.TransactItems?.[0];
        if (stage === 0 && first?.Update?.UpdateExpression === "SET notifiedAt = :at") {
          stage = 1;
          throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8000"), { code: "ECONNREFUSED" });
        }
        if (stage === 1 && String(first?.Put?.Item?.sk ?? "").startsWith("OUTCOME#probe-3#")) {
          stage = 2;
          await gate;
        }
        return next(args);
      },
      { step: "initialize", name: "probeRetryWindow" },
    );
    try {
      const executionArn = await startProbe(["clean-corridors"], 4, 0);
      // Fatima's third probe email: the two before it belong to the previous test's execution.
      const first = (await emails("fatima.nasser@example.org", /Probe alliance: probe question/, 3))[2];
      expect(stage).toBeGreaterThanOrEqual(1);
      const answered = await post(linkOf(first), { answer: "yes" });
      expect(answered.status).toBe(200);
      release();
      // Without the retried task taking the recorded decision, the execution would wait four days.
      const done = await cloud.stepFunctions.waitForExecution(executionArn, 30_000);
      expect(done.status).toBe("SUCCEEDED");
      const events = (await timeline()).filter((e) => e.data?.instance === "probe-3");
      expect(events.filter((e) => e.type === "request.decided")).toHaveLength(1);
    } finally {
      release();
      documents.middlewareStack.remove("probeRetryWindow");
    }
  });

  it("asks every committee member for one partner decision: the first wins, the other's link shows who decided", async () => {
    const executionArn = await startProbe(
      [{ who: "role", partnerId: "northwind-telematics", role: "committee" }],
      4,
      1,
    );
    const [toJonas] = await emails("jonas.berg@example.com", /Probe alliance: probe question/);
    const [toLars] = await emails("lars.nilsen@example.com", /Probe alliance: probe question/);
    expect((await post(linkOf(toJonas), { answer: "yes" })).status).toBe(200);
    const done = await cloud.stepFunctions.waitForExecution(executionArn, 30_000);
    expect(done.status).toBe("SUCCEEDED");

    const other = await fetch(linkOf(toLars));
    expect(other.status).toBe(409);
    expect(await other.text()).toContain("already answered by Jonas Berg");
    expect((await post(linkOf(toLars), { answer: "no" })).status).toBe(409);
    const view = await adminCall<{ pendingRequests: { contact: string }[] }>(
      "GET",
      `/admin/alliances/${allianceId}`,
    );
    expect(view.pendingRequests.map((r) => r.contact)).not.toContain("lars.nilsen@example.com");
    const events = (await timeline()).filter((e) => e.data?.instance === "probe-4");
    expect(events.filter((e) => e.type === "request.decided")).toHaveLength(1);
  });
});
