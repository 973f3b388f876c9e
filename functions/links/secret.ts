import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// 16 random bytes = 128 bits, the floor the link contract sets for request ids; secrets get 256 bits.
const REQUEST_ID_BYTES = 16;
const SECRET_BYTES = 32;
const base64urlLength = (bytes: number) => Math.ceil((bytes * 4) / 3);

/** Length of a request id: 22 base64url characters (128 bits). */
export const REQUEST_ID_LENGTH = base64urlLength(REQUEST_ID_BYTES);
/** Length of a link secret: 43 base64url characters (256 bits). */
export const SECRET_LENGTH = base64urlLength(SECRET_BYTES);

const REQUEST_ID_PATTERN = new RegExp(`^[A-Za-z0-9_-]{${REQUEST_ID_LENGTH}}$`);
const SECRET_PATTERN = new RegExp(`^[A-Za-z0-9_-]{${SECRET_LENGTH}}$`);
const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** A new decision-request id: 128 random bits, URL-safe (base64url, 22 characters). */
export function newRequestId(): string {
  return randomBytes(REQUEST_ID_BYTES).toString("base64url");
}

/** A new link secret: 256 random bits, URL-safe (base64url, 43 characters). Mail it; store only hashSecret(secret). */
export function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString("base64url");
}

/** The SHA-256 of a secret as 64 lower-case hex characters: the only form the server keeps. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Whether `value` has the shape of a request id (use before any lookup: unknown shapes are "not found"). */
export function isRequestId(value: unknown): value is string {
  return typeof value === "string" && REQUEST_ID_PATTERN.test(value);
}

/** Whether `value` has the shape of a link secret. */
export function isSecret(value: unknown): value is string {
  return typeof value === "string" && SECRET_PATTERN.test(value);
}

/**
 * Whether `secret` hashes to `storedHash`, compared in constant time. False (never a throw) for
 * anything malformed: a non-string, a secret of the wrong shape, a hash that is not 64 hex characters.
 */
export function secretMatches(secret: unknown, storedHash: unknown): boolean {
  if (!isSecret(secret) || typeof storedHash !== "string" || !HASH_PATTERN.test(storedHash)) {
    return false;
  }
  const expected = Buffer.from(storedHash, "hex");
  const actual = createHash("sha256").update(secret, "utf8").digest();
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
