import { readFile } from "node:fs/promises";
import path from "node:path";

/** An admin API call that failed; carries the HTTP status and any field-level errors. */
export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fieldErrors: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

/** Where the CLI finds the admin API and its token. */
export interface ClientSettings {
  url: string;
  token: string | undefined;
  tokenSource: string;
}

/** CONCORD_URL (default the local cloud) and CONCORD_ADMIN_TOKEN, else <CONCORD_DATA_DIR>/admin-token. */
export async function clientSettings(flags: {
  url?: string | undefined;
  token?: string | undefined;
}): Promise<ClientSettings> {
  const url = (
    flags.url ??
    process.env.CONCORD_URL ??
    `http://127.0.0.1:${process.env.CONCORD_APP_PORT ?? 3000}`
  ).replace(/\/+$/, "");
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
  if (!settings.token) {
    throw new AdminApiError(
      `no admin token: start the local cloud (npm start) or set CONCORD_ADMIN_TOKEN (looked in ${settings.tokenSource})`,
      401,
    );
  }
  let response: Response;
  try {
    response = await fetch(`${settings.url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${settings.token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
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
    const problem = (json ?? {}) as { message?: string; errors?: { path: string; message: string }[] };
    throw new AdminApiError(
      problem.message ?? `HTTP ${response.status}`,
      response.status,
      problem.errors ?? [],
    );
  }
  return json as T;
}
