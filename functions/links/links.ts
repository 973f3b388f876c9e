import { config } from "../shared/config";
import { now } from "../shared/time";
import { putConcernLinks, withConflictRetry } from "../store";
import { hashSecret, newRequestId, newSecret } from "./secret";

/** The absolute partner link for a request: the request id names it, the secret proves the holder got the email. */
export function partnerLink(requestId: string, secret: string): string {
  return `${config().APP_URL}/r/${encodeURIComponent(requestId)}?s=${encodeURIComponent(secret)}`;
}

/** The absolute "raise a concern" link: the link id names it, the secret proves the holder got the email. */
export function concernLink(linkId: string, secret: string): string {
  return `${config().APP_URL}/c/${encodeURIComponent(linkId)}?s=${encodeURIComponent(secret)}`;
}

/** How long a footer's "raise a concern" link works: a year, like the alliance emails people keep. */
export const CONCERN_LINK_DAYS = 365;

/**
 * A fresh "raise a concern" link for each recipient of an email of an ACTIVE alliance, keyed by address, written
 * before the email goes (a link in a sent email always exists). Empty when the alliance is not ACTIVE (while it
 * forms, and once it is dissolved, there is no ladder to raise a concern on), and when the write fails after its
 * retries: the email then goes without the link rather than not at all.
 */
export async function issueConcernLinks(
  allianceId: string,
  recipients: readonly string[],
): Promise<Map<string, string>> {
  if (recipients.length === 0) return new Map();
  const issuedAt = now();
  const expires = issuedAt + CONCERN_LINK_DAYS * 86_400_000;
  const links = recipients.map((email) => ({
    email,
    linkId: newRequestId(),
    secret: newSecret(),
  }));
  const records = links.map(({ email, linkId, secret }) => ({
    linkId,
    email,
    secretHash: hashSecret(secret),
    issuedAt: new Date(issuedAt).toISOString(),
    expiresAt: new Date(expires).toISOString(),
    ttl: Math.floor(expires / 1000),
  }));
  let written: boolean;
  try {
    written = await withConflictRetry(() => putConcernLinks(allianceId, records));
  } catch (error) {
    // The link is an extra: the email it would go under matters more, so it goes without one.
    console.error("concern links not written; the emails go without them", error);
    return new Map();
  }
  return new Map(written ? links.map((l) => [l.email, concernLink(l.linkId, l.secret)]) : []);
}
