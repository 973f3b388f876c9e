import type http from "node:http";
import type { IncomingMessage } from "node:http";

/** Listens on host:port; rejects (e.g. EADDRINUSE) instead of emitting an error nobody hears. */
export function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Closes a server at once: open connections are cut, and the agent it forwards with is ended. */
export function closeNow(server: http.Server, agent?: http.Agent): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    agent?.destroy();
    server.close(() => resolve());
  });
}

/** A whole request or response body; rejects when the other side goes away mid-message. */
export function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.once("end", () => resolve(Buffer.concat(chunks)));
    stream.once("error", reject);
    // After "end" this is a no-op; before it, the other side went away mid-message.
    stream.once("close", () => reject(new Error("connection closed mid-message")));
  });
}
