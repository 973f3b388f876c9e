import { parse as parseYaml } from "yaml";
import * as z from "zod";
import {
  AdminRequestError,
  ALLIANCE_PAGE,
  cancelAlliance,
  checkDraft,
  createAllianceFromDraft,
  isAllianceId,
  listAllAlliances,
  reviseAlliance,
  shortened,
  showAlliance,
} from "../admin/alliances";
import {
  listAllianceEscalations,
  raiseEscalation,
  showEscalation,
  withdrawEscalation,
} from "../admin/escalations";
import { cancelExit, decideDivision, showExit, startExit } from "../admin/exits";
import { extendPendingRound, replaceContactOf, resendRequest } from "../admin/requests";
import { showReview, startReview } from "../admin/reviews";
import { recordTrust, showTrust } from "../admin/trust";
import { retryWorkflow } from "../admin/workflows";
import { draftJsonSchema, type FieldError, formatFieldErrors, MAX_DRAFT_BYTES, parseWith } from "../domain";
import { EscalationInputSchema } from "../escalation/inputs";
import { ExitInputSchema } from "../exit/inputs";
import { isRequestId } from "../links/secret";
import { ReviewInputSchema } from "../realignment/inputs";
import { bodyText, type HttpEvent, HttpEventSchema, type HttpResult, header, json } from "../shared/http";
import type { Actor } from "../store";

// The admin API. Authentication happens before this handler: IAM authorization on the route in AWS,
// the bearer token in the local cloud's HTTP front.

// Every body is measured against the draft limit before any JSON or YAML parsing, so a huge body costs
// neither the parse nor an answer listing every problem in it (no admin body is larger than a draft).
const MAX_BODY_BYTES = MAX_DRAFT_BYTES;

// An invalid draft can have any number of problems; the answer lists the first of them and counts the rest.
const MAX_LISTED_ERRORS = 50;
const MAX_ERROR_TEXT = 200;

function actorOf(event: HttpEvent): Actor {
  const iam = event.requestContext.authorizer?.iam;
  return { kind: "admin", id: iam?.userArn ?? iam?.userId ?? "admin" };
}

/** `?force=true` (go on past a warning), `false` or absent; anything else is a 400 naming `force`. */
function forceOf(event: HttpEvent): boolean {
  const force = event.queryStringParameters?.force;
  if (force === undefined || force === "false") return false;
  if (force === "true") return true;
  throw new AdminRequestError(400, "invalid query: force must be true or false", [
    { path: "force", message: "must be true or false" },
  ]);
}

function readDraftBody(event: HttpEvent): unknown {
  return readBody(event, "an alliance draft (JSON or YAML)");
}

function readBody(event: HttpEvent, what: string): unknown {
  const bytes = event.body ? Buffer.byteLength(event.body, event.isBase64Encoded ? "base64" : "utf8") : 0;
  if (bytes > MAX_BODY_BYTES) {
    throw new AdminRequestError(
      413,
      `the request body is ${bytes} bytes; the admin API takes at most ${MAX_BODY_BYTES} bytes (${MAX_BODY_BYTES / 1024} KiB) in a body; nothing was saved`,
    );
  }
  const text = bodyText(event);
  if (!text.trim()) throw new AdminRequestError(400, `the request body must be ${what}`);
  const type = header(event, "content-type") ?? "application/json";
  let parsed: unknown;
  try {
    parsed = /yaml/i.test(type) ? parseYaml(text, { maxAliasCount: 20 }) : JSON.parse(text);
  } catch (error) {
    throw new AdminRequestError(
      400,
      `the body is not valid ${/yaml/i.test(type) ? "YAML" : "JSON"}: ${(error as Error).message}`,
    );
  }
  // YAML aliases repeat what they name: a small body can stand for a draft too big to store (DynamoDB's
  // 400 KB item limit). Measured again as parsed, against the same limit (JSON has no aliases: its body
  // size, checked above, is already the measure).
  const parsedBytes = /yaml/i.test(type) ? Buffer.byteLength(JSON.stringify(parsed) ?? "") : 0;
  if (parsedBytes > MAX_BODY_BYTES) {
    throw new AdminRequestError(
      413,
      `the body stands for ${parsedBytes} bytes once parsed (YAML aliases count in full); the admin API takes at most ${MAX_BODY_BYTES} bytes; nothing was saved`,
    );
  }
  return parsed;
}

// What each path parameter may look like: a value of another shape is "not found" without a lookup (an id
// over DynamoDB's 2 KB key limit would otherwise fail in the table with a 500).
const PATH_PARAMETERS = {
  allianceId: { isValid: isAllianceId, notFound: (value: string) => `no alliance ${shortened(value)}` },
  requestId: { isValid: isRequestId, notFound: (value: string) => `no request ${shortened(value)}` },
  reviewId: {
    isValid: (value: string) => ReviewInputSchema.shape.reviewId.safeParse(value).success,
    notFound: (value: string) => `no review ${shortened(value)}`,
  },
  exitId: {
    isValid: (value: string) => ExitInputSchema.shape.exitId.safeParse(value).success,
    notFound: (value: string) => `no exit ${shortened(value)}`,
  },
  escalationId: {
    isValid: (value: string) => EscalationInputSchema.shape.escalationId.safeParse(value).success,
    notFound: (value: string) => `no escalation ${shortened(value)}`,
  },
} satisfies Record<string, { isValid: (value: string) => boolean; notFound: (value: string) => string }>;

type PathParameter = keyof typeof PATH_PARAMETERS;

type Route = {
  method: string;
  pattern: RegExp;
  /** What each of the pattern's capture groups is, in order. */
  params?: readonly PathParameter[];
  run: (event: HttpEvent, params: string[]) => Promise<HttpResult>;
};

/** The route's path parameters, decoded and checked: a 400 for a malformed escape, a 404 for a wrong shape. */
function pathParameters(route: Route, path: string): string[] {
  const segments = (route.pattern.exec(path) ?? []).slice(1);
  return segments.map((segment, i) => {
    const name = route.params?.[i];
    if (!name) throw new Error(`route ${route.pattern} does not say what its parameter ${i + 1} is`);
    let value: string;
    try {
      value = decodeURIComponent(segment);
    } catch {
      throw new AdminRequestError(
        400,
        `${name} in the path ("${shortened(segment)}") is not valid percent-encoded UTF-8`,
        [{ path: name, message: "is not valid percent-encoded UTF-8" }],
      );
    }
    const parameter = PATH_PARAMETERS[name];
    if (!parameter.isValid(value)) throw new AdminRequestError(404, parameter.notFound(value));
    return value;
  });
}

const PAGE_SIZE_MESSAGE = `must be a whole number from 1 to ${ALLIANCE_PAGE.maxSize} (default ${ALLIANCE_PAGE.defaultSize})`;

const ListQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^[0-9]{1,4}$/, PAGE_SIZE_MESSAGE)
    .transform(Number)
    .pipe(z.number().min(1, PAGE_SIZE_MESSAGE).max(ALLIANCE_PAGE.maxSize, PAGE_SIZE_MESSAGE))
    .optional(),
  nextToken: z.string().optional(),
});

async function listAlliancesRoute(event: HttpEvent): Promise<HttpResult> {
  const query = parseWith(ListQuerySchema, event.queryStringParameters ?? {});
  if (!query.ok)
    throw new AdminRequestError(400, `invalid query: ${formatFieldErrors(query.errors)}`, query.errors);
  return json(200, await listAllAlliances(query.value));
}

/** The JSON answer to a refused request; a long list of field errors is cut to its first few, with the total. */
function refusal(error: AdminRequestError): HttpResult {
  const total = error.errors.length;
  if (total === 0) return json(error.statusCode, { message: error.message });
  const listed: FieldError[] = error.errors.slice(0, MAX_LISTED_ERRORS).map((e) => ({
    path: shortened(e.path, MAX_ERROR_TEXT),
    message: shortened(e.message, MAX_ERROR_TEXT),
  }));
  const message =
    total > listed.length
      ? `${error.message} (${total} errors; the first ${listed.length} are listed, the rest left out)`
      : error.message;
  return json(error.statusCode, { message, errors: listed, errorCount: total });
}

const ROUTES: Route[] = [
  { method: "GET", pattern: /^\/admin\/alliances$/, run: listAlliancesRoute },
  {
    method: "POST",
    pattern: /^\/admin\/alliances$/,
    run: async (event) =>
      json(
        201,
        await createAllianceFromDraft(readDraftBody(event), actorOf(event), { force: forceOf(event) }),
      ),
  },
  {
    method: "POST",
    pattern: /^\/admin\/alliances\/check$/,
    run: async (event) => json(200, checkDraft(readDraftBody(event))),
  },
  {
    method: "GET",
    pattern: /^\/admin\/alliances\/([^/]+)$/,
    params: ["allianceId"],
    run: async (_event, [id]) => json(200, await showAlliance(id ?? "")),
  },
  {
    method: "POST",
    pattern: /^\/admin\/alliances\/([^/]+)\/revisions$/,
    params: ["allianceId"],
    run: async (event, [id]) =>
      json(201, await reviseAlliance(id ?? "", readDraftBody(event), actorOf(event))),
  },
  {
    method: "POST",
    pattern: /^\/admin\/alliances\/([^/]+)\/cancel$/,
    params: ["allianceId"],
    run: async (event, [id]) =>
      json(200, await cancelAlliance(id ?? "", readBody(event, "a cancellation (JSON)"), actorOf(event))),
  },
  {
    method: "POST",
    pattern: /^\/admin\/alliances\/([^/]+)\/rounds\/extend$/,
    params: ["allianceId"],
    run: async (event, [id]) =>
      json(200, await extendPendingRound(id ?? "", readBody(event, "an extension (JSON)"), actorOf(event))),
  },
  {
    method: "POST",
    pattern: /^\/admin\/alliances\/([^/]+)\/retry$/,
    params: ["allianceId"],
    run: async (event, [id]) =>
      json(
        200,
        await retryWorkflow(
          id ?? "",
          event.body ? readBody(event, "which workflow to retry (JSON)") : {},
          actorOf(event),
        ),
      ),
  },
  {
    method: "POST",
    pattern: /^\/admin\/alliances\/([^/]+)\/contact-replacements$/,
    params: ["allianceId"],
    run: async (event, [id]) =>
      json(
        200,
        await replaceContactOf(id ?? "", readBody(event, "a contact replacement (JSON)"), actorOf(event)),
      ),
  },
  {
    method: "POST",
    pattern: /^\/admin\/alliances\/([^/]+)\/reviews$/,
    params: ["allianceId"],
    run: async (event, [id]) => json(201, await startReview(id ?? "", actorOf(event))),
  },
  {
    method: "GET",
    pattern: /^\/admin\/alliances\/([^/]+)\/reviews\/([^/]+)$/,
    params: ["allianceId", "reviewId"],
    run: async (_event, [id, reviewId]) => json(200, await showReview(id ?? "", reviewId ?? "")),
  },
  {
    method: "POST",
    pattern: /^\/admin\/alliances\/([^/]+)\/exits$/,
    params: ["allianceId"],
    run: async (event, [id]) =>
      json(201, await startExit(id ?? "", readBody(event, "an exit (JSON)"), actorOf(event))),
  },
  {
    method: "GET",
    pattern: /^\/admin\/alliances\/([^/]+)\/exits\/([^/]+)$/,
    params: ["allianceId", "exitId"],
    run: async (_event, [id, exitId]) => json(200, await showExit(id ?? "", exitId ?? "")),
  },
  {
    method: "POST",
    pattern: /^\/admin\/alliances\/([^/]+)\/exits\/([^/]+)\/cancel$/,
    params: ["allianceId", "exitId"],
    run: async (event, [id, exitId]) =>
      json(
        200,
        await cancelExit(id ?? "", exitId ?? "", readBody(event, "a cancellation (JSON)"), actorOf(event)),
      ),
  },
  {
    method: "POST",
    pattern: /^\/admin\/alliances\/([^/]+)\/exits\/([^/]+)\/division$/,
    params: ["allianceId", "exitId"],
    run: async (event, [id, exitId]) =>
      json(
        200,
        await decideDivision(
          id ?? "",
          exitId ?? "",
          readBody(event, "a division decision (JSON)"),
          actorOf(event),
        ),
      ),
  },
  {
    method: "POST",
    pattern: /^\/admin\/alliances\/([^/]+)\/escalations$/,
    params: ["allianceId"],
    run: async (event, [id]) =>
      json(201, await raiseEscalation(id ?? "", readBody(event, "a concern (JSON)"), actorOf(event))),
  },
  {
    method: "GET",
    pattern: /^\/admin\/alliances\/([^/]+)\/escalations$/,
    params: ["allianceId"],
    run: async (_event, [id]) => json(200, await listAllianceEscalations(id ?? "")),
  },
  {
    method: "GET",
    pattern: /^\/admin\/alliances\/([^/]+)\/escalations\/([^/]+)$/,
    params: ["allianceId", "escalationId"],
    run: async (_event, [id, escalationId]) => json(200, await showEscalation(id ?? "", escalationId ?? "")),
  },
  {
    method: "POST",
    pattern: /^\/admin\/alliances\/([^/]+)\/escalations\/([^/]+)\/withdraw$/,
    params: ["allianceId", "escalationId"],
    run: async (event, [id, escalationId]) =>
      json(
        200,
        await withdrawEscalation(
          id ?? "",
          escalationId ?? "",
          readBody(event, "a withdrawal (JSON)"),
          actorOf(event),
        ),
      ),
  },
  {
    method: "GET",
    pattern: /^\/admin\/alliances\/([^/]+)\/trust$/,
    params: ["allianceId"],
    run: async (_event, [id]) => json(200, await showTrust(id ?? "")),
  },
  {
    method: "POST",
    pattern: /^\/admin\/alliances\/([^/]+)\/trust$/,
    params: ["allianceId"],
    run: async (event, [id]) =>
      json(201, await recordTrust(id ?? "", readBody(event, "a trust entry (JSON)"), actorOf(event))),
  },
  {
    method: "POST",
    pattern: /^\/admin\/requests\/([^/]+)\/resend$/,
    params: ["requestId"],
    run: async (event, [id]) => json(200, await resendRequest(id ?? "", actorOf(event))),
  },
  { method: "GET", pattern: /^\/admin\/schema$/, run: async () => json(200, draftJsonSchema()) },
  {
    method: "GET",
    pattern: /^\/admin\/?$/,
    run: async () =>
      json(200, {
        routes: [
          "GET /admin/alliances[?limit=1..100][&nextToken=…] (newest first; { alliances, nextToken? })",
          "POST /admin/alliances (JSON or YAML draft)",
          "GET /admin/alliances/{id}",
          "POST /admin/alliances/check (JSON or YAML draft; audits it, saves nothing)",
          "POST /admin/alliances/{id}/revisions (JSON or YAML draft, or { draft, answers: { <partnerId>: answer } })",
          "POST /admin/alliances/{id}/cancel ({ reason })",
          "POST /admin/alliances/{id}/retry ({ executionName? })",
          "POST /admin/alliances/{id}/rounds/extend ({ days, round?, reason? })",
          "POST /admin/alliances/{id}/contact-replacements ({ partnerId, replace, with: { name, email, role? } })",
          "POST /admin/alliances/{id}/reviews (start a realignment review now; { reviewId, executionArn })",
          "GET /admin/alliances/{id}/reviews/{reviewId} (who answered, who is pending with deadlines, outcome)",
          "POST /admin/alliances/{id}/exits ({ partnerId } | { dissolve: true }, reason, effectiveDate?, forceMajeure?)",
          "GET /admin/alliances/{id}/exits/{exitId}",
          "POST /admin/alliances/{id}/exits/{exitId}/cancel ({ reason })",
          "POST /admin/alliances/{id}/exits/{exitId}/division ({ resolution, transfers? })",
          "POST /admin/alliances/{id}/escalations ({ subject, description, kind, partnerIds, critical })",
          "GET /admin/alliances/{id}/escalations",
          "GET /admin/alliances/{id}/escalations/{escalationId}",
          "POST /admin/alliances/{id}/escalations/{escalationId}/withdraw ({ reason })",
          "GET /admin/alliances/{id}/trust ({ balances, entries })",
          "POST /admin/alliances/{id}/trust ({ partnerId, direction: deposit|withdrawal, kind, points: 1..10, note })",
          "POST /admin/requests/{requestId}/resend",
          "GET /admin/schema",
        ],
      }),
  },
];

/** Admin API handler (API Gateway HTTP API, payload 2.0). */
export const handler = async (raw: unknown): Promise<HttpResult> => {
  const parsed = HttpEventSchema.safeParse(raw);
  if (!parsed.success) return json(400, { message: "malformed API Gateway event" });
  const event = parsed.data;
  const path = event.rawPath.replace(/\/+$/, "") || "/";
  const method = event.requestContext.http.method.toUpperCase();
  const matching = ROUTES.filter((route) => route.pattern.test(path));
  if (matching.length === 0) return json(404, { message: `no admin route ${shortened(path)}` });
  const route = matching.find((r) => r.method === method);
  if (!route)
    return json(405, {
      message: `${method} is not allowed on ${shortened(path)}; use ${matching.map((r) => r.method).join(" or ")}`,
    });
  try {
    return await route.run(event, pathParameters(route, path));
  } catch (error) {
    if (error instanceof AdminRequestError) return refusal(error);
    console.error("admin request failed", error);
    return json(500, { message: "internal error; see the function's log" });
  }
};
