import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";

interface SesStoreModule {
  saveEmail: (email: unknown) => void;
  getStoreReadonly: () => { emails: unknown[] };
}

/** A running SES stand-in (aws-ses-v2-local: SES v1 + v2 API, web inbox, GET /store). */
export interface SesLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts aws-ses-v2-local in this process. Its inbox lives in memory; we append every sent email to
 * <dataDir>/ses/emails.jsonl and load it back at start so the inbox survives restarts like the rest of the data.
 */
export async function startSesLocal(options: {
  host: string;
  port: number;
  dataDir: string;
  /** Called for every email sent (the local cloud counts them). */
  onSent?: () => void;
}): Promise<SesLocal> {
  const dir = path.join(options.dataDir, "ses");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "emails.jsonl");
  const require = createRequire(import.meta.url);
  const store = require("aws-ses-v2-local/dist/store") as SesStoreModule;
  const emails = store.getStoreReadonly().emails;
  if (emails.length === 0 && existsSync(file)) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (line.trim()) emails.push(JSON.parse(line));
    }
  }
  const save = store.saveEmail;
  store.saveEmail = (email: unknown) => {
    appendFileSync(file, `${JSON.stringify(email)}\n`);
    save(email);
    options.onSent?.();
  };
  // A CommonJS module whose ES default export sits on `.default`.
  const ses = require("aws-ses-v2-local") as {
    default: (config: { host: string; port: number }) => Promise<Server>;
  };
  const server = await ses.default({ host: options.host, port: options.port });
  return {
    endpoint: `http://${options.host}:${options.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        store.saveEmail = save;
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
