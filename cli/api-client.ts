import { readFile } from "node:fs/promises";
import path from "node:path";
import { signedHeaders } from "./sigv4";

/** An admin API call that failed; carries the HTTP status and any field-level errors. */
export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fieldErrors: { path: string; message: string }[] = [],
    /** How many field errors there were in all; the API lists only the first few of a long list. */
    readonly errorCount = fieldErrors.length,
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

/** Where the CLI finds the admin API and how it authenticates (local token, or AWS IAM for a deployment). */
export interface ClientSettings {
  url: string;
  token: string | undefined;
  tokenSource: string;
  iam?: boolean;
}

/** CONCORD_URL (default the local cloud) and CONCORD_ADMIN_TOKEN, else <CONCORD_DATA_DIR>/admin-token. */
export async function clientSettings(flags: {
  url?: string | undefined;
  token?: string | undefined;
  iam?: boolean | undefined;
}): Promise<ClientSettings> {
  const url = (
    flags.url ??
    process.env.CONCORD_URL ??
    `http://127.0.0.1:${process.env.CONCORD_APP_PORT ?? 3000}`
  ).replace(/\/+$/, "");
  if (flags.iam || process.env.CONCORD_AUTH === "iam")
    return { url, token: undefined, tokenSource: "AWS IAM", iam: true };
  if (flags.token) return { url, token: flags.token, tokenSource: "--token" };
  if (process.env.CONCORD_ADMIN_TOKEN)
    return { url, token: process.env.CONCORD_ADMIN_TOKEN, tokenSource: "CONCORD_ADMIN_TOKEN" };
  const file = path.resolve(process.env.CONCORD_DATA_DIR ?? ".concord", "admin-token");
  try {
    return { url, token: (await readFile(file, "utf8")).trim(), tokenSource: file };
  } catch {
    return { url, token: undefined, tokenSource: file };
  }
}

/** Calls the admin API with the bearer token; non-2xx answers become AdminApiError. */
export async function callAdmin<T>(
  settings: ClientSettings,
  method: string,
  route: string,
  body?: unknown,
): Promise<T> {
  if (!settings.token && !settings.iam) {
    throw new AdminApiError(
      `no admin token: start the local cloud (npm start) or set CONCORD_ADMIN_TOKEN (looked in ${settings.tokenSource})`,
      401,
    );
  }
  const url = `${settings.url}${route}`;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const baseHeaders: Record<string, string> =
    payload === undefined ? {} : { "content-type": "application/json" };
  const headers = settings.iam
    ? await signedHeaders(method, url, baseHeaders, payload)
    : { ...baseHeaders, authorization: `Bearer ${settings.token}` };
  let response: Response;
  try {
    response = await fetch(url, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
  } catch {
    throw new AdminApiError(`cannot reach ${settings.url} — is the local cloud running (npm start)?`, 0);
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { message: text };
  }
  if (!response.ok) {
    const problem = (json ?? {}) as {
      message?: string;
      errors?: { path: string; message: string }[];
      errorCount?: number;
    };
    const errors = problem.errors ?? [];
    throw new AdminApiError(
      problem.message ?? `HTTP ${response.status}`,
      response.status,
      errors,
      problem.errorCount ?? errors.length,
    );
  }
  return json as T;
}
