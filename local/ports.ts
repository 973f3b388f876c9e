import { once } from "node:events";
import net from "node:net";
import { StartupError } from "./errors";

/** Fails with a one-line StartupError when host:port is already taken. */
export async function assertPortFree(
  host: string,
  port: number,
  what: string,
  variable: string,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" || error.code === "EACCES") {
        reject(
          new StartupError(
            `port ${port} (${what}) is busy on ${host} — stop whatever holds it or set ${variable} to another port`,
          ),
        );
      } else {
        reject(error);
      }
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Waits until a TCP connection to host:port succeeds, or throws after timeoutMs. */
export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline)
      throw new StartupError(`nothing answered on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Port ranges below the systems' ephemeral ranges (Linux 32768–60999, macOS and Windows 49152–65535), where the
 * ports of outgoing connections and of listen(0) come from. A port picked "free" now and listened on a moment later
 * (DynamoDB Local's, a test cloud's) is then never taken in between by somebody's outgoing connection. The ranges
 * are disjoint, so that a port planned for one cloud is never DynamoDB Local's of another.
 */
export const PRIVATE_PORTS = {
  dynamoDbLocal: { from: 20_000, to: 32_000 },
  testClouds: { from: 10_000, to: 20_000 },
} as const;

/** A loopback port in the range that nobody listens on now (random, so that parallel pickers rarely meet). */
export async function freeLoopbackPort(range: { from: number; to: number }, what: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = range.from + Math.floor(Math.random() * (range.to - range.from));
    const server = net.createServer();
    server.listen({ port, host: "127.0.0.1", exclusive: true });
    // events.once rejects when "error" comes first: the port is taken.
    const outcome = await once(server, "listening").then(
      () => "free" as const,
      () => "taken" as const,
    );
    if (outcome === "free") {
      server.close();
      await once(server, "close");
      return port;
    }
    if (attempt >= 50) throw new StartupError(`found no free loopback port for ${what} in 50 tries`);
  }
}
