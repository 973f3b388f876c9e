import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { crc32 } from "node:zlib";
import type { Gate } from "./gate-proxy";
import { closeNow, listen, readAll } from "./http-server";
import type { LocalMetrics } from "./metrics";

/** Operations that take ReturnConsumedCapacity, and which capacity their `CapacityUnits` is. */
const CAPACITY_KIND: Record<string, "read" | "write" | "statement"> = {
  GetItem: "read",
  Query: "read",
  Scan: "read",
  BatchGetItem: "read",
  TransactGetItems: "read",
  PutItem: "write",
  UpdateItem: "write",
  DeleteItem: "write",
  BatchWriteItem: "write",
  TransactWriteItems: "write",
  ExecuteStatement: "statement",
  BatchExecuteStatement: "statement",
  ExecuteTransaction: "statement",
};

/** Headers that describe one hop (or a body we may rewrite), never passed through. */
const HOP_HEADERS = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "host",
  // Responses must come back uncompressed so their ConsumedCapacity can be read.
  "accept-encoding",
]);

interface ConsumedCapacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/** One call as a fault sees it: the operation, its request body, and the SDK's attempt number (1 for the first). */
export interface DynamoDbCall {
  operation: string;
  input: Record<string, unknown>;
  attempt: number;
}

/**
 * A fault a test puts between the handlers and DynamoDB: "cut" cuts the caller's connection as an unreachable
 * DynamoDB would (the SDK retries it, then the handler sees a network error); it may also hold a call back by
 * resolving later. Nothing else in the local cloud sets one.
 */
export type DynamoDbFault = (call: DynamoDbCall) => Promise<"cut" | undefined> | "cut" | undefined;

/** A running counting proxy. */
export interface DynamoDbProxy {
  endpoint: string;
  /** Puts a fault between the callers and DynamoDB, or removes it (undefined). */
  setFault(fault: DynamoDbFault | undefined): void;
  close(): Promise<void>;
}

/**
 * A counting HTTP proxy in front of DynamoDB Local (the handlers' AWS_ENDPOINT_URL_DYNAMODB): it counts every call
 * by operation and reads the capacity each one consumed. Callers that did not ask for ConsumedCapacity get
 * their answer without it, exactly as DynamoDB would give it, so product code sees no difference; DynamoDB Local
 * does not check signatures, so the rewritten body passes. When DynamoDB Local is down (stopped, crashed,
 * restarting) the caller's connection is cut, which the AWS SDK sees as a dead endpoint and retries.
 */
export async function startDynamoDbProxy(options: {
  host: string;
  port: number;
  /** DynamoDB Local's own endpoint, e.g. http://127.0.0.1:41234. */
  upstream: string;
  metrics: LocalMetrics;
  /** Asked about every call before it is forwarded (the local cloud's IAM checks). @default everything allowed */
  gate?: Gate;
}): Promise<DynamoDbProxy> {
  const upstream = new URL(options.upstream);
  const agent = new http.Agent({ keepAlive: true });
  let fault: DynamoDbFault | undefined;
  const server = http.createServer((req, res) => {
    forward(req, res, upstream, agent, options.metrics, fault, options.gate).catch(() =>
      req.socket.destroy(),
    );
  });
  await listen(server, options.port, options.host);
  return {
    endpoint: `http://${options.host}:${options.port}`,
    setFault: (next) => {
      fault = next;
    },
    close: () => closeNow(server, agent),
  };
}

async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: URL,
  agent: http.Agent,
  metrics: LocalMetrics,
  fault: DynamoDbFault | undefined,
  gate: Gate | undefined,
): Promise<void> {
  const requestBody = await readAll(req);
  const target = String(req.headers["x-amz-target"] ?? "");
  const operation = target.slice(target.indexOf(".") + 1) || "(none)";
  metrics.dynamoDbCall(operation);
  const denied = gate?.({
    method: req.method ?? "POST",
    url: req.url ?? "/",
    headers: req.headers,
    body: requestBody,
  });
  if (denied) {
    metrics.dynamoDbError("AccessDeniedException");
    res.writeHead(denied.status, { ...denied.headers, "content-length": Buffer.byteLength(denied.body) });
    res.end(denied.body);
    return;
  }
  if (fault) {
    const attempt = Number(/attempt=(\d+)/.exec(String(req.headers["amz-sdk-request"] ?? ""))?.[1] ?? 1);
    const input = parseObject(requestBody.toString("utf8")) ?? {};
    if ((await fault({ operation, input, attempt })) === "cut") {
      req.socket.destroy();
      return;
    }
  }
  const { body, strip, statements } = askForCapacity(operation, requestBody);

  const headers = passThrough(req.headers);
  headers["content-length"] = String(body.length);
  const answer = await new Promise<IncomingMessage | undefined>((resolve) => {
    const upstreamRequest = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers,
        agent,
      },
      resolve,
    );
    upstreamRequest.once("error", () => resolve(undefined));
    upstreamRequest.end(body);
  });
  const responseBody = answer && (await readAll(answer).catch(() => undefined));
  if (!answer || !responseBody) {
    // DynamoDB is not there: cut the caller off as a dead endpoint would, rather than invent an HTTP answer.
    metrics.dynamoDbUnreachable();
    req.socket.destroy();
    return;
  }

  let out = responseBody;
  const status = answer.statusCode ?? 502;
  if (status === 200 && CAPACITY_KIND[operation]) {
    const text = responseBody.toString("utf8");
    const taken = takeCapacity(text, strip);
    count(metrics, operation, statements, taken.consumed);
    if (taken.text !== text) out = Buffer.from(taken.text);
  } else if (status >= 400) {
    const type = parseObject(responseBody.toString("utf8"))?.__type;
    metrics.dynamoDbError(typeof type === "string" ? type.slice(type.indexOf("#") + 1) : `HTTP ${status}`);
  }

  const responseHeaders = passThrough(answer.headers);
  responseHeaders["content-length"] = String(out.length);
  // DynamoDB signs its answer with a CRC32 of the body; keep it true for the body we send.
  if (out !== responseBody && responseHeaders["x-amz-crc32"] !== undefined)
    responseHeaders["x-amz-crc32"] = String(crc32(out));
  res.writeHead(status, responseHeaders);
  res.end(out);
}

/**
 * Adds ReturnConsumedCapacity TOTAL where the caller asked for none, so every call's capacity can be counted;
 * `strip` says the answer must lose it again. The common case (the key is absent) is a text insertion: every call
 * passes here, and parsing and re-serializing each body costs the busy cloud process measurably.
 */
function askForCapacity(
  operation: string,
  body: Buffer,
): { body: Buffer; strip: boolean; statements: string[] } {
  const kind = CAPACITY_KIND[operation];
  if (!kind) return { body, strip: false, statements: [] };
  const text = body.toString("utf8");
  if (kind !== "statement" && text.startsWith("{") && !text.includes('"ReturnConsumedCapacity"')) {
    const rest = text.slice(1).trimStart();
    const inserted = `{"ReturnConsumedCapacity":"TOTAL"${rest.startsWith("}") ? "" : ","}${rest}`;
    return { body: Buffer.from(inserted), strip: true, statements: [] };
  }
  const json = parseObject(text);
  if (!json) return { body, strip: false, statements: [] };
  const statements = statementsOf(json);
  const asked = json.ReturnConsumedCapacity;
  if (asked !== undefined && asked !== "NONE") return { body, strip: false, statements };
  json.ReturnConsumedCapacity = "TOTAL";
  return { body: Buffer.from(JSON.stringify(json)), strip: true, statements };
}

// ConsumedCapacity as DynamoDB Local writes it with TOTAL: an object without nested objects, or an array of them.
const CAPACITY_VALUE = /^(\{[^{}]*\}|\[[^[\]]*\])/;
const FIRST_MEMBER = '{"ConsumedCapacity":';
const LAST_MEMBER = ',"ConsumedCapacity":';

/**
 * The top-level ConsumedCapacity of an answer, and the answer without it when `strip`. DynamoDB Local writes it as
 * the first or the last member; those two shapes are cut out of the text (an item attribute of the same name
 * can never sit there), anything else is parsed in full.
 */
function takeCapacity(text: string, strip: boolean): { consumed: unknown; text: string } {
  if (text.startsWith(FIRST_MEMBER)) {
    const value = CAPACITY_VALUE.exec(text.slice(FIRST_MEMBER.length))?.[1];
    const after = value === undefined ? -1 : FIRST_MEMBER.length + value.length;
    if (value !== undefined && (text[after] === "," || (after === text.length - 1 && text.endsWith("}")))) {
      const rest = text[after] === "," ? text.slice(after + 1) : "}";
      return { consumed: JSON.parse(value), text: strip ? `{${rest}` : text };
    }
  }
  const at = text.lastIndexOf(LAST_MEMBER);
  if (at >= 0) {
    const value = CAPACITY_VALUE.exec(text.slice(at + LAST_MEMBER.length))?.[1];
    if (
      value !== undefined &&
      at + LAST_MEMBER.length + value.length === text.length - 1 &&
      text.endsWith("}")
    ) {
      return { consumed: JSON.parse(value), text: strip ? `${text.slice(0, at)}}` : text };
    }
  }
  if (!text.includes('"ConsumedCapacity"')) return { consumed: undefined, text };
  const json = parseObject(text);
  if (!json) return { consumed: undefined, text };
  const consumed = json.ConsumedCapacity;
  if (!strip || !("ConsumedCapacity" in json)) return { consumed, text };
  delete json.ConsumedCapacity;
  return { consumed, text: JSON.stringify(json) };
}

/** Adds the capacity of one answer; units not labelled read or write follow the operation (PartiQL: its verbs). */
function count(metrics: LocalMetrics, operation: string, statements: string[], consumed: unknown): void {
  const entries = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as ConsumedCapacity[];
  let kind = CAPACITY_KIND[operation];
  if (kind === "statement")
    kind = statements.every((s) => /^\s*select\b/i.test(s)) && statements.length > 0 ? "read" : "write";
  let read = 0;
  let write = 0;
  for (const entry of entries) {
    if (entry.ReadCapacityUnits !== undefined || entry.WriteCapacityUnits !== undefined) {
      read += entry.ReadCapacityUnits ?? 0;
      write += entry.WriteCapacityUnits ?? 0;
    } else if (kind === "read") read += entry.CapacityUnits ?? 0;
    else write += entry.CapacityUnits ?? 0;
  }
  metrics.dynamoDbCapacity(read, write);
}

/** The PartiQL statements of a request (none for the other operations). */
function statementsOf(json: Record<string, unknown>): string[] {
  if (typeof json.Statement === "string") return [json.Statement];
  const list = (json.Statements ?? json.TransactStatements) as { Statement?: unknown }[] | undefined;
  return Array.isArray(list) ? list.map((s) => String(s?.Statement ?? "")) : [];
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const json: unknown = JSON.parse(text);
    return json && typeof json === "object" && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function passThrough(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_HEADERS.has(name)) kept[name] = value;
  }
  return kept;
}
