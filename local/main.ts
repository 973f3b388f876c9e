import { performance } from "node:perf_hooks";
import { adminTokenPath } from "./admin-token";
import { clockInWords } from "./clock";
import { type LocalCloud, startLocalCloud } from "./cloud";
import { StartupError } from "./errors";
import { cliEnvironment, readSettings } from "./settings";

// `npm start`: runs the local cloud until Ctrl-C.
const started = performance.now();
let cloud: LocalCloud | undefined;
let stopping = false;

// Installed before anything starts. Before the cloud is up, Ctrl-C exits at once: DynamoDB Local's guard
// ends Java when our pipe closes, and nothing else holds state yet.
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  if (cloud) await cloud.stop();
  process.exit(cloud ? 0 : 130);
};
/** The lines a CLI in another terminal needs when this cloud is not at the default address or data folder. */
function cliHint(settings: ReturnType<typeof readSettings>): string {
  const lines = cliEnvironment(settings);
  return lines.length === 0
    ? ""
    : `\nFor the concord CLI in another terminal:\n${lines.map((l) => `  ${l}`).join("\n")}`;
}

process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

try {
  const settings = readSettings();
  console.log(`Concord local cloud — data in ${settings.dataDir}, clock ×${settings.clockRate}`);
  cloud = await startLocalCloud(settings, (line) => console.log(`  ${line}`));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`
Ready in ${seconds} s
  App (partner pages + admin API)  ${cloud.urls.app}
  Inbox (web)                      ${cloud.urls.inbox}
  SES API                          ${cloud.urls.sesApi}
  DynamoDB Local                   ${cloud.urls.dynamodb}
  Step Functions API               ${cloud.urls.stepFunctions}
  Admin token                      ${adminTokenPath(settings.dataDir)}
  Clock                            ${clockInWords(cloud.clock.state())}${cliHint(settings)}
Press Ctrl-C to stop.`);
} catch (error) {
  if (
    error instanceof StartupError ||
    (error instanceof Error && error.message.startsWith("invalid setting"))
  ) {
    console.error(`concord: ${error.message}`);
  } else {
    console.error("concord: the local cloud failed to start:", error);
  }
  process.exit(1);
}
