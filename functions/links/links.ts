import { config } from "../shared/config";

/** The absolute partner link for a request: the request id names it, the secret proves the holder got the email. */
export function partnerLink(requestId: string, secret: string): string {
  return `${config().APP_URL}/r/${encodeURIComponent(requestId)}?s=${encodeURIComponent(secret)}`;
}
