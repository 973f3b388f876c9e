import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type LocalCloud, type LocalCloudOptions, startLocalCloud } from "../../local/cloud";
import type { LocalSettings } from "../../local/settings";
import { freePort } from "../e2e/harness";

/** A local cloud started in this process on free ports and a fresh data folder; `stop` removes both. */
export interface TestCloud {
  cloud: LocalCloud;
  stop(): Promise<void>;
}

/** Starts the local cloud in-process for a test file (its own data folder, free ports, the clock at rate 1). */
export async function startTestCloud(
  options: LocalCloudOptions = {},
  settings: Partial<Pick<LocalSettings, "lambdaCode" | "clockRate">> = {},
  log: (line: string) => void = () => {},
): Promise<TestCloud> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "concord-local-test-"));
  try {
    const cloud = await startLocalCloud(
      {
        dataDir,
        host: "127.0.0.1",
        ports: {
          app: await freePort(),
          ses: await freePort(),
          dynamodb: await freePort(),
          stepFunctions: await freePort(),
        },
        clockRate: settings.clockRate ?? 1,
        region: "us-east-1",
        accountId: "000000000000",
        lambdaCode: settings.lambdaCode ?? "sources",
      },
      log,
      options,
    );
    return {
      cloud,
      stop: async () => {
        await cloud.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
