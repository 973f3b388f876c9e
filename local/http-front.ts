import { randomUUID, timingSafeEqual } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { z } from "zod";
import { html } from "../functions/shared/html";
import { COMMON_HEADERS, JSON_HEADERS } from "../functions/shared/http";
import { type CfnTemplate, type LocalNaming, resolveIntrinsics } from "./cfn";
import { ClockBackwardsError, ClockRangeError, clockInWords, type LocalClock, MAX_CLOCK_RATE } from "./clock";
import { parseDuration } from "./duration";
import type { DynamoDbLocal } from "./dynamodb-local";
import type { LambdaHost } from "./lambda/host";
import type { LocalMetrics } from "./metrics";
import { TaskFaultSchema, type TaskFaults } from "./task-faults";

/** One API Gateway route as the synthesized template declares it. */
export interface LocalRoute {
  method: string;
  pathPattern: string;
  routeKey: string;
  functionArn: string;
  /** The route's AuthorizationType: NONE (open) or AWS_IAM (the local admin token stands in for a SigV4 signature). */
  authorization: "NONE" | "AWS_IAM";
  /** The API's id, as the route's invoke source ARN names it. */
  apiId: string;
}

/** A route whose authorization the local cloud cannot apply as API Gateway would; it refuses to start. */
export class UnsupportedRouteError extends Error {
  constructor(routeKey: string, authorization: string) {
    super(
      `route "${routeKey}" uses AuthorizationType ${authorization}; the local cloud applies only NONE and AWS_IAM`,
    );
    this.name = "UnsupportedRouteError";
  }
}

/** Reads the HTTP API's routes (route key, integration target, authorization) from the synthesized template. */
export function routesFromTemplate(template: CfnTemplate, naming: LocalNaming): LocalRoute[] {
  const routes: LocalRoute[] = [];
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== "AWS::ApiGatewayV2::Route") continue;
    const props = resource.Properties ?? {};
    const routeKey = String(props.RouteKey);
    const target = String(resolveIntrinsics(props.Target, template, naming));
    const integrationId = target.replace(/^integrations\//, "");
    const integration = Object.entries(template.Resources).find(
      ([logicalId, r]) =>
        r.Type === "AWS::ApiGatewayV2::Integration" &&
        (logicalId === integrationId ||
          resolveIntrinsics({ Ref: logicalId }, template, naming) === integrationId),
    )?.[1];
    if (!integration) continue;
    const functionArn = String(resolveIntrinsics(integration.Properties?.IntegrationUri, template, naming));
    const [method = "ANY", pathPattern = "/"] = routeKey.split(" ");
    const authorization = String(props.AuthorizationType ?? "NONE");
    if (authorization !== "NONE" && authorization !== "AWS_IAM")
      throw new UnsupportedRouteError(routeKey, authorization);
    const apiId = String(resolveIntrinsics(props.ApiId, template, naming));
    routes.push({ method, pathPattern, routeKey, functionArn, authorization, apiId });
  }
  // Most specific first: literal segments before parameters, greedy {proxy+} last.
  return routes.sort((a, b) => specificity(b.pathPattern) - specificity(a.pathPattern));
}

function specificity(pattern: string): number {
  return pattern
    .split("/")
    .reduce((score, segment) => score + (segment.endsWith("+}") ? 1 : segment.startsWith("{") ? 10 : 100), 0);
}

/**
 * Matches a route on the path's raw (still percent-encoded) segments and returns its path parameters
 * undecoded: nothing the client wrote is decoded before the route's authorization has been checked.
 */
export function matchRoute(route: LocalRoute, method: string, path: string): Record<string, string> | null {
  if (route.method !== "ANY" && route.method !== method) return null;
  const pattern = route.pathPattern.split("/").filter(Boolean);
  const actual = path.split("/").filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i] ?? "";
    if (segment.endsWith("+}")) {
      if (i >= actual.length) return null;
      params[segment.slice(1, -2)] = actual.slice(i).join("/");
      return params;
    }
    const value = actual[i];
    if (value === undefined) return null;
    if (segment.startsWith("{")) params[segment.slice(1, -1)] = value;
    else if (segment !== percentDecode(value)) return null;
  }
  return pattern.length === actual.length ? params : null;
}

/** Decodes raw path parameters (as `matchRoute` returns them) into the values API Gateway hands a handler. */
export function decodePathParameters(raw: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).map(([name, value]) => [name, percentDecode(value)]));
}

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

/**
 * Percent-decoding that never throws, as the WHATWG URL Standard defines it: a `%` not followed by two hex
 * digits stays as it is, and bytes that are not UTF-8 (`%ff`, the overlong `%c0%af`) become U+FFFD. So a
 * malformed escape reaches the handler as a value it refuses at its front door (404), never as a 500 here.
 */
export function percentDecode(value: string): string {
  if (!value.includes("%")) return value;
  const input = Buffer.from(value, "utf8");
  const bytes: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const pair = input.subarray(i + 1, i + 3).toString("latin1");
    if (input[i] === 0x25 && HEX_PAIR.test(pair)) {
      bytes.push(Number.parseInt(pair, 16));
      i += 2;
    } else {
      bytes.push(input[i] ?? 0);
    }
  }
  return new TextDecoder("utf-8").decode(Uint8Array.from(bytes));
}

const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml|javascript))/;

const ClockChangeSchema = z
  .object({
    advance: z.string().optional(),
    // Checked here, before the advance is applied, so a change is either applied whole or not at all.
    rate: z
      .number()
      .positive("rate must be a positive number of simulated seconds per real second")
      .max(MAX_CLOCK_RATE, `rate must be at most ${MAX_CLOCK_RATE} simulated seconds per real second`)
      .optional(),
    reset: z
      .literal(true, { error: "reset must be true (leave it out to keep the clock as it is)" })
      .optional(),
    force: z.boolean({ error: "force must be true or false" }).optional(),
  })
  .strict()
  .superRefine((change, ctx) => {
    for (const field of ["advance", "rate"] as const) {
      if (change.reset && change[field] !== undefined)
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `cannot be combined with reset, which sets the time and the rate itself`,
        });
    }
    if (change.force !== undefined && !change.reset)
      ctx.addIssue({ code: "custom", path: ["force"], message: "only applies to a reset" });
  });

/** Options of the local HTTP front. */
export interface HttpFrontOptions {
  routes: LocalRoute[];
  lambdas: Pick<LambdaHost, "invoke">;
  /** Whether a service may invoke a function from a source ARN (the functions' resource policies). */
  mayInvoke: (functionArn: string, principalService: string, sourceArn: string) => boolean;
  clock: LocalClock;
  adminToken: string;
  naming: LocalNaming;
  /** Counters served at /local/metrics. */
  metrics: LocalMetrics;
  /** Faults for workflow tasks, set at /local/faults (tests, and trying out a failed workflow). */
  faults: Pick<TaskFaults, "add" | "list" | "clear">;
  /** DynamoDB Local, reported by /local/health and stopped and started by /local/dynamodb/{stop,start}. */
  dynamodb: Pick<DynamoDbLocal, "status" | "stop" | "start">;
  /** Shown on the landing page. */
  links: { label: string; url: string }[];
}

/**
 * The local API Gateway: turns HTTP requests into the same payload-format-2.0 events API Gateway sends,
 * runs the route's handler in-process, and maps its result back. Routes that the stack protects with IAM
 * are protected here by the local admin token instead. It also serves local-only things: a landing page,
 * /local/health, and for tests and admins (admin token required) the clock (/local/clock), the counters
 * (/local/metrics, /local/metrics/reset) and a DynamoDB outage on demand (/local/dynamodb/stop, /start).
 */
export function createHttpFront(options: HttpFrontOptions): http.Server {
  return http.createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      console.error("[app] request failed:", error);
      if (!res.headersSent) send(res, 500, { message: "internal error in the local HTTP front" });
      else res.end();
    });
  });
}

async function handle(options: HttpFrontOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "http://local");
  } catch {
    return send(res, 400, { message: "Bad Request" });
  }

  if (url.pathname === "/" && (method === "GET" || method === "HEAD"))
    return landingPage(options, res, method);
  if (url.pathname === "/local/health") return healthRoute(options, res);
  const local = LOCAL_ROUTES[url.pathname];
  if (local) {
    if (!authorized(req, options.adminToken)) return unauthorized(res);
    const body = await readBody(req);
    if (body === undefined) return tooLarge(res);
    return local(options, method, body, res);
  }

  for (const route of options.routes) {
    const rawParams = matchRoute(route, method, url.pathname);
    if (!rawParams) continue;
    if (route.authorization === "AWS_IAM" && !authorized(req, options.adminToken)) return unauthorized(res);
    // Read only once the caller is known to be allowed, and never more than API Gateway accepts.
    const body = await readBody(req);
    if (body === undefined) return tooLarge(res);
    // API Gateway invokes the function only where its resource policy lets this route's source ARN do so.
    const sourceArn = `arn:aws:execute-api:${options.naming.region}:${options.naming.accountId}:${route.apiId}/$default/${method}${route.pathPattern}`;
    if (!options.mayInvoke(route.functionArn, "apigateway.amazonaws.com", sourceArn)) {
      console.error(
        `[app] ${route.routeKey}: API Gateway may not invoke ${route.functionArn} (no lambda:InvokeFunction permission for ${sourceArn})`,
      );
      return send(res, 500, { message: "Internal Server Error" });
    }
    const event = apiGatewayEvent(req, url, method, body, route, decodePathParameters(rawParams), options);
    let result: unknown;
    try {
      result = await options.lambdas.invoke(route.functionArn, event);
    } catch (error) {
      // A function error (a throw, a timeout) is what API Gateway answers with a bare 500.
      console.error(`[app] ${route.routeKey}: ${(error as Error).name}: ${(error as Error).message}`);
      return send(res, 500, { message: "Internal Server Error" });
    }
    return writeLambdaResult(res, method, result);
  }
  send(res, 404, { message: "Not Found" });
}

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function unauthorized(res: ServerResponse): void {
  res.setHeader("WWW-Authenticate", 'Bearer realm="concord-admin"');
  send(res, 401, {
    message:
      "admin token required: send 'Authorization: Bearer <token>' with the token from <data dir>/admin-token",
  });
}

type LocalRouteHandler = (
  options: HttpFrontOptions,
  method: string,
  body: Buffer,
  res: ServerResponse,
) => Promise<void> | void;

/** The local-only routes that need the admin token. */
const LOCAL_ROUTES: Record<string, LocalRouteHandler> = {
  "/local/clock": (options, method, body, res) => clockRoute(options.clock, method, body, res),
  "/local/metrics": ({ metrics }, method, _body, res) => {
    if (method !== "GET") return send(res, 405, { message: "use GET to read the counters" });
    send(res, 200, metrics.snapshot());
  },
  "/local/metrics/reset": ({ metrics }, method, _body, res) => {
    if (method !== "POST") return send(res, 405, { message: "use POST to zero the counters" });
    metrics.reset();
    send(res, 200, metrics.snapshot());
  },
  "/local/faults": ({ faults }, method, body, res) => {
    if (method === "GET") return send(res, 200, { faults: faults.list() });
    if (method === "DELETE") {
      faults.clear();
      return send(res, 200, { faults: [] });
    }
    if (method !== "POST") return send(res, 405, { message: "use GET, POST or DELETE" });
    let parsed: ReturnType<typeof TaskFaultSchema.safeParse>;
    try {
      parsed = TaskFaultSchema.safeParse(JSON.parse(body.toString("utf8") || "{}"));
    } catch {
      return send(res, 400, { message: "the body must be JSON: { function, count? }" });
    }
    if (!parsed.success)
      return send(res, 400, {
        message: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
      });
    faults.add(parsed.data);
    send(res, 200, { faults: faults.list() });
  },
  "/local/dynamodb/stop": async ({ dynamodb }, method, _body, res) => {
    if (method !== "POST") return send(res, 405, { message: "use POST to stop DynamoDB Local" });
    await dynamodb.stop();
    send(res, 200, dynamodb.status());
  },
  "/local/dynamodb/start": async ({ dynamodb }, method, _body, res) => {
    if (method !== "POST") return send(res, 405, { message: "use POST to start DynamoDB Local" });
    try {
      await dynamodb.start();
    } catch (error) {
      return send(res, 503, { message: (error as Error).message, ...dynamodb.status() });
    }
    send(res, 200, dynamodb.status());
  },
};

/** 200 when everything runs; 503 while DynamoDB Local is down (stopped on request or restarting after a crash). */
function healthRoute(options: HttpFrontOptions, res: ServerResponse): void {
  const dynamodb = options.dynamodb.status();
  const up = dynamodb.state === "running";
  send(res, up ? 200 : 503, { status: up ? "ok" : "degraded", dynamodb });
}

function clockRoute(clock: LocalClock, method: string, body: Buffer, res: ServerResponse) {
  if (method === "GET") return send(res, 200, clock.state());
  if (method !== "POST") return send(res, 405, { message: "use GET to read the clock or POST to change it" });
  let json: unknown;
  try {
    json = body.length > 0 ? JSON.parse(body.toString("utf8")) : {};
  } catch {
    return send(res, 400, {
      message: 'body must be JSON like {"advance": "3d"}, {"rate": 86400} or {"reset": true}',
    });
  }
  const answer = changeClock(clock, json);
  send(res, answer.status, answer.body);
}

/**
 * Applies a POST /local/clock body — `{ advance }`, `{ rate }` (both may be given), or `{ reset: true, force? }` —
 * whole or not at all, and answers with the status and body to send: 200 and the clock, 400 naming the field
 * that is wrong, or 409 when a reset would move time backwards without `force`.
 */
export function changeClock(clock: LocalClock, json: unknown): { status: number; body: unknown } {
  const invalid = (errors: { path: string; message: string }[], message = "invalid clock change") => ({
    status: 400,
    body: { message, errors },
  });
  const parsed = ClockChangeSchema.safeParse(json);
  if (!parsed.success)
    return invalid(
      parsed.error.issues.map((i) => ({ path: i.path.join(".") || "body", message: i.message })),
    );
  const change = parsed.data;
  if (change.reset) {
    try {
      clock.reset({ allowBackwards: change.force === true });
    } catch (error) {
      if (!(error instanceof ClockBackwardsError)) throw error;
      return {
        status: 409,
        body: {
          message: error.message,
          errors: [
            {
              path: "force",
              message:
                "must be true to move simulated time backwards: deadlines already passed stay passed, and timers still pending fire when the clock reaches their time again",
            },
          ],
        },
      };
    }
  }
  if (change.advance !== undefined) {
    const ms = parseDuration(change.advance);
    if (ms === null)
      return invalid([{ path: "advance", message: "must be a duration like 90s, 15m, 12h, 3d or 2w" }]);
    try {
      clock.advance(ms);
    } catch (error) {
      if (!(error instanceof ClockRangeError)) throw error;
      return invalid(
        [{ path: "advance", message: error.message }],
        "invalid clock change; the clock did not move",
      );
    }
  }
  if (change.rate !== undefined) {
    try {
      clock.setRate(change.rate);
    } catch (error) {
      if (!(error instanceof ClockRangeError)) throw error;
      return invalid([{ path: "rate", message: error.message }]);
    }
  }
  return { status: 200, body: clock.state() };
}

function apiGatewayEvent(
  req: IncomingMessage,
  url: URL,
  method: string,
  body: Buffer,
  route: LocalRoute,
  pathParameters: Record<string, string>,
  options: HttpFrontOptions,
): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== "cookie")
      headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] ? `${query[name]},${value}` : value;
  const contentType = headers["content-type"] ?? "";
  const isText = body.length === 0 || TEXT_TYPES.test(contentType);
  const now = Date.now();
  const cookies = req.headers.cookie?.split(";").map((c) => c.trim());
  return {
    version: "2.0",
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ""),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: options.naming.accountId,
      apiId: route.apiId,
      domainName: headers.host ?? "localhost",
      domainPrefix: "local",
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      ...(route.authorization === "AWS_IAM"
        ? {
            authorizer: {
              iam: {
                userArn: `arn:aws:iam::${options.naming.accountId}:user/local-admin`,
                userId: "local-admin",
              },
            },
          }
        : {}),
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: "$default",
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(body.length > 0 ? { body: isText ? body.toString("utf8") : body.toString("base64") } : {}),
    isBase64Encoded: !isText,
  };
}

/** Maps a handler result as API Gateway does for payload format 2.0 (structured or bare). */
function writeLambdaResult(res: ServerResponse, method: string, result: unknown): void {
  const structured =
    typeof result === "object" && result !== null && "statusCode" in result
      ? (result as {
          statusCode: number;
          headers?: Record<string, string | number | boolean>;
          cookies?: string[];
          body?: string;
          isBase64Encoded?: boolean;
        })
      : { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(result) };
  for (const [name, value] of Object.entries(structured.headers ?? {})) res.setHeader(name, String(value));
  if (structured.cookies?.length) res.setHeader("set-cookie", structured.cookies);
  if (!res.hasHeader("content-type")) res.setHeader("content-type", "application/json");
  res.statusCode = structured.statusCode;
  const payload = structured.body
    ? Buffer.from(structured.body, structured.isBase64Encoded ? "base64" : "utf8")
    : Buffer.alloc(0);
  res.setHeader("content-length", payload.length);
  res.end(method === "HEAD" ? undefined : payload);
}

function landingPage(options: HttpFrontOptions, res: ServerResponse, method: string): void {
  const items = options.links.map(
    (link) => html`<li><a href="${link.url}">${link.label}</a> — ${link.url}</li>`,
  );
  const page =
    html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Concord — local cloud</title></head>
<body><h1>Concord — local cloud</h1><p>${clockInWords(options.clock.state())}</p><ul>${items}</ul>
<p>Admin API under <code>/admin</code> (Bearer token from the data folder's <code>admin-token</code>); use the <code>concord</code> CLI.</p></body></html>`.toString();
  res.writeHead(200, {
    ...COMMON_HEADERS,
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(page),
  });
  res.end(method === "HEAD" ? undefined : page);
}

/** A JSON answer the front builds itself, with the headers every Concord response carries. */
function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...JSON_HEADERS, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

// API Gateway (HTTP API) refuses request payloads over 10 MB with a 413 before any integration runs.
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** The request body, or undefined once it passes API Gateway's payload limit (the rest is not kept). */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_PAYLOAD_BYTES ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function tooLarge(res: ServerResponse): void {
  send(res, 413, { message: `Request Entity Too Large: at most ${MAX_PAYLOAD_BYTES} bytes` });
}
