import { DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { GetExecutionHistoryCommand, SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  admin,
  type CloudPlan,
  emailsTo,
  exampleDraft,
  health,
  inbox,
  linksIn,
  metrics,
  planCloud,
  type RunningCloud,
  removePlan,
  resetMetrics,
  startCloud,
  startDynamoDb,
  stopDynamoDb,
  submit,
  waitFor,
} from "./harness";

// The local cloud's facilities for tests: counters, a DynamoDB outage on demand, a supervised DynamoDB Local,
// and the crash fault (CONCORD_FAULT).

const LEADS = ["amara.okafor@example.com", "diego.alvarez@example.com", "fatima.nasser@example.org"];
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

const pilotDraft = async () => await exampleDraft("pilot-three-partners.json");

/** History events of an execution, oldest first. */
async function history(cloud: RunningCloud, executionArn: string): Promise<{ type?: string }[]> {
  const sfn = new SFNClient({ endpoint: cloud.stepFunctionsUrl, region: "us-east-1", credentials });
  try {
    const events: { type?: string }[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  } finally {
    sfn.destroy();
  }
}

describe("local cloud faults and counters", () => {
  let plan: CloudPlan;
  let cloud: RunningCloud;
  let dynamodb: DynamoDBClient;
  let allianceId: string;

  beforeAll(async () => {
    plan = await planCloud();
    cloud = await startCloud(plan);
    dynamodb = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${plan.env.CONCORD_DYNAMODB_PORT}`,
      region: "us-east-1",
      credentials,
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    dynamodb?.destroy();
    await cloud?.stop();
    if (plan) await removePlan(plan);
  });

  it("counts each DynamoDB call with its capacity, and answers callers as DynamoDB would", async () => {
    const [table] = (await dynamodb.send(new ListTablesCommand({}))).TableNames ?? [];
    const key = { pk: { S: "LOCAL-FAULTS#probe" }, sk: { S: "PROBE" } };

    const zeroed = await resetMetrics(cloud);
    const plain = await dynamodb.send(new GetItemCommand({ TableName: table, Key: key }));
    const asked = await dynamodb.send(
      new GetItemCommand({ TableName: table, Key: key, ReturnConsumedCapacity: "TOTAL" }),
    );
    await dynamodb.send(new PutItemCommand({ TableName: table, Item: { ...key, n: { N: "1" } } }));
    const counted = await metrics(cloud);

    expect(zeroed.dynamodb).toEqual({
      calls: 0,
      byOperation: {},
      readCapacityUnits: 0,
      writeCapacityUnits: 0,
      errors: {},
      unreachable: 0,
    });
    expect(plain.ConsumedCapacity).toBeUndefined();
    expect(asked.ConsumedCapacity).toEqual({ TableName: table, CapacityUnits: 0.5 });
    expect(counted.dynamodb).toMatchObject({
      calls: 3,
      byOperation: { GetItem: 2, PutItem: 1 },
      readCapacityUnits: 1,
      writeCapacityUnits: 1,
    });
  });

  it("counts what creating an alliance sets in motion: calls, Lambda invocations, state transitions, emails", async () => {
    await resetMetrics(cloud);
    const created = await admin<{ id: string; executionArn: string }>(
      cloud,
      "POST",
      // The same pilot in each cloud of this file (they share a data folder): past the duplicate-name refusal.
      "/admin/alliances?force=true",
      await pilotDraft(),
    );
    expect(created.status).toBe(201);
    allianceId = created.body.id;
    for (const lead of LEADS) await emailsTo(cloud, lead, /interest/i);
    // Quiet once every interest-map task has been handed to its Lambda and is waiting for the partner.
    const events = await waitFor("three interest-map tasks waiting", async () => {
      const found = await history(cloud, created.body.executionArn);
      return found.filter((e) => e.type === "TaskSubmitted").length === LEADS.length ? found : undefined;
    });
    const counted = await metrics(cloud);

    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(counted.dynamodb.calls).toBeGreaterThan(0);
    expect(sum(counted.dynamodb.byOperation)).toBe(counted.dynamodb.calls);
    expect(counted.dynamodb.writeCapacityUnits).toBeGreaterThan(0);
    expect(counted.dynamodb.unreachable).toBe(0);
    expect(counted.ses.emailsSent).toBe(LEADS.length);
    expect(counted.stepFunctions.stateTransitions).toBe(
      events.filter((e) => e.type?.endsWith("StateEntered")).length,
    );
    // One admin API call, then one invocation per Lambda task the execution scheduled.
    const tasks = events.filter((e) => e.type === "TaskScheduled" || e.type === "LambdaFunctionScheduled");
    expect(counted.lambda.invocations).toBe(1 + tasks.length);
    expect(sum(counted.lambda.byFunction)).toBe(counted.lambda.invocations);
  });

  it("takes DynamoDB down and up on request: the admin API fails cleanly meanwhile, and no data is lost", async () => {
    const before = await health(cloud);
    expect(before.status).toBe(200);
    expect(before.body.dynamodb.state).toBe("running");

    expect(await stopDynamoDb(cloud)).toMatchObject({ state: "stopped" });
    const down = await health(cloud);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: "degraded", dynamodb: { state: "stopped" } });
    const during = await admin(cloud, "GET", `/admin/alliances/${allianceId}`);
    expect(during.status).toBeGreaterThanOrEqual(500);
    expect((await metrics(cloud)).dynamodb.unreachable).toBeGreaterThan(0);

    const started = await startDynamoDb(cloud);
    expect(started.state).toBe("running");
    expect(started.pid).not.toBe(before.body.dynamodb.pid);
    const after = await admin<{ id: string; status: string }>(cloud, "GET", `/admin/alliances/${allianceId}`);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ id: allianceId, status: "FORMING" });
    expect((await health(cloud)).status).toBe(200);
  });

  it("restarts DynamoDB Local when it dies on its own, with its data", async () => {
    const { body } = await health(cloud);
    const pid = body.dynamodb.pid;
    if (pid === undefined) throw new Error("health reports no DynamoDB Local pid");

    process.kill(pid, "SIGKILL");
    const restarted = await waitFor("DynamoDB Local restarted", async () => {
      const now = await health(cloud);
      return now.body.dynamodb.state === "running" && now.body.dynamodb.pid !== pid ? now.body : undefined;
    });

    expect(restarted.dynamodb.restarts).toBe(body.dynamodb.restarts + 1);
    expect(cloud.output()).toMatch(new RegExp(`DynamoDB Local \\(pid ${pid}\\) exited unexpectedly`));
    const view = await admin<{ id: string }>(cloud, "GET", `/admin/alliances/${allianceId}`);
    expect(view.status).toBe(200);
    expect(view.body.id).toBe(allianceId);
  });
});

describe("CONCORD_FAULT=crash-after-send-task-success", () => {
  let plan: CloudPlan;
  let cloud: RunningCloud | undefined;
  afterAll(async () => {
    await cloud?.stop();
    if (plan) await removePlan(plan);
  });

  it("kills the cloud right after the first SendTaskSuccess is on disk, before anything further happens", async () => {
    plan = await planCloud({ CONCORD_FAULT: "crash-after-send-task-success" });
    cloud = await startCloud(plan);
    const created = await admin<{ executionArn: string }>(
      cloud,
      "POST",
      // The same pilot in each cloud of this file (they share a data folder): past the duplicate-name refusal.
      "/admin/alliances?force=true",
      await pilotDraft(),
    );
    const [email] = await emailsTo(cloud, LEADS[0] ?? "", /interest/i);
    for (const lead of LEADS.slice(1)) await emailsTo(cloud, lead, /interest/i);
    const mailed = (await inbox(cloud)).length;
    const link = linksIn(email as NonNullable<typeof email>).text[0] ?? "";

    // The partner's click never gets an answer: the process dies inside its SendTaskSuccess.
    await expect(
      submit(link, { action: "decide", explicit: "Lower emissions", cannotAffordToLose: "Our customers" }),
    ).rejects.toThrow();
    const crashed = cloud;
    cloud = undefined;
    expect(await crashed.stop()).toBeNull(); // no exit code: it was killed
    expect(crashed.output()).toContain("CONCORD_FAULT=crash-after-send-task-success");

    const { CONCORD_FAULT: _, ...env } = plan.env;
    cloud = await startCloud({ dataDir: plan.dataDir, env });
    const events = await history(cloud, created.body.executionArn);
    expect(events.filter((e) => e.type === "TaskSucceeded")).toHaveLength(1);
    expect(await inbox(cloud)).toHaveLength(mailed);
  });
});
