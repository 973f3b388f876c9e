import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ListTablesCommand,
} from "@aws-sdk/client-dynamodb";
import { StartupError } from "./errors";
import { freeLoopbackPort, PRIVATE_PORTS } from "./ports";

const execFileAsync = promisify(execFile);

const READY_TIMEOUT_MS = 30_000;
/** Pauses between restart attempts after a crash: doubling from the first to the last, then staying there. */
const RESTART_PAUSE_MS = { first: 250, last: 10_000 };

/** The DynamoDB Local jar shipped inside the npm package amplify-dynamodb-simulator. */
function emulatorDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("amplify-dynamodb-simulator/package.json")), "emulator");
}

/** Checks that Java 17+ is on the PATH; DynamoDB Local is a Java program. */
export async function assertJava(): Promise<void> {
  let output: string;
  try {
    const { stderr, stdout } = await execFileAsync("java", ["-version"]);
    output = `${stderr}${stdout}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new StartupError(
        "Java 17 or newer is required for DynamoDB Local and was not found on the PATH — install it (for example: apt-get install openjdk-17-jre-headless)",
      );
    }
    throw error;
  }
  const major = Number(/version "(\d+)/.exec(output)?.[1] ?? "0");
  if (major < 17) {
    throw new StartupError(
      `DynamoDB Local needs Java 17 or newer; found ${output.split("\n")[0] ?? "an unknown Java"}`,
    );
  }
}

/** Whether DynamoDB Local runs: `running`, `stopped` (on request), `restarting` (after a crash) or `closed`. */
export type DynamoDbState = "running" | "stopped" | "restarting" | "closed";

/** What /local/health reports about DynamoDB Local. */
export interface DynamoDbStatus {
  state: DynamoDbState;
  /** The Java process, while it runs. */
  pid?: number;
  /** Restarts after unexpected exits since the cloud started. */
  restarts: number;
}

/** Options of DynamoDB Local. */
export interface DynamoDbLocalOptions {
  /** Port for the jar. @default a free loopback port, kept across stops and restarts */
  port?: number;
  /** Data lives in `<dataDir>/dynamodb` and survives stops, crashes and restarts. */
  dataDir: string;
  log?: (line: string) => void;
}

/**
 * Starts DynamoDB Local with its data under dataDir and keeps it running: if the process dies without being
 * asked to, it is logged and started again (with growing pauses while that fails), so a crash of the jar is an
 * outage of seconds, not a dead cloud. `stop()` and `start()` take it down and up on purpose (tests of an
 * outage); `close()` ends it for good. Fails with a StartupError when the first start does.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const dbPath = path.join(options.dataDir, "dynamodb");
  await mkdir(dbPath, { recursive: true });
  const port = options.port ?? (await freeLoopbackPort(PRIVATE_PORTS.dynamoDbLocal, "DynamoDB Local"));
  const dynamodb = new DynamoDbLocal(port, dbPath, options.log ?? (() => {}));
  await dynamodb.start();
  return dynamodb;
}

/** DynamoDB Local under supervision; see startDynamoDbLocal. */
export class DynamoDbLocal {
  /** Where DynamoDB Local itself answers (the handlers go through the counting proxy instead). */
  readonly endpoint: string;
  private jar: JarProcess | undefined;
  private wanted: "running" | "stopped" | "closed" = "running";
  private restarts = 0;
  /** Start, stop, restart and close run one at a time, in call order. */
  private turn: Promise<void> = Promise.resolve();
  /** Cuts short the pause between restart attempts when start(), stop() or close() is called. */
  private restartPause = new AbortController();

  constructor(
    private readonly port: number,
    private readonly dbPath: string,
    private readonly log: (line: string) => void,
  ) {
    this.endpoint = `http://127.0.0.1:${port}`;
  }

  status(): DynamoDbStatus {
    const state: DynamoDbState = this.jar
      ? "running"
      : this.wanted === "running"
        ? "restarting"
        : this.wanted;
    return { state, ...(this.jar ? { pid: this.jar.pid } : {}), restarts: this.restarts };
  }

  /** Starts the jar unless it runs, and resolves once it answers; throws a StartupError if it cannot. */
  start(): Promise<void> {
    if (this.wanted === "closed") return Promise.reject(new StartupError("DynamoDB Local has been closed"));
    this.wanted = "running";
    this.restartPause.abort(); // a restart waiting out its pause would hold this start up
    return this.inTurn(async () => {
      await this.ensureRunning();
    });
  }

  /** Ends the jar (data stays on disk) and keeps it down until start(); resolves once its port is free. */
  stop(): Promise<void> {
    if (this.wanted === "closed") return Promise.resolve();
    this.wanted = "stopped";
    this.restartPause.abort();
    return this.inTurn(() => this.endJar());
  }

  /** Ends the jar for good (the cloud is stopping). */
  close(): Promise<void> {
    this.wanted = "closed";
    this.restartPause.abort();
    return this.inTurn(() => this.endJar());
  }

  private inTurn(work: () => Promise<void>): Promise<void> {
    const next = this.turn.then(work);
    this.turn = next.catch(() => {});
    return next;
  }

  /** The running jar, started if it is wanted and not running; undefined when it is not wanted any more. */
  private async ensureRunning(): Promise<JarProcess | undefined> {
    if (this.jar || this.wanted !== "running") return this.jar;
    const jar = await startJar(this.port, this.dbPath);
    if (this.wanted !== "running") {
      await jar.end();
      return undefined;
    }
    this.jar = jar;
    void jar.exited.then((exit) => {
      if (this.jar !== jar) return; // ended on purpose
      this.jar = undefined;
      this.log(`DynamoDB Local (pid ${jar.pid}) exited unexpectedly (${exit}); restarting it`);
      void this.inTurn(() => this.restart(jar));
    });
    return jar;
  }

  private async endJar(): Promise<void> {
    const jar = this.jar;
    this.jar = undefined;
    await jar?.end();
  }

  private async restart(crashed: JarProcess): Promise<void> {
    // A killed guard leaves Java holding the port; make sure nothing of the old process survives.
    crashed.killAll();
    this.restartPause = new AbortController();
    const { signal } = this.restartPause;
    for (let pause = RESTART_PAUSE_MS.first; ; pause = Math.min(pause * 2, RESTART_PAUSE_MS.last)) {
      if (this.jar || this.wanted !== "running") return; // start(), stop() or close() came first
      try {
        const jar = await this.ensureRunning();
        if (jar) {
          this.restarts += 1;
          this.log(`DynamoDB Local restarted (pid ${jar.pid}), data kept`);
        }
        return;
      } catch (error) {
        this.log(`DynamoDB Local did not restart: ${(error as Error).message}; trying again in ${pause} ms`);
      }
      const paused = await sleep(pause, true, { signal }).catch(() => false);
      if (!paused) return;
    }
  }
}

/** One DynamoDB Local process (Java under its guard shell). */
interface JarProcess {
  /** The Java process. */
  pid: number;
  /** Resolves with how the guard ended ("code 137", "signal SIGKILL"). */
  exited: Promise<string>;
  /** Ends Java and resolves once it has exited (its port is free then). */
  end(): Promise<void>;
  /** SIGKILL to the guard's whole process group. */
  killAll(): void;
}

// The guard ends Java when our pipe closes (we exit, even by kill -9) and exits when Java does (so a crash is seen);
// it prints Java's pid first. fd 3 keeps our pipe for the watcher: sh gives background jobs /dev/null as stdin.
const GUARD = [
  'java "$@" </dev/null >/dev/null 2>&1 & pid=$!',
  'echo "$pid"',
  "trap 'kill \"$pid\" 2>/dev/null' HUP INT TERM",
  "exec 3<&0",
  '( read -r _ <&3; kill "$pid" 2>/dev/null ) & watcher=$!',
  "exec 3<&-",
  'wait "$pid"; code=$?',
  'kill "$watcher" 2>/dev/null',
  'wait "$pid" 2>/dev/null',
  'exit "$code"',
].join("\n");

async function startJar(port: number, dbPath: string): Promise<JarProcess> {
  const javaArgs = [
    "-Djava.library.path=./DynamoDBLocal_lib",
    "-jar",
    "DynamoDBLocal.jar",
    "-port",
    String(port),
    "-dbPath",
    dbPath,
    "-sharedDb",
  ];
  // Its own process group: a terminal's Ctrl-C reaches only us, and we stop Java in order (stdin EOF → kill →
  // wait), so the port is free when end() resolves.
  const child: ChildProcess = spawn("sh", ["-c", GUARD, "sh", ...javaArgs], {
    cwd: emulatorDir(),
    stdio: ["pipe", "pipe", "ignore"],
    detached: true,
  });
  // A write to a guard that has just died must not crash the cloud.
  child.stdin?.on("error", () => {});
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`)),
  );
  const end = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin?.end();
    await exited;
  };
  const failed = exited.then((how) => {
    throw new StartupError(`DynamoDB Local exited during startup (${how})`);
  });
  failed.catch(() => {});
  try {
    const pid = await Promise.race([firstLine(child), failed]).then(Number);
    await Promise.race([answering(`http://127.0.0.1:${port}`), failed]);
    return {
      pid,
      exited,
      end,
      killAll: () => {
        try {
          if (child.pid) process.kill(-child.pid, "SIGKILL");
        } catch {
          // the group is gone already
        }
        child.stdin?.end();
      },
    };
  } catch (error) {
    await end();
    throw error;
  }
}

/** The first line the guard prints (Java's pid). */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("\n")) resolve(text.split("\n")[0] ?? "");
    });
  });
}

/** Resolves once DynamoDB Local at `endpoint` answers ListTables; a StartupError after READY_TIMEOUT_MS. */
async function answering(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        if (Date.now() > deadline)
          throw new StartupError(
            `DynamoDB Local did not answer on ${endpoint} within ${READY_TIMEOUT_MS / 1000} s`,
          );
        await sleep(100);
      }
    }
  } finally {
    client.destroy();
  }
}

/** Creates every table that does not exist yet (definitions come from the synthesized template). */
export async function ensureTables(
  endpoint: string,
  region: string,
  tables: CreateTableCommandInput[],
): Promise<string[]> {
  const client = new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
    const created: string[] = [];
    for (const table of tables) {
      if (table.TableName && !existing.has(table.TableName)) {
        await client.send(new CreateTableCommand(table));
        created.push(table.TableName);
      }
    }
    return created;
  } finally {
    client.destroy();
  }
}
