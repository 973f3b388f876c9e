import { parse as parseYaml } from "yaml";
import {
  AdminRequestError,
  createAllianceFromDraft,
  listAllAlliances,
  reviseAlliance,
  showAlliance,
} from "../admin/alliances";
import { replaceContactOf, resendRequest } from "../admin/requests";
import { draftJsonSchema } from "../domain";
import { bodyText, type HttpEvent, HttpEventSchema, type HttpResult, header, json } from "../shared/http";
import type { Actor } from "../store";

// The admin API. Authentication happens before this handler: IAM authorization on the route in AWS,
// the bearer token in the local cloud's HTTP front.

function actorOf(event: HttpEvent): Actor {
  const iam = event.requestContext.authorizer?.iam;
  return { kind: "admin", id: iam?.userArn ?? iam?.userId ?? "admin" };
}

function readDraftBody(event: HttpEvent): unknown {
  return readBody(event, "an alliance draft (JSON or YAML)");
}

function readBody(event: HttpEvent, what: string): unknown {
  const text = bodyText(event);
  if (!text.trim()) throw new AdminRequestError(400, `the request body must be ${what}`);
  const type = header(event, "content-type") ?? "application/json";
  try {
    return /yaml/i.test(type) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new AdminRequestError(
      400,
      `the body is not valid ${/yaml/i.test(type) ? "YAML" : "JSON"}: ${(error as Error).message}`,
    );
  }
}

type Route = {
  method: string;
  pattern: RegExp;
  run: (event: HttpEvent, params: string[]) => Promise<HttpResult>;
};

const ROUTES: Route[] = [
  { method: "GET", pattern: /^\/admin\/alliances$/, run: async () => json(200, await listAllAlliances()) },
  {
    method: "POST",
    pattern: /^\/admin\/alliances$/,
    run: async (event) => json(201, await createAllianceFromDraft(readDraftBody(event), actorOf(event))),
  },
  {
    method: "GET",
    pattern: /^\/admin\/alliances\/([^/]+)$/,
    run: async (_event, [id]) => json(200, await showAlliance(id ?? "")),
  },
  {
    method: "POST",
    pattern: /^\/admin\/alliances\/([^/]+)\/revisions$/,
    run: async (event, [id]) =>
      json(201, await reviseAlliance(id ?? "", readDraftBody(event), actorOf(event))),
  },
  {
    method: "POST",
    pattern: /^\/admin\/alliances\/([^/]+)\/contact-replacements$/,
    run: async (event, [id]) =>
      json(
        200,
        await replaceContactOf(id ?? "", readBody(event, "a contact replacement (JSON)"), actorOf(event)),
      ),
  },
  {
    method: "POST",
    pattern: /^\/admin\/requests\/([^/]+)\/resend$/,
    run: async (event, [id]) => json(200, await resendRequest(id ?? "", actorOf(event))),
  },
  { method: "GET", pattern: /^\/admin\/schema$/, run: async () => json(200, draftJsonSchema()) },
  {
    method: "GET",
    pattern: /^\/admin\/?$/,
    run: async () =>
      json(200, {
        routes: [
          "GET /admin/alliances",
          "POST /admin/alliances (JSON or YAML draft)",
          "GET /admin/alliances/{id}",
          "POST /admin/alliances/{id}/revisions (JSON or YAML draft)",
          "POST /admin/alliances/{id}/contact-replacements ({ partnerId, replace, with: { name, email, role? } })",
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
  if (matching.length === 0) return json(404, { message: `no admin route ${path}` });
  const route = matching.find((r) => r.method === method);
  if (!route)
    return json(405, {
      message: `${method} is not allowed on ${path}; use ${matching.map((r) => r.method).join(" or ")}`,
    });
  try {
    const params = (route.pattern.exec(path) ?? []).slice(1).map((p) => decodeURIComponent(p));
    return await route.run(event, params);
  } catch (error) {
    if (error instanceof AdminRequestError) {
      return json(error.statusCode, {
        message: error.message,
        ...(error.errors.length ? { errors: error.errors } : {}),
      });
    }
    console.error("admin request failed", error);
    return json(500, { message: "internal error; see the function's log" });
  }
};
