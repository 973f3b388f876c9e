import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import {
  DescribeExecutionCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterEach, describe, expect, it } from "vitest";
import { FIXTURE_NAMING, FN, fixtureStateMachines, SM, stateMachineArn } from "../fixtures/test-stack";
import { eventually } from "./harness";

const CHILD = fileURLToPath(new URL("../fixtures/sfn-child.ts", import.meta.url));

interface Child {
  process: ChildProcess;
  /** Resolves with the next JSON line from the child that has `key`. */
  next(key: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

const children: ChildProcess[] = [];
let dataDir: string | undefined;

afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function startChild(dir: string): Child {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
    lines.push(JSON.parse(line) as Record<string, unknown>);
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    process: child,
    next: (key, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`child did not report ${key} in ${timeoutMs} ms`)),
          timeoutMs,
        );
        const check = () => {
          const index = lines.findIndex((line) => key in line);
          if (index < 0) return void waiters.push(check);
          clearTimeout(timer);
          resolve(lines.splice(index, 1)[0]?.[key] as Record<string, unknown>);
        };
        check();
      }),
  };
}

function client(endpoint: string): SFNClient {
  return new SFNClient({
    endpoint,
    region: FIXTURE_NAMING.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

async function callsOf(dir: string, functionName: string): Promise<number> {
  const text = await readFile(path.join(dir, `${functionName}.calls`), "utf8").catch(() => "");
  return text.split("\n").filter((line) => line.length > 0).length;
}

describe("a restart after kill -9", () => {
  it("keeps a waiting callback task: the old token completes it and its Lambda ran once", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "concord-sfn-restart-"));
    dataDir = dir;
    await writeFile(
      path.join(dir, "specs.json"),
      JSON.stringify({
        naming: FIXTURE_NAMING,
        specs: fixtureStateMachines().filter((spec) => spec.name === SM.callback),
      }),
    );

    const first = startChild(dir);
    const { endpoint } = (await first.next("ready")) as { endpoint: string };
    const { executionArn } = await client(endpoint).send(
      new StartExecutionCommand({
        stateMachineArn: stateMachineArn(SM.callback),
        name: "formation-north-star",
        input: JSON.stringify({ alliance: "north-star" }),
      }),
    );
    const waiting = (await first.next("taskWaiting")) as { token: string; executionArn: string };
    expect(waiting.executionArn).toBe(executionArn);
    first.process.kill("SIGKILL");
    await new Promise((resolve) => first.process.once("exit", resolve));

    const second = startChild(dir);
    const { endpoint: endpoint2 } = (await second.next("ready")) as { endpoint: string };
    const sfn = client(endpoint2);
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: waiting.token, output: JSON.stringify({ vote: "approve" }) }),
    );

    const done = await eventually(async () => {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return described.status === "RUNNING" ? undefined : described;
    }, 10_000);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output ?? "null").decision).toEqual({ vote: "approve" });
    expect(await callsOf(dir, FN.askPartner)).toBe(1);
    expect(await callsOf(dir, FN.prepare)).toBe(1);
    expect(await callsOf(dir, FN.record)).toBe(1);
  });
});
