import { raiseFromLink, showConcernForm } from "../escalation/concern-page";
import { isRequestId } from "../links/secret";
import { methodNotAllowed, notFound, PAGE_HEADERS, type Page, serverError } from "../pages";
import { decide, showRequest } from "../requests";
import { bodyText, HttpEventSchema, type HttpResult, json } from "../shared/http";

// Partner decision pages behind emailed links: GET/HEAD only show; the decision is a POST from the page.

const htmlPage = (page: Page, extraHeaders: Record<string, string> = {}): HttpResult => ({
  statusCode: page.statusCode,
  headers: { ...PAGE_HEADERS, ...extraHeaders },
  body: page.html,
});

/**
 * Partner link handler (API Gateway HTTP API, payload 2.0): routes ANY /r/{requestId} (a request's decision page)
 * and ANY /c/{linkId} (the "raise a concern" page under an email's footer).
 */
export const handler = async (raw: unknown): Promise<HttpResult> => {
  const parsed = HttpEventSchema.safeParse(raw);
  if (!parsed.success) return json(400, { message: "malformed API Gateway event" });
  const event = parsed.data;
  // The front door: a path that cannot name a link (mangled, percent-garbage, oversized) is a link we
  // do not know, whatever the method, and never reaches the store. Both kinds of link ids have one shape.
  const requestId = event.pathParameters?.requestId;
  const linkId = event.pathParameters?.linkId;
  const id = requestId ?? linkId;
  if (!isRequestId(id)) return htmlPage(notFound());
  const method = event.requestContext.http.method.toUpperCase();
  try {
    if (method === "GET" || method === "HEAD") {
      const secret = event.queryStringParameters?.s;
      return htmlPage(await (linkId === undefined ? showRequest(id, secret) : showConcernForm(id, secret)));
    }
    if (method === "POST") {
      const form = new URLSearchParams(bodyText(event));
      if (!form.has("s") && event.queryStringParameters?.s) form.set("s", event.queryStringParameters.s);
      return htmlPage(await (linkId === undefined ? decide(id, form) : raiseFromLink(id, form)));
    }
  } catch (error) {
    // The partner sees a plain apology, never a stack; the error goes to the function's log.
    console.error("partner request failed", error);
    return htmlPage(serverError());
  }
  return htmlPage(methodNotAllowed(), { allow: "GET, HEAD, POST" });
};
