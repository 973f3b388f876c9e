import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GetExecutionHistoryCommand, type HistoryEvent, SFNClient } from "@aws-sdk/client-sfn";
import type { DynamoDbStatus } from "../../local/dynamodb-local";
import type { MetricsSnapshot } from "../../local/metrics";
import { freeLoopbackPort, PRIVATE_PORTS } from "../../local/ports";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A free loopback TCP port outside the ephemeral range (so tests never collide with a developer's running local
 * cloud, nor with an outgoing connection that took the port between the pick and the cloud's listen). */
export function freePort(): Promise<number> {
  return freeLoopbackPort(PRIVATE_PORTS.testClouds, "a test cloud");
}

/** One email as the SES stand-in stores it. */
export interface StoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

/** A local cloud started as `npm start` would, in its own process with its own data folder and ports. */
export interface RunningCloud {
  appUrl: string;
  sesUrl: string;
  stepFunctionsUrl: string;
  dataDir: string;
  env: Record<string, string>;
  token: string;
  output: () => string;
  /** Ctrl-C, waiting for a clean exit. */
  stop(): Promise<number | null>;
  /** kill -9: no shutdown code runs. */
  kill9(): Promise<void>;
}

/** Ports and data folder for a cloud; reuse them to restart on the same data. */
export interface CloudPlan {
  dataDir: string;
  env: Record<string, string>;
}

/** Picks free ports and a fresh data folder. */
export async function planCloud(extraEnv: Record<string, string> = {}): Promise<CloudPlan> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "concord-e2e-"));
  const [app, ses, dynamodb, sfn] = [await freePort(), await freePort(), await freePort(), await freePort()];
  return {
    dataDir,
    env: {
      CONCORD_DATA_DIR: dataDir,
      CONCORD_APP_PORT: String(app),
      CONCORD_SES_PORT: String(ses),
      CONCORD_DYNAMODB_PORT: String(dynamodb),
      CONCORD_SFN_PORT: String(sfn),
      ...extraEnv,
    },
  };
}

/** Starts the local cloud as `npm start` does and waits for its "Ready" line. */
export async function startCloud(plan: CloudPlan, timeoutMs = 90_000): Promise<RunningCloud> {
  // tsx as a loader (its CLI would fork a second process), in its own process group, so that Ctrl-C and
  // kill -9 reach the cloud itself, as they would in a terminal.
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "local/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...plan.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`local cloud not ready in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const check = () => {
      if (/Ready in/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`local cloud exited with ${code} before it was ready:\n${output}`));
    });
  });
  const token = (await readFile(path.join(plan.dataDir, "admin-token"), "utf8")).trim();
  return {
    appUrl: `http://127.0.0.1:${plan.env.CONCORD_APP_PORT}`,
    sesUrl: `http://127.0.0.1:${plan.env.CONCORD_SES_PORT}`,
    stepFunctionsUrl: `http://127.0.0.1:${plan.env.CONCORD_SFN_PORT}`,
    dataDir: plan.dataDir,
    env: plan.env,
    token,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      signalGroup("SIGINT");
      return exited;
    },
    async kill9() {
      if (child.exitCode !== null) return;
      signalGroup("SIGKILL");
      await exited;
    },
  };
}

/** Removes a plan's data folder. */
export async function removePlan(plan: CloudPlan): Promise<void> {
  await rm(plan.dataDir, { recursive: true, force: true });
}

/** Admin API call with the cloud's token. */
export async function admin<T = unknown>(
  cloud: RunningCloud,
  method: string,
  route: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${cloud.appUrl}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${cloud.token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

/** Every email the SES stand-in holds. */
export async function inbox(cloud: RunningCloud): Promise<StoredEmail[]> {
  const response = await fetch(`${cloud.sesUrl}/store`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}

/**
 * Waits until the execution's recent history (its last 20 events) holds an event that `matches`: for what only the
 * workflow shows, such as the state it has reached before the test moves the clock or kills the cloud.
 */
export async function waitForHistory(
  cloud: RunningCloud,
  executionArn: string,
  what: string,
  matches: (event: HistoryEvent) => boolean,
): Promise<void> {
  const sfn = new SFNClient({
    endpoint: cloud.stepFunctionsUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    await waitFor(what, async () => {
      const { events = [] } = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 20 }),
      );
      return events.some(matches) ? true : undefined;
    });
  } finally {
    sfn.destroy();
  }
}

/** Polls `probe` until it returns a value (not undefined), or fails with `what` after timeoutMs. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Partner links (absolute /r/ URLs) in an email's text and HTML parts. */
export function linksIn(email: StoredEmail): { text: string[]; html: string[] } {
  const find = (body: string | undefined) =>
    [...(body ?? "").matchAll(/https?:\/\/[^\s"'<>]+\/r\/[A-Za-z0-9_-]+\?s=[A-Za-z0-9_-]+/g)].map((m) =>
      m[0].replace(/&amp;/g, "&"),
    );
  return { text: find(email.body.text), html: find(email.body.html) };
}

/** The "raise a concern" link under an email's footer, from its text part; undefined when it has none. */
export function concernLinkIn(email: StoredEmail): string | undefined {
  return /https?:\/\/[^\s"'<>]+\/c\/[A-Za-z0-9_-]+\?s=[A-Za-z0-9_-]+/.exec(email.body.text ?? "")?.[0];
}

/** Waits for `count` emails to `to` whose subject matches, and returns them. */
export async function emailsTo(
  cloud: RunningCloud,
  to: string,
  subject: RegExp,
  count = 1,
  timeoutMs = 30_000,
): Promise<StoredEmail[]> {
  return waitFor(
    `${count} email(s) to ${to} matching ${subject}`,
    async () => {
      const found = (await inbox(cloud)).filter(
        (e) => e.destination.to.includes(to) && subject.test(e.subject),
      );
      return found.length >= count ? found : undefined;
    },
    timeoutMs,
  );
}

/** Opens a link the way a browser would (GET), returning status and page. */
export async function open(link: string): Promise<{ status: number; html: string }> {
  const response = await fetch(link);
  return { status: response.status, html: await response.text() };
}

/** Submits a decision form (POST, form-encoded) to a link. */
export async function submit(
  link: string,
  fields: Record<string, string>,
): Promise<{ status: number; html: string }> {
  const secret = new URL(link).searchParams.get("s") ?? "";
  const response = await fetch(link, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ s: secret, ...fields }).toString(),
  });
  return { status: response.status, html: await response.text() };
}

/** Moves the cloud's clock forward (the admin-only, local-only clock call) and fails the test if it is refused. */
export async function advanceClock(cloud: RunningCloud, by: string): Promise<void> {
  const response = await fetch(`${cloud.appUrl}/local/clock`, {
    method: "POST",
    headers: { authorization: `Bearer ${cloud.token}`, "content-type": "application/json" },
    body: JSON.stringify({ advance: by }),
  });
  if (response.status !== 200)
    throw new Error(`clock advance ${by} refused: ${response.status} ${await response.text()}`);
}

/** What GET /local/health answers: 200 "ok", or 503 "degraded" while DynamoDB Local is down. */
export interface CloudHealth {
  status: "ok" | "degraded";
  dynamodb: DynamoDbStatus;
}

/** The cloud's health (no token needed); never throws on a 503, which is an answer too. */
export async function health(cloud: RunningCloud): Promise<{ status: number; body: CloudHealth }> {
  const response = await fetch(`${cloud.appUrl}/local/health`);
  return { status: response.status, body: (await response.json()) as CloudHealth };
}

/** The cloud's counters since start or the last reset (GET /local/metrics). */
export function metrics(cloud: RunningCloud): Promise<MetricsSnapshot> {
  return localCall<MetricsSnapshot>(cloud, "GET", "/local/metrics");
}

/** Zeroes the cloud's counters; returns them as they are right after (all zero). */
export function resetMetrics(cloud: RunningCloud): Promise<MetricsSnapshot> {
  return localCall<MetricsSnapshot>(cloud, "POST", "/local/metrics/reset");
}

/** Stops DynamoDB Local (its data stays on disk); resolves once it is down. The rest of the cloud keeps running. */
export function stopDynamoDb(cloud: RunningCloud): Promise<DynamoDbStatus> {
  return localCall<DynamoDbStatus>(cloud, "POST", "/local/dynamodb/stop");
}

/** Starts DynamoDB Local again; resolves once it answers. */
export function startDynamoDb(cloud: RunningCloud): Promise<DynamoDbStatus> {
  return localCall<DynamoDbStatus>(cloud, "POST", "/local/dynamodb/start");
}

/** An admin-only local route; fails the test unless it answers 200. */
async function localCall<T>(cloud: RunningCloud, method: string, route: string): Promise<T> {
  const response = await fetch(`${cloud.appUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${cloud.token}` },
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/**
 * An example draft from examples/ (a fresh copy each call), renamed when `name` is given, so that each test's
 * alliance, subjects and emails are its own.
 */
// biome-ignore lint/suspicious/noExplicitAny: a draft is edited freely by tests, then validated by the API.
export async function exampleDraft(file = "pilot-three-partners.json", name?: string): Promise<any> {
  const draft = JSON.parse(await readFile(path.join(ROOT, "examples", file), "utf8"));
  if (name !== undefined) draft.name = name;
  return draft;
}

/** Runs the `concord` CLI as an admin would (`npm run concord -- …`), against the cloud `env` names. */
export function concord(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "cli/concord.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
