import * as z from "zod";

/** The parts of an API Gateway HTTP API (payload 2.0) event Concord reads; validated at the boundary. */
export const HttpEventSchema = z.object({
  rawPath: z.string(),
  rawQueryString: z.string().default(""),
  headers: z.record(z.string(), z.string()).default({}),
  queryStringParameters: z.record(z.string(), z.string()).optional(),
  pathParameters: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().default(false),
  requestContext: z.object({
    http: z.object({ method: z.string(), path: z.string(), sourceIp: z.string().optional() }),
    authorizer: z
      .object({
        iam: z.object({ userArn: z.string().optional(), userId: z.string().optional() }).partial().optional(),
      })
      .partial()
      .optional(),
  }),
});
export type HttpEvent = z.infer<typeof HttpEventSchema>;

/** The API Gateway payload 2.0 response. */
export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Headers every Concord response carries, whoever builds it (handlers, pages, the local front): answers
 * hold alliance data or link secrets, so nothing is cached, and no browser second-guesses a content type.
 */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

/** Headers of every JSON response: the common ones and the JSON content type. */
export const JSON_HEADERS: Readonly<Record<string, string>> = {
  ...COMMON_HEADERS,
  "content-type": "application/json; charset=utf-8",
};

/** A JSON response with the common headers. */
export function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: { ...JSON_HEADERS }, body: JSON.stringify(body) };
}

/** The request body as text (API Gateway base64-encodes some bodies). */
export function bodyText(event: HttpEvent): string {
  if (!event.body) return "";
  return event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
}

/** A header by case-insensitive name. */
export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
