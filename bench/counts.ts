/**
 * What one five-partner formation costs, counted by the local cloud (GET /local/metrics): DynamoDB calls by
 * operation and consumed capacity, Lambda invocations by function, state transitions and emails. Counters are
 * reset before each formation and read once its execution has closed, with nothing else running; the
 * formation is driven as partners drive it (the admin API, then the links in their emails).
 */
import type { LocalCloud } from "../local/cloud";
import type { MetricsSnapshot } from "../local/metrics";
import { submit } from "../tests/e2e/harness";
import {
  FIELDS,
  type Formation,
  FormationDriver,
  PARTNERS,
  pilotDraft,
  type RequestKind,
  withBenchCloud,
} from "./formation";
import { type BenchRow, type BenchSection, type SectionContext, sampled } from "./stats";

/** Formations counted; the counts should not vary between them (a difference is a finding in itself). */
const COUNTED_FORMATIONS = 3;
/** The team's goal for DynamoDB calls per five-partner formation. */
const DYNAMODB_CALLS_GOAL = 45;

/** The `counts` section. */
export const countsSection: BenchSection = {
  name: "counts",
  description: `what one ${PARTNERS}-partner formation costs: DynamoDB calls and capacity, Lambda invocations, state transitions, emails`,
  run: benchCounts,
};

/** Review cycles counted, on one alliance formed first (its formation is not counted). */
const COUNTED_REVIEWS = 3;

/** The `review-counts` section. */
export const reviewCountsSection: BenchSection = {
  name: "review-counts",
  description: `what one ${PARTNERS}-partner realignment review cycle costs (started by an admin, every lead answers): DynamoDB calls, Lambda invocations, state transitions, emails`,
  run: benchReviewCounts,
};

async function benchReviewCounts(context: SectionContext): Promise<BenchRow[]> {
  return countCycles(
    context,
    "review-counts",
    { progress: "review", rows: "review cycle" },
    COUNTED_REVIEWS,
    async (cloud, formation, i) => {
      await adminPost(
        cloud,
        `/admin/alliances/${formation.allianceId}/reviews`,
        undefined,
        `starting review ${i + 1}`,
      );
      return "review";
    },
  );
}

/**
 * Forms one alliance (uncounted), then `count` times: resets the counters, starts one cycle (`start` returns the kind
 * of request it asks every partner for), answers it by the links, waits for its execution to close, and reads the
 * counters.
 */
async function countCycles(
  context: SectionContext,
  name: string,
  /** What one cycle is, in progress lines ("review") and in row names ("review cycle"). */
  unit: { progress: string; rows: string },
  count: number,
  start: (cloud: LocalCloud, formation: Formation, i: number) => Promise<RequestKind>,
): Promise<BenchRow[]> {
  return withBenchCloud(context, name, async (cloud) => {
    const driver = new FormationDriver(cloud, await pilotDraft());
    const formation = await driver.create();
    for (const kind of ["interest-map", "charter-approval"] as const)
      await answerRound(driver, formation, kind);
    await driver.waitActive(formation);
    const samples: MetricsSnapshot[] = [];
    for (let i = 0; i < count; i++) {
      await localCall(cloud, "POST", "/local/metrics/reset");
      await answerRound(driver, formation, await start(cloud, formation, i));
      // The cycle's tasks waited last, so the driver follows its execution now.
      await driver.waitSucceeded(formation);
      samples.push(await localCall<MetricsSnapshot>(cloud, "GET", "/local/metrics"));
      const { dynamodb, lambda } = samples[samples.length - 1] as MetricsSnapshot;
      context.progress(
        `${unit.progress} ${i + 1}/${count}: ${dynamodb.calls} DynamoDB calls, ${lambda.invocations} Lambda invocations`,
      );
    }
    return countRows(samples, unit.rows);
  });
}

/** An admin API POST the bench needs to succeed (2xx), with an optional JSON body. */
async function adminPost(cloud: LocalCloud, route: string, body: unknown, what: string): Promise<void> {
  const response = await fetch(`${cloud.urls.app}${route}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${cloud.adminToken}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status !== 201) throw new Error(`${what} answered ${response.status}`);
}

/** Escalations counted, on one alliance formed first (its formation is not counted). */
const COUNTED_ESCALATIONS = 3;

/** The `escalation-counts` section. */
export const escalationCountsSection: BenchSection = {
  name: "escalation-counts",
  description: `what one concern resolved at the first rung costs (raised by an admin, every one of ${PARTNERS} leads resolves it): DynamoDB calls, Lambda invocations, state transitions, emails`,
  run: benchEscalationCounts,
};

async function benchEscalationCounts(context: SectionContext): Promise<BenchRow[]> {
  return countCycles(
    context,
    "escalation-counts",
    { progress: "escalation", rows: "escalation resolved at rung 1" },
    COUNTED_ESCALATIONS,
    async (cloud, formation, i) => {
      await adminPost(
        cloud,
        `/admin/alliances/${formation.allianceId}/escalations`,
        {
          subject: `Bench concern ${i + 1}`,
          description: "Counted by the bench.",
          kind: "dispute",
          partnerIds: ["harbor-rail"],
          critical: false,
        },
        `raising concern ${i + 1}`,
      );
      return "rung-decision";
    },
  );
}

async function benchCounts(context: SectionContext): Promise<BenchRow[]> {
  return withBenchCloud(context, "counts", async (cloud) => {
    const driver = new FormationDriver(cloud, await pilotDraft());
    const samples: MetricsSnapshot[] = [];
    for (let i = 0; i < COUNTED_FORMATIONS; i++) {
      samples.push(await countOneFormation(cloud, driver));
      const { dynamodb, lambda } = samples[samples.length - 1] as MetricsSnapshot;
      context.progress(
        `formation ${i + 1}/${COUNTED_FORMATIONS}: ${dynamodb.calls} DynamoDB calls, ${lambda.invocations} Lambda invocations`,
      );
    }
    return countRows(samples, "formation", DYNAMODB_CALLS_GOAL);
  });
}

/** Resets the counters, drives one formation to ACTIVE and returns the counters as they stood when it closed. */
async function countOneFormation(cloud: LocalCloud, driver: FormationDriver): Promise<MetricsSnapshot> {
  await localCall(cloud, "POST", "/local/metrics/reset");
  const formation = await driver.create();
  for (const kind of ["interest-map", "charter-approval"] as const)
    await answerRound(driver, formation, kind);
  // Every click was answered (so its handler is done) and the execution closed: nothing of it still runs.
  await driver.waitSucceeded(formation);
  const counted = await localCall<MetricsSnapshot>(cloud, "GET", "/local/metrics");
  await driver.waitActive(formation); // reads the alliance over the admin API: after the counters, not in them
  return counted;
}

async function answerRound(driver: FormationDriver, formation: Formation, kind: RequestKind): Promise<void> {
  const links = await driver.roundReady(formation, kind);
  for (const [partnerId, link] of links) {
    const response = await submit(link, FIELDS[kind]);
    if (response.status !== 200)
      throw new Error(`${kind} click for ${partnerId} answered ${response.status}`);
  }
}

function countRows(samples: MetricsSnapshot[], unitOfWork: string, dynamoDbGoal?: number): BenchRow[] {
  const per = (name: string, unit: string, pick: (m: MetricsSnapshot) => number, goal?: Goal) =>
    sampled(name, samples.map(pick), unit, goal);
  // Most frequent first, over all samples.
  const keys = (pick: (m: MetricsSnapshot) => Record<string, number>) => {
    const totals = new Map<string, number>();
    for (const m of samples)
      for (const [key, n] of Object.entries(pick(m))) totals.set(key, (totals.get(key) ?? 0) + n);
    return [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([key]) => key);
  };
  return [
    per(
      `DynamoDB calls per ${unitOfWork}`,
      "calls",
      (m) => m.dynamodb.calls,
      dynamoDbGoal === undefined
        ? undefined
        : { text: `≤ ${dynamoDbGoal}`, met: (row) => row.median <= dynamoDbGoal },
    ),
    ...keys((m) => m.dynamodb.byOperation).map((op) =>
      per(`  DynamoDB ${op}`, "calls", (m) => m.dynamodb.byOperation[op] ?? 0),
    ),
    ...keys((m) => m.dynamodb.errors).map((type) =>
      per(`  DynamoDB errors: ${type}`, "count", (m) => m.dynamodb.errors[type] ?? 0),
    ),
    per(`DynamoDB consumed read capacity per ${unitOfWork}`, "RCU", (m) => m.dynamodb.readCapacityUnits),
    per(`DynamoDB consumed write capacity per ${unitOfWork}`, "WCU", (m) => m.dynamodb.writeCapacityUnits),
    per(`Lambda invocations per ${unitOfWork}`, "invocations", (m) => m.lambda.invocations),
    ...keys((m) => m.lambda.byFunction).map((fn) =>
      per(`  Lambda ${shortName(fn)}`, "invocations", (m) => m.lambda.byFunction[fn] ?? 0),
    ),
    per(
      `Step Functions state transitions per ${unitOfWork}`,
      "transitions",
      (m) => m.stepFunctions.stateTransitions,
    ),
    per(`emails sent per ${unitOfWork}`, "emails", (m) => m.ses.emailsSent),
  ];
}

type Goal = { text: string; met: (row: { median: number; p95: number }) => boolean };

/** A function's logical id without the hash CDK appends (`AdminHttp5B130C8D` → `AdminHttp`). */
function shortName(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, "");
}

/** An admin-only local route of the cloud, answered with JSON. */
async function localCall<T = unknown>(cloud: LocalCloud, method: string, route: string): Promise<T> {
  const response = await fetch(`${cloud.urls.app}${route}`, {
    method,
    headers: { authorization: `Bearer ${cloud.adminToken}` },
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}
