import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { type Gate, startGateProxy } from "./gate-proxy";

interface SesStoreModule {
  saveEmail: (email: unknown) => void;
  getStoreReadonly: () => { emails: unknown[] };
}

/** A running SES stand-in (aws-ses-v2-local: SES v1 + v2 API, web inbox, GET /store). */
export interface SesLocal {
  endpoint: string;
  stop(): Promise<void>;
}

// Shows each email in a frame, where a link would open inside the frame: every link opens in a new tab instead, as
// in a mail client. Added to the inbox page at the end of its body; it touches nothing but the frames' <head>.
const NEW_TAB_SCRIPT = `<script>
new MutationObserver(() => {
  for (const frame of document.querySelectorAll(".email-html iframe")) {
    const doc = frame.contentDocument;
    if (doc && doc.head && !doc.head.querySelector("base")) {
      const base = doc.createElement("base");
      base.target = "_blank";
      doc.head.append(base);
    }
  }
}).observe(document.body, { childList: true, subtree: true });
</script>`;

/** The stand-in's inbox page with links that open in a new tab; `main` is the package's entry file. */
function inboxPage(main: string): string {
  const file = path.join(path.dirname(main), "..", "static", "index.html");
  const page = readFileSync(file, "utf8");
  if (!page.includes("</body>"))
    throw new Error(`${file}: the inbox page has no </body> to add the new-tab script to`);
  return page.replace("</body>", () => `${NEW_TAB_SCRIPT}</body>`);
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
  /** Asked about every request before the stand-in sees it (the local cloud's IAM checks). @default none */
  gate?: Gate;
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
  // With a gate, the stand-in listens on a Unix socket behind it and the configured port is the gate's.
  const socket = options.gate
    ? path.join(os.tmpdir(), `concord-ses-${process.pid}-${randomUUID()}.sock`)
    : undefined;
  const server = await ses.default(
    socket
      ? { host: undefined as unknown as string, port: socket as unknown as number }
      : { host: options.host, port: options.port },
  );
  const closeServer = () =>
    new Promise<void>((resolve) => {
      store.saveEmail = save;
      server.closeAllConnections();
      server.close(() => resolve());
    });
  if (!options.gate || !socket) {
    return { endpoint: `http://${options.host}:${options.port}`, stop: closeServer };
  }
  const gate = options.gate;
  const page = inboxPage(require.resolve("aws-ses-v2-local"));
  const proxy = await startGateProxy({
    host: options.host,
    port: options.port,
    upstreamSocket: socket,
    gate: (request) =>
      request.method === "GET" && new URL(request.url, "http://inbox").pathname === "/"
        ? { status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: page }
        : gate(request),
  }).catch(async (error: unknown) => {
    await closeServer();
    throw error;
  });
  return {
    endpoint: proxy.endpoint,
    stop: async () => {
      await proxy.close();
      await closeServer();
    },
  };
}
