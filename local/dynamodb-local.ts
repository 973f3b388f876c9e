import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ListTablesCommand,
} from "@aws-sdk/client-dynamodb";
import { StartupError } from "./errors";

const execFileAsync = promisify(execFile);

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

/** A running DynamoDB Local process. */
export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local with its data under dataDir (so it survives restarts). Java runs under a small
 * shell that ends it when our stdin pipe closes — so it also goes away if this process is killed with -9.
 */
export async function startDynamoDbLocal(options: {
  host: string;
  port: number;
  dataDir: string;
}): Promise<DynamoDbLocal> {
  const dbPath = path.join(options.dataDir, "dynamodb");
  await mkdir(dbPath, { recursive: true });
  const cwd = emulatorDir();
  const javaArgs = [
    "-Djava.library.path=./DynamoDBLocal_lib",
    "-jar",
    "DynamoDBLocal.jar",
    "-port",
    String(options.port),
    "-dbPath",
    dbPath,
    "-sharedDb",
  ];
  // The guard ends Java when our pipe closes (we exit, even by kill -9) or when it is itself signalled.
  const guard =
    'java "$@" </dev/null >/dev/null 2>&1 & pid=$!; trap \'kill "$pid" 2>/dev/null\' HUP INT TERM; ' +
    'read -r _; kill "$pid" 2>/dev/null; wait "$pid"';
  // Its own process group: a terminal's Ctrl-C reaches only us, and we stop Java in order (stdin EOF → kill →
  // wait), so the port is free when stop() resolves.
  const child: ChildProcess = spawn("sh", ["-c", guard, "sh", ...javaArgs], {
    cwd,
    stdio: ["pipe", "ignore", "ignore"],
    detached: true,
  });
  const endpoint = `http://${options.host}:${options.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) =>
      reject(new StartupError(`DynamoDB Local exited during startup (code ${code})`)),
    ),
  );
  const deadline = Date.now() + 30_000;
  const ready = (async () => {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        if (Date.now() > deadline)
          throw new StartupError(`DynamoDB Local did not answer on ${endpoint} within 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  })();
  try {
    await Promise.race([ready, exited]);
  } finally {
    client.destroy();
  }
  exited.catch(() => undefined);
  return {
    endpoint,
    stop: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.stdin?.end();
      await gone;
    },
  };
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
