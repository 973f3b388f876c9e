import { createHash, randomBytes } from "node:crypto";

const PREFIX = "AQ";
const RANDOM_BYTES = 24;
const CHECK_BYTES = 6;

/** A fresh opaque task token: random bytes plus a short checksum, so a mangled token is told from an unknown one. */
export function newTaskToken(): string {
  const random = randomBytes(RANDOM_BYTES);
  return PREFIX + Buffer.concat([random, checksum(random)]).toString("base64url");
}

/** True when `token` has the shape of a token this service issues (it may still be unknown or closed). */
export function isWellFormedTaskToken(token: string): boolean {
  if (!token.startsWith(PREFIX)) return false;
  const bytes = Buffer.from(token.slice(PREFIX.length), "base64url");
  if (
    bytes.length !== RANDOM_BYTES + CHECK_BYTES ||
    bytes.toString("base64url") !== token.slice(PREFIX.length)
  ) {
    return false;
  }
  return checksum(bytes.subarray(0, RANDOM_BYTES)).equals(bytes.subarray(RANDOM_BYTES));
}

function checksum(random: Buffer): Buffer {
  return createHash("sha256").update(random).digest().subarray(0, CHECK_BYTES);
}
