/**
 * Formation on the local cloud, driven as partners drive it (HTTP clicks on the links in their emails):
 *  (a) click → next state: a partner's POST until the workflow leaves that partner's task, against a baseline of
 *      one DynamoDB Local conditional write plus one loopback HTTP round trip, measured in the same run;
 *  (b) throughput: five-partner formations completed per minute with 50 in flight.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { auditMode, parseDraft } from "../functions/domain";
import { type LocalCloud, startLocalCloud } from "../local/cloud";
import { type LocalSettings, readSettings } from "../local/settings";
import type { HistoryEventOut, TaskWaitingEvent } from "../local/stepfunctions";
import { freePort, linksIn, type StoredEmail, submit } from "../tests/e2e/harness";
import { FormationStates } from "../workflows/formation";
import {
  type BenchRow,
  type BenchSection,
  percentile,
  type SectionContext,
  sampled,
  since,
  single,
} from "./stats";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Part (a): formations driven one click at a time; the first is a warm-up and not counted. */
const CLICK_FORMATIONS = 7;
/** Baseline samples taken right before each click: 60 clicks give 240. */
const BASELINE_PER_CLICK = 4;
/** Goal: click → next state p95 at most this many times the baseline p95. */
const CLICK_RATIO_GOAL = 3;

/** Part (b): keep this many formations in flight until TARGET complete or the budget runs out. */
const IN_FLIGHT = 50;
const THROUGHPUT_TARGET = 200;
const THROUGHPUT_BUDGET_MS = 120_000;
const THROUGHPUT_GOAL_PER_MINUTE = 600;

const RSS_SAMPLE_MS = 250;
export const PARTNERS = 5;
const WAIT_TIMEOUT_MS = 30_000;
const POLL_MS = 2;

/** The requests a formation asks every partner for, in order. */
export type RequestKind = "interest-map" | "charter-approval" | "review" | "rung-decision";
/** How many goals the pilot draft has (a review answer names each); pilotDraft() checks it. */
export const PILOT_GOALS = 4;

/** The `formation` section. */
export const formationSection: BenchSection = {
  name: "formation",
  description: "formation on the in-process local cloud: click → next state vs a baseline, and throughput",
  run: benchFormation,
};

async function benchFormation(context: SectionContext): Promise<BenchRow[]> {
  return withBenchCloud(context, "formation", async (cloud, settings) => {
    const driver = new FormationDriver(cloud, await pilotDraft());
    const baseline = await openBaseline(cloud, settings.region);
    const clicks = await measureClicks(driver, baseline, context.progress).finally(() => baseline.close());
    const throughput = await measureThroughput(driver, context.progress);
    return [...clickRows(clicks), ...throughput];
  });
}

// Every bench cloud of this process listens on the same ports: the handlers' SDK clients are created once
// per process (as in a Lambda container) with the first cloud's endpoints, so a second cloud on other ports
// would leave them calling a cloud that is gone.
let ports: Promise<number[]> | undefined;
function benchPorts(): Promise<number[]> {
  ports ??= (async () => [await freePort(), await freePort(), await freePort(), await freePort()])();
  return ports;
}

/** Runs `body` against a local cloud started in this process on free ports and a fresh data folder (clock ×1). */
export async function withBenchCloud<T>(
  { progress, cleanup }: SectionContext,
  name: string,
  body: (cloud: LocalCloud, settings: LocalSettings) => Promise<T>,
): Promise<T> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `concord-bench-${name}-`));
  const removeDataDir = cleanup.add(() => rm(dataDir, { recursive: true, force: true }));
  const cloudLog: string[] = [];
  try {
    const [app, ses, dynamodb, sfn] = await benchPorts();
    const settings = readSettings({
      CONCORD_DATA_DIR: dataDir,
      CONCORD_APP_PORT: String(app),
      CONCORD_SES_PORT: String(ses),
      CONCORD_DYNAMODB_PORT: String(dynamodb),
      CONCORD_SFN_PORT: String(sfn),
      CONCORD_CLOCK_RATE: "1",
    });
    progress("starting the local cloud in this process…");
    const cloud = await startLocalCloud(settings, (line) => cloudLog.push(line));
    const stopCloud = cleanup.add(() => cloud.stop());
    try {
      return await body(cloud, settings);
    } finally {
      progress("stopping the local cloud…");
      await stopCloud();
    }
  } catch (error) {
    if (cloudLog.length > 0) console.error(`local cloud log:\n  ${cloudLog.join("\n  ")}`);
    throw error;
  } finally {
    await removeDataDir();
  }
}

// ---- (a) click → next state, and its baseline ----

interface ClickSamples {
  /** POST sent → the workflow recorded TaskSucceeded for that partner's task. */
  toTaskSucceeded: number[];
  /** POST sent → the workflow left that partner's task state (the next history step). */
  toStateExited: number[];
  /** POST sent → the partner's page came back. */
  toResponse: number[];
  /** One DynamoDB Local conditional write plus one loopback HTTP round trip. */
  baseline: number[];
}

async function measureClicks(
  driver: FormationDriver,
  baseline: Baseline,
  progress: (line: string) => void,
): Promise<ClickSamples> {
  const samples: ClickSamples = { toTaskSucceeded: [], toStateExited: [], toResponse: [], baseline: [] };
  for (let f = 0; f < CLICK_FORMATIONS; f++) {
    const warmUp = f === 0;
    const formation = await driver.create();
    for (const kind of ["interest-map", "charter-approval"] as const) {
      // Every request of the round mailed and waiting, so each click runs alone on an idle cloud.
      const links = await driver.roundReady(formation, kind);
      for (const [partnerId, link] of links) {
        // The baseline is sampled just before each click, so both see the same cloud in the same state.
        for (let i = 0; i < BASELINE_PER_CLICK; i++) {
          const sample = await baseline.sample();
          if (!warmUp) samples.baseline.push(sample);
        }
        const timing = await driver.timedClick(formation, partnerId, kind, link);
        if (warmUp) continue;
        samples.toTaskSucceeded.push(timing.toTaskSucceeded);
        samples.toStateExited.push(timing.toStateExited);
        samples.toResponse.push(timing.toResponse);
      }
    }
    await driver.waitActive(formation);
    progress(
      `click latency: formation ${f + 1}/${CLICK_FORMATIONS}${warmUp ? " (warm-up)" : ""} ACTIVE, ${samples.toStateExited.length} clicks and ${samples.baseline.length} baseline samples timed`,
    );
  }
  return samples;
}

/** The baseline: one DynamoDB Local conditional write plus one loopback HTTP round trip, timed together. */
interface Baseline {
  sample(): Promise<number>;
  close(): void;
}

async function openBaseline(cloud: LocalCloud, region: string): Promise<Baseline> {
  // The cloud's DynamoDB endpoint is its counting proxy: the same path the handlers' calls take.
  const client = new DynamoDBClient({
    endpoint: cloud.urls.dynamodb,
    region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const tables = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  const [tableName] = tables;
  if (tables.length !== 1 || !tableName) throw new Error(`expected one table, found ${tables.join(", ")}`);
  const keySchema = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.KeySchema;
  const hash = keySchema?.find((k) => k.KeyType === "HASH")?.AttributeName;
  const range = keySchema?.find((k) => k.KeyType === "RANGE")?.AttributeName;
  if (!hash) throw new Error(`table ${tableName} has no hash key`);
  const key = { [hash]: { S: "BENCH#baseline" }, ...(range ? { [range]: { S: "SCRATCH" } } : {}) };
  const healthUrl = `${cloud.urls.app}/local/health`;
  let writes = 0;
  return {
    async sample() {
      const start = performance.now();
      // Optimistic write on the previous value, like a partner's decision on an OPEN request.
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: "SET #n = :next",
          ConditionExpression: "attribute_not_exists(#n) OR #n = :previous",
          ExpressionAttributeNames: { "#n": "n" },
          ExpressionAttributeValues: {
            ":next": { N: String(writes + 1) },
            ":previous": { N: String(writes) },
          },
        }),
      );
      writes += 1;
      const health = await fetch(healthUrl);
      await health.text();
      if (health.status !== 200) throw new Error(`GET /local/health answered ${health.status}`);
      return since(start);
    },
    close: () => client.destroy(),
  };
}

function clickRows(clicks: ClickSamples): BenchRow[] {
  const { baseline } = clicks;
  const ratio = percentile(clicks.toStateExited, 0.95) / percentile(baseline, 0.95);
  return [
    sampled("click → partner's task state exited (next state)", clicks.toStateExited, "ms"),
    sampled("click → TaskSucceeded recorded", clicks.toTaskSucceeded, "ms"),
    sampled("click → partner page returned", clicks.toResponse, "ms"),
    sampled("baseline: DynamoDB conditional write + loopback GET", baseline, "ms"),
    single("click p95 / baseline p95", ratio, "×", {
      text: `≤ ${CLICK_RATIO_GOAL}×`,
      met: (value) => value <= CLICK_RATIO_GOAL,
    }),
  ];
}

// ---- (b) throughput ----

async function measureThroughput(
  driver: FormationDriver,
  progress: (line: string) => void,
): Promise<BenchRow[]> {
  progress(
    `throughput: ${IN_FLIGHT} five-partner formations in flight until ${THROUGHPUT_TARGET} complete or ${THROUGHPUT_BUDGET_MS / 1000} s`,
  );
  const inFlight = new Set<Formation>();
  const completed: Formation[] = [];
  const latencies: number[] = [];
  const clickTimes: number[] = [];
  const failures: string[] = [];
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    const tracked = work.catch((error: unknown) => {
      failures.push(error instanceof Error ? error.message : String(error));
    });
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
  };
  const startOne = () => track(driver.create((formation) => inFlight.add(formation)).then(() => {}));

  const cpuBefore = process.cpuUsage();
  const machineBefore = machineCpu();
  let peakRss = process.memoryUsage().rss;
  const started = performance.now();
  let finished = started;
  // The first 50 start together and finish together: the rate after the first completion is the steady one.
  let firstCompletedAt: number | undefined;
  for (let i = 0; i < IN_FLIGHT; i++) startOne();
  let nextReport = started + 10_000;
  // memoryUsage() reads /proc, too costly for every poll.
  let nextRssSample = started;

  while (completed.length < THROUGHPUT_TARGET && since(started) < THROUGHPUT_BUDGET_MS) {
    for (const email of driver.newEmails()) {
      const formation = email.formation;
      if (!formation || !inFlight.has(formation)) continue;
      if (email.kind === "welcome") {
        formation.welcomes += 1;
        if (formation.welcomes === PARTNERS) {
          inFlight.delete(formation);
          completed.push(formation);
          latencies.push(since(formation.createdAt));
          finished = performance.now();
          firstCompletedAt ??= finished;
          if (completed.length >= THROUGHPUT_TARGET) break;
          startOne();
        }
      } else if (email.link && email.kind !== "other") {
        const { link, kind } = email;
        track(
          (async () => {
            const sent = performance.now();
            const response = await submit(link, FIELDS[kind]);
            clickTimes.push(since(sent));
            if (response.status !== 200) throw new Error(`${kind} click answered ${response.status}`);
          })(),
        );
      }
    }
    if (performance.now() >= nextRssSample) {
      nextRssSample += RSS_SAMPLE_MS;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    if (performance.now() >= nextReport) {
      nextReport += 10_000;
      progress(
        `throughput: ${Math.round(since(started) / 1000)} s, ${completed.length} ACTIVE, ${inFlight.size} in flight, ${clickTimes.length} clicks`,
      );
    }
    await pause(POLL_MS);
  }
  if (completed.length < THROUGHPUT_TARGET) finished = performance.now();
  const windowMs = finished - started;
  const cpu = process.cpuUsage(cpuBefore);
  const machine = machineCpu();

  // Let the clicks already sent finish, so the cloud stops on a quiet HTTP front.
  await settleWithin(pending, WAIT_TIMEOUT_MS);
  const notActive = await driver.notActive(completed);
  if (notActive.length > 0)
    failures.push(`${notActive.length} formation(s) mailed a welcome but are not ACTIVE`);
  for (const failure of failures.slice(0, 5)) progress(`throughput problem: ${failure}`);
  progress(`throughput: ${completed.length} ACTIVE in ${(windowMs / 1000).toFixed(1)} s`);

  const perMinute = completed.length / (windowMs / 60_000);
  const steadyMs = firstCompletedAt === undefined ? 0 : finished - firstCompletedAt;
  const steadyPerMinute = steadyMs > 0 ? (completed.length - 1) / (steadyMs / 60_000) : 0;
  const busyCores = (machine.busy - machineBefore.busy) / Math.max(1, machine.total - machineBefore.total);
  return [
    single(
      `formations ACTIVE per minute, steady state (${IN_FLIGHT} in flight, ${PARTNERS} partners)`,
      steadyPerMinute,
      "/min",
      {
        text: `≥ ${THROUGHPUT_GOAL_PER_MINUTE}/min`,
        met: (value) => value >= THROUGHPUT_GOAL_PER_MINUTE,
      },
    ),
    single("formations ACTIVE per minute, whole window incl. ramp-up", perMinute, "/min"),
    single("formations ACTIVE in the window", completed.length, "count"),
    single("throughput window", windowMs / 1000, "s"),
    sampled(
      "formation create → ACTIVE under load",
      latencies.map((ms) => ms / 1000),
      "s",
    ),
    sampled("click → partner page returned, under load", clickTimes, "ms"),
    single(
      "bench process CPU (cloud in-process + driver)",
      ((cpu.user + cpu.system) / 1000 / windowMs) * 100,
      "% of 1 core",
    ),
    single(`machine CPU busy (all ${os.cpus().length} cores, incl. DynamoDB Local)`, busyCores * 100, "%"),
    single("bench process peak RSS", peakRss / 2 ** 20, "MiB"),
    single("errors (failed clicks or formations)", failures.length, "count", {
      text: "0",
      met: (value) => value === 0,
    }),
  ];
}

// ---- the partners' side: drafts, mail, clicks ----

/** One formation the bench drives. */
export interface Formation {
  number: number;
  allianceId: string;
  createdAt: number;
  welcomes: number;
}

/** An email the bench understands: which formation, which partner, what it asks. */
interface BenchEmail {
  formation: Formation | undefined;
  partnerId: string | undefined;
  kind: RequestKind | "welcome" | "other";
  link: string | undefined;
}

/** What a partner submits for each request. */
export const FIELDS: Record<RequestKind, Record<string, string>> = {
  "interest-map": {
    action: "decide",
    explicit: "Cut urban delivery emissions\nShare routing data",
    implicit: "Keep our brand independent",
    cannotAffordToLose: "Control of customer data",
  },
  "charter-approval": { action: "decide", vote: "approve" },
  // The pilot's four goals, each kept, and continue: the review closes with "continue".
  review: {
    action: "decide",
    strategicFit: "4",
    goalCount: String(PILOT_GOALS),
    ...Object.fromEntries(Array.from({ length: PILOT_GOALS }, (_, i) => [`goal${i}`, "keep"])),
    stance: "continue",
  },
  // Every lead resolves a concern at the first rung (consensus): the escalation closes RESOLVED.
  "rung-decision": { action: "decide", choice: "resolve", text: "Agreed: we meet weekly until it is fixed" },
};

const EXTRA_PARTNERS = [
  { id: "metro-transit", name: "Metro Transit Authority", sizeClass: "large", votingWeight: 3 },
  { id: "city-energy", name: "City Energy Co-op", sizeClass: "small", votingWeight: 1 },
] as const;

const RECIPIENT = /^lead\.([a-z0-9-]+)\.f(\d+)@example\.com$/;

/** The pilot draft, as JSON. */
export type Draft = Record<string, unknown> & { name: string; partners: Record<string, unknown>[] };

export async function pilotDraft(): Promise<Draft> {
  const draft = JSON.parse(
    await readFile(path.join(ROOT, "examples", "pilot-three-partners.json"), "utf8"),
  ) as Draft & { goals?: unknown[] };
  if (draft.goals?.length !== PILOT_GOALS)
    throw new Error(`the bench expects the pilot's ${PILOT_GOALS} goals`);
  return draft;
}

/**
 * Creates formations over the admin API, reads the mail they send and clicks the links, as the partners would.
 * Mail is read from the SES stand-in's in-process store (this process runs the cloud) rather than `GET /store`:
 * that returns every email ever sent, so it slows down as the run goes on and would skew the figures.
 */
export class FormationDriver {
  private readonly byNumber = new Map<number, Formation>();
  /** Tasks waiting for a partner, by allianceId → "kind partnerId"; and the execution of each alliance. */
  private readonly waiting = new Map<string, Set<string>>();
  private readonly executions = new Map<string, string>();
  /** Links mailed but not yet handed out, by formation number → "kind partnerId". */
  private readonly links = new Map<number, Map<string, string>>();
  private seen = 0;
  private counter = 0;

  constructor(
    private readonly cloud: LocalCloud,
    private readonly pilot: Draft,
  ) {
    cloud.stepFunctions.onTaskWaiting((event) => this.taskWaiting(event));
  }

  /**
   * Creates and submits a new five-partner alliance (formation starts at once). `onCreated` runs before the
   * admin API is called: under load the first emails can arrive before its answer does.
   */
  async create(onCreated: (formation: Formation) => void = () => {}): Promise<Formation> {
    const number = ++this.counter;
    const draft = this.draft(number);
    const formation: Formation = { number, allianceId: "", createdAt: performance.now(), welcomes: 0 };
    this.byNumber.set(number, formation);
    onCreated(formation);
    const response = await this.admin("POST", "/admin/alliances", draft);
    const { id } = response as { id?: string };
    if (!id) throw new Error(`creating formation ${number} answered ${JSON.stringify(response)}`);
    formation.allianceId = id;
    return formation;
  }

  /** The pilot with five partners, one lead each, addresses unique to this formation; still full mode. */
  private draft(number: number): Draft {
    const partners = [...this.pilot.partners, ...EXTRA_PARTNERS].map((partner) => {
      const id = String(partner.id);
      return {
        ...partner,
        contacts: [{ name: `Lead of ${id}`, email: `lead.${id}.f${number}@example.com`, role: "lead" }],
      };
    });
    const draft = { ...this.pilot, name: `Bench formation ${number}`, partners };
    const parsed = parseDraft(draft);
    if (!parsed.ok) throw new Error(`bench draft is invalid: ${JSON.stringify(parsed.errors)}`);
    if (auditMode(parsed.draft).mode !== "full") throw new Error("bench draft must form in full mode");
    return draft;
  }

  /** Emails sent since the last call. */
  newEmails(): BenchEmail[] {
    const emails = sesStore().emails;
    const fresh = emails.slice(this.seen);
    this.seen = emails.length;
    return fresh.map((email) => this.read(email));
  }

  /** Waits until all partners have the request of `kind` mailed and waiting; returns partnerId → link. */
  async roundReady(formation: Formation, kind: RequestKind): Promise<Map<string, string>> {
    const ready = () => {
      this.collect();
      const mailed = [...(this.links.get(formation.number) ?? new Map<string, string>())].filter(([key]) =>
        key.startsWith(`${kind} `),
      );
      const waiting = [...(this.waiting.get(formation.allianceId) ?? [])].filter((key) =>
        key.startsWith(`${kind} `),
      );
      return mailed.length === PARTNERS && waiting.length === PARTNERS ? mailed : undefined;
    };
    const mailed = await until(`formation ${formation.number}: ${kind} round mailed and waiting`, ready);
    const links = new Map<string, string>();
    for (const [key, link] of mailed) {
      links.set(key.slice(kind.length + 1), link);
      this.links.get(formation.number)?.delete(key);
    }
    return links;
  }

  /** Clicks one partner's link and times it against the workflow's history. */
  async timedClick(formation: Formation, partnerId: string, kind: RequestKind, link: string) {
    const executionArn = this.executions.get(formation.allianceId);
    if (!executionArn) throw new Error(`no execution seen for ${formation.allianceId}`);
    const stateName =
      kind === "interest-map" ? FormationStates.requestInterestMap : FormationStates.requestApproval;
    // Stops listening (and the timers) however the click ends, so a failed click leaves nothing pending.
    const done = new AbortController();
    try {
      const succeeded = this.nextEvent(
        executionArn,
        done.signal,
        "TaskSucceeded",
        "taskSucceededEventDetails",
        {
          partnerId,
        },
      );
      const exited = this.nextEvent(executionArn, done.signal, "TaskStateExited", "stateExitedEventDetails", {
        partnerId,
        stateName,
      });
      const sent = performance.now();
      const response = await submit(link, FIELDS[kind]);
      const toResponse = since(sent);
      if (response.status !== 200)
        throw new Error(`${kind} click for ${partnerId} answered ${response.status}`);
      const [succeededAt, exitedAt] = await Promise.all([succeeded, exited]);
      return { toTaskSucceeded: succeededAt - sent, toStateExited: exitedAt - sent, toResponse };
    } finally {
      done.abort();
    }
  }

  /** Waits until the formation's execution has closed and the alliance reads ACTIVE. */
  async waitActive(formation: Formation): Promise<void> {
    await this.waitSucceeded(formation);
    const notActive = await this.notActive([formation]);
    if (notActive.length > 0) throw new Error(`formation ${formation.number} closed but is not ACTIVE`);
  }

  /** Waits until the formation's execution has closed, and fails unless it succeeded; touches no DynamoDB. */
  async waitSucceeded(formation: Formation): Promise<void> {
    const executionArn = this.executions.get(formation.allianceId);
    if (!executionArn) throw new Error(`no execution seen for ${formation.allianceId}`);
    const closed = await this.cloud.stepFunctions.waitForExecution(executionArn, WAIT_TIMEOUT_MS);
    if (closed.status !== "SUCCEEDED") throw new Error(`formation ${formation.number} ${closed.status}`);
  }

  /** The formations among `formations` whose alliance does not read ACTIVE on the admin API. */
  async notActive(formations: Formation[]): Promise<Formation[]> {
    const statuses = await Promise.all(
      formations.map(
        async (f) =>
          ((await this.admin("GET", `/admin/alliances/${f.allianceId}`)) as { status?: string }).status,
      ),
    );
    return formations.filter((_, i) => statuses[i] !== "ACTIVE");
  }

  private collect(): void {
    for (const email of this.newEmails()) {
      if (
        !email.formation ||
        !email.link ||
        !email.partnerId ||
        email.kind === "welcome" ||
        email.kind === "other"
      )
        continue;
      const links = this.links.get(email.formation.number) ?? new Map<string, string>();
      links.set(`${email.kind} ${email.partnerId}`, email.link);
      this.links.set(email.formation.number, links);
    }
  }

  private read(email: StoredEmail): BenchEmail {
    const match = RECIPIENT.exec(email.destination.to[0] ?? "");
    const formation = match ? this.byNumber.get(Number(match[2])) : undefined;
    // Subjects as the mail templates word them; the welcome's subject also mentions "interest maps".
    const kind = / is active: /.test(email.subject)
      ? "welcome"
      : /: approve or reject /.test(email.subject)
        ? "charter-approval"
        : /: share .* interests /.test(email.subject)
          ? "interest-map"
          : /: realignment review, please answer /.test(email.subject)
            ? "review"
            : /: a concern at .*: /.test(email.subject)
              ? "rung-decision"
              : "other";
    return { formation, partnerId: match?.[1], kind, link: linksIn(email).text[0] };
  }

  private taskWaiting(event: TaskWaitingEvent): void {
    const payload = event.payload as {
      allianceId?: string;
      partnerId?: string;
      recipient?: { partnerId?: string };
      kind?: string;
    };
    if (!payload.allianceId) return;
    this.executions.set(payload.allianceId, event.executionArn);
    const waiting = this.waiting.get(payload.allianceId) ?? new Set<string>();
    // The request engine's payload names the partner under `recipient`; the formation's own tasks did at the top.
    waiting.add(`${payload.kind} ${payload.recipient?.partnerId ?? payload.partnerId}`);
    this.waiting.set(payload.allianceId, waiting);
  }

  /** performance.now() when `type` is next recorded in the execution for the partner (and state), until `signal`. */
  private nextEvent(
    executionArn: string,
    signal: AbortSignal,
    type: string,
    detailsField: string,
    match: { partnerId: string; stateName?: string },
  ): Promise<number> {
    const recorded = new Promise<number>((resolve, reject) => {
      const settle = (outcome: () => void) => {
        clearTimeout(timer);
        stop();
        signal.removeEventListener("abort", onAbort);
        outcome();
      };
      const onAbort = () => settle(() => reject(new Error(`stopped waiting for ${type}`)));
      const timer = setTimeout(
        () =>
          settle(() => reject(new Error(`no ${type} for ${match.partnerId} within ${WAIT_TIMEOUT_MS} ms`))),
        WAIT_TIMEOUT_MS,
      );
      const stop = this.cloud.stepFunctions.onHistoryEvent((arn, event: HistoryEventOut) => {
        if (arn !== executionArn || event.type !== type) return;
        const details = event[detailsField] as { name?: string; output?: string } | undefined;
        if (match.stateName !== undefined && details?.name !== match.stateName) return;
        const output = JSON.parse(details?.output ?? "{}") as {
          partnerId?: string;
          recipient?: { partnerId?: string };
        };
        if ((output.partnerId ?? output.recipient?.partnerId) !== match.partnerId) return;
        const at = performance.now();
        settle(() => resolve(at));
      });
      signal.addEventListener("abort", onAbort);
    });
    // Awaited only when the click succeeds; otherwise its rejection is expected and must not go unhandled.
    recorded.catch(() => {});
    return recorded;
  }

  private async admin(method: string, route: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.cloud.urls.app}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${this.cloud.adminToken}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }
}

// ---- small helpers ----

interface SesStore {
  getStoreReadonly: () => { emails: StoredEmail[] };
}

/** The SES stand-in's live store (its `emails` array can be replaced, so read it on every call). */
function sesStore(): { emails: StoredEmail[] } {
  const require = createRequire(import.meta.url);
  return (require("aws-ses-v2-local/dist/store") as SesStore).getStoreReadonly();
}

/** Polls `probe` every POLL_MS until it returns a value, or fails after WAIT_TIMEOUT_MS. */
async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = performance.now() + WAIT_TIMEOUT_MS;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(POLL_MS);
  }
}

/** Waits for every promise in `pending` to settle, or `ms`, whichever comes first (and leaves no timer behind). */
async function settleWithin(pending: Set<Promise<void>>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled([...pending]),
    new Promise((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU time of the whole machine so far (all cores), from os.cpus(). */
function machineCpu(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + idle + irq;
  }
  return { busy, total };
}
