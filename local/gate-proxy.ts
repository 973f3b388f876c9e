import http, { type IncomingHttpHeaders } from "node:http";
import { closeNow, listen, readAll } from "./http-server";

/** A request as a gate sees it: the whole body is read before it decides. */
export interface GatedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The answer a gate gives instead of forwarding (e.g. an AccessDenied error in the service's own protocol). */
export interface GateAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Decides whether a request goes on to the service (undefined) or is answered at the gate. */
export type Gate = (request: GatedRequest) => GateAnswer | undefined;

/** A running gate proxy. */
export interface GateProxy {
  endpoint: string;
  close(): Promise<void>;
}

/** Headers that describe one hop, never passed through. */
const HOP_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding", "host"]);

/**
 * An HTTP proxy in front of a local service stand-in that asks `gate` about every request before forwarding it,
 * so the local cloud can answer as AWS would (IAM) where the stand-in itself checks nothing. Everything else
 * (the SES inbox page, its JSON store) passes through untouched.
 */
export async function startGateProxy(options: {
  host: string;
  port: number;
  /** The service's Unix socket: it needs no TCP port that could race the ports the local cloud has planned. */
  upstreamSocket: string;
  gate: Gate;
}): Promise<GateProxy> {
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const answer = options.gate({
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers: req.headers,
        body,
      });
      if (answer) {
        res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
        res.end(answer.body);
        return;
      }
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined && !HOP_HEADERS.has(name)) headers[name] = value;
      }
      headers["content-length"] = String(body.length);
      const forwarded = http.request(
        { socketPath: options.upstreamSocket, method: req.method, path: req.url, headers, agent },
        (answerStream) => {
          res.writeHead(answerStream.statusCode ?? 502, answerStream.headers);
          answerStream.pipe(res);
        },
      );
      forwarded.once("error", () => req.socket.destroy());
      forwarded.end(body);
    })().catch(() => req.socket.destroy());
  });
  await listen(server, options.port, options.host);
  return {
    endpoint: `http://${options.host}:${options.port}`,
    close: () => closeNow(server, agent),
  };
}
