import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../../local/cloud";
import type { DynamoDbCall } from "../../../local/dynamodb-proxy";
import type { HistoryEventOut } from "../../../local/stepfunctions";
import { workflows } from "../../../workflows";
import { linksIn, type StoredEmail, waitFor } from "../../e2e/harness";
import { startTestCloud, type TestCloud } from "../cloud";
import { ProbeStates, probeWorkflow } from "./probe-workflow";

// The request engine, whole, on the local cloud (DynamoDB Local, the SES stand-in, the local Step Functions
// service running the synthesized definitions), with a request kind the product does not have: it is
// opened, mailed, shown, reminded, decided once and resumes its workflow; another recipient misses it.
// The functions' containers import register-probe-kind.ts before their handlers; faults sit in the local cloud's
// DynamoDB proxy, between the handlers and DynamoDB Local.

const DAY = 86_400_000;
const ROOT = path.resolve(import.meta.dirname, "../../..");

describe("a request kind defined only in the tests, through the whole engine", () => {
  let testCloud: TestCloud | undefined;
  let cloud: LocalCloud;
  let allianceId: string;
  let executions = 0;

  beforeAll(async () => {
    testCloud = await startTestCloud({
      workflows: [...workflows, probeWorkflow],
      preload: [path.join(import.meta.dirname, "register-probe-kind.ts")],
    });
    cloud = testCloud.cloud;
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
    await testCloud?.stop();
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
    // The first "mark notified" write fails as if DynamoDB were unreachable for a moment: every attempt the
    // SDK makes within that invocation, so the handler gives up and the task is retried.
    const notified = firstInvocationFails(isNotifiedWrite);
    cloud.setDynamoDbFault(notified.fault);
    try {
      const executionArn = await startProbe(["clean-corridors"], 4, 0);
      const [first, second] = await emails("fatima.nasser@example.org", /Probe alliance: probe question/, 2);
      expect(notified.failedInvocations()).toBe(1);
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
      cloud.setDynamoDbFault(undefined);
    }
  });

  it("delivers a decision given while the ask waits for its retry to the retried task, at once", async () => {
    // The first ask fails after mailing; the retry is held back until the partner has answered the first link.
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const notified = firstInvocationFails(isNotifiedWrite);
    let held = false;
    cloud.setDynamoDbFault(async (call) => {
      if (notified.fault(call) === "cut") return "cut";
      const first = (
        call.input.TransactItems as { Put?: { Item?: { sk?: { S?: string } } } }[] | undefined
      )?.[0];
      if (
        notified.failedInvocations() > 0 &&
        !held &&
        first?.Put?.Item?.sk?.S?.startsWith("OUTCOME#probe-3#")
      ) {
        held = true;
        await gate;
      }
      return undefined;
    });
    try {
      const executionArn = await startProbe(["clean-corridors"], 4, 0);
      // Fatima's third probe email: the two before it belong to the previous test's execution.
      const first = (await emails("fatima.nasser@example.org", /Probe alliance: probe question/, 3))[2];
      // The "mark notified" write follows the email; it is the one that fails.
      await waitFor(
        "the first ask to fail after mailing",
        async () => notified.failedInvocations() === 1 || undefined,
      );
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
      cloud.setDynamoDbFault(undefined);
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

/** The engine's "mark notified" write (the step after mailing a request). */
function isNotifiedWrite(call: DynamoDbCall): boolean {
  const items = call.input.TransactItems as { Update?: { UpdateExpression?: string } }[] | undefined;
  return items?.[0]?.Update?.UpdateExpression === "SET notifiedAt = :at";
}

/**
 * A DynamoDB fault that cuts every attempt of the first invocation that makes a matching call (the SDK's own
 * retries included, told apart by its attempt number), and lets later invocations through.
 */
function firstInvocationFails(matches: (call: DynamoDbCall) => boolean) {
  let invocations = 0;
  return {
    fault(call: DynamoDbCall): "cut" | undefined {
      if (!matches(call)) return undefined;
      if (call.attempt === 1) invocations++;
      return invocations === 1 ? "cut" : undefined;
    },
    failedInvocations: () => Math.min(invocations, 1),
  };
}
