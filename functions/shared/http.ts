import { z } from "zod";

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

/** A JSON response. */
export function json(statusCode: number, body: unknown): HttpResult {
  return {
    statusCode,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    body: JSON.stringify(body),
  };
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
