/**
 * Start time of the local cloud as a developer sees it: `npm start`'s command in its own process, from spawn to
 * the "Ready in" line, on a fresh data folder and on one that already holds data; then Ctrl-C and wait for exit.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../tests/e2e/harness";
import { type BenchRow, type BenchSection, type Cleanup, type SectionContext, sampled, since } from "./stats";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FRESH_RUNS = 5;
const EXISTING_RUNS = 3;
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

/** One start and stop of the local cloud. */
interface StartSample {
  /** Spawn → "Ready in" line, as the developer waits. */
  readyMs: number;
  /** The figure the cloud prints itself ("Ready in 4.2 s"), which leaves out Node and tsx loading. */
  reportedMs: number;
  /** SIGINT → process exit. */
  stopMs: number;
}

/** The `startup` section. */
export const startupSection: BenchSection = {
  name: "startup",
  description: `local cloud start time (npm start): ${FRESH_RUNS}× on a fresh data folder, ${EXISTING_RUNS}× on an existing one`,
  run: benchStartup,
};

async function benchStartup({ progress, cleanup }: SectionContext): Promise<BenchRow[]> {
  const folders: string[] = [];
  const removeFolders = cleanup.add(() =>
    Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true }))),
  );
  try {
    const fresh: StartSample[] = [];
    for (let i = 1; i <= FRESH_RUNS; i++) {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), "concord-bench-startup-"));
      folders.push(dataDir);
      const sample = await startAndStop(dataDir, cleanup);
      fresh.push(sample);
      progress(`fresh data folder ${i}/${FRESH_RUNS}: ready in ${seconds(sample.readyMs)}`);
    }
    // The last fresh folder now holds tables, an admin token, a clock file: an existing installation.
    const existingDir = folders.at(-1) ?? "";
    const existing: StartSample[] = [];
    for (let i = 1; i <= EXISTING_RUNS; i++) {
      const sample = await startAndStop(existingDir, cleanup);
      existing.push(sample);
      progress(`existing data folder ${i}/${EXISTING_RUNS}: ready in ${seconds(sample.readyMs)}`);
    }
    const all = [...fresh, ...existing];
    return [
      sampled("spawn → Ready, fresh data folder", toSeconds(fresh.map((s) => s.readyMs)), "s"),
      sampled("spawn → Ready, existing data folder", toSeconds(existing.map((s) => s.readyMs)), "s"),
      sampled('"Ready in" as printed by the cloud (all runs)', toSeconds(all.map((s) => s.reportedMs)), "s"),
      sampled("Ctrl-C → exit (all runs)", toSeconds(all.map((s) => s.stopMs)), "s"),
    ];
  } finally {
    await removeFolders();
  }
}

/** Starts the cloud on `dataDir` with free ports, waits for "Ready in", then stops it with Ctrl-C. */
async function startAndStop(dataDir: string, cleanup: Cleanup): Promise<StartSample> {
  const [app, ses, dynamodb, sfn] = [await freePort(), await freePort(), await freePort(), await freePort()];
  // Settings come only from what we set here, not from a developer's shell.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("CONCORD_")),
  );
  const started = performance.now();
  // tsx as a loader (its CLI would fork a second process), in its own process group so that the SIGINT below
  // reaches the cloud as a terminal's Ctrl-C would, and nothing of ours.
  const child = spawn(process.execPath, ["--import", "tsx", "local/main.ts"], {
    cwd: ROOT,
    env: {
      ...inherited,
      CONCORD_DATA_DIR: dataDir,
      CONCORD_APP_PORT: String(app),
      CONCORD_SES_PORT: String(ses),
      CONCORD_DYNAMODB_PORT: String(dynamodb),
      CONCORD_SFN_PORT: String(sfn),
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const release = cleanup.add(() => stopGroup(child, exited));
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  try {
    const ready = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`local cloud not ready within ${READY_TIMEOUT_MS} ms:\n${output}`)),
        READY_TIMEOUT_MS,
      );
      child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const line = /Ready in ([\d.]+) s/.exec(output);
        if (line) {
          clearTimeout(timer);
          resolve(line[1] ?? "NaN");
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`local cloud exited with ${code} before it was ready:\n${output}`));
      });
    });
    const readyMs = since(started);
    // An answered request proves the cloud's event loop has run past the code that follows the Ready line, where
    // it installs its Ctrl-C handler; a SIGINT sent straight after the line can land before that and kill it.
    const health = await fetch(`http://127.0.0.1:${app}/local/health`);
    await health.text();
    if (health.status !== 200) throw new Error(`GET /local/health answered ${health.status}:\n${output}`);
    const stopping = performance.now();
    const code = await stopGroup(child, exited);
    if (code !== 0) {
      throw new Error(`local cloud exited with ${code ?? child.signalCode} after Ctrl-C:\n${output}`);
    }
    return { readyMs, reportedMs: Number(ready) * 1000, stopMs: since(stopping) };
  } finally {
    await release();
  }
}

/** SIGINT to the child's process group, then SIGKILL if it has not exited within STOP_TIMEOUT_MS. */
async function stopGroup(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const signal = (name: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, name);
    } catch {
      // already gone
    }
  };
  signal("SIGINT");
  const timer = setTimeout(() => signal("SIGKILL"), STOP_TIMEOUT_MS);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

const toSeconds = (values: number[]) => values.map((value) => value / 1000);
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
