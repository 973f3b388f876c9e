import { describe, expect, it } from "vitest";
import {
  hashSecret,
  isRequestId,
  isSecret,
  newRequestId,
  newSecret,
  REQUEST_ID_LENGTH,
  SECRET_LENGTH,
  secretMatches,
} from "../../../functions/links/secret";

const URL_SAFE = /^[A-Za-z0-9_-]+$/;

describe("newRequestId and newSecret", () => {
  it("make URL-safe values carrying at least 128 random bits", () => {
    const id = newRequestId();
    const secret = newSecret();

    expect(id).toMatch(URL_SAFE);
    expect(secret).toMatch(URL_SAFE);
    expect(Buffer.from(id, "base64url")).toHaveLength(16);
    expect(Buffer.from(secret, "base64url")).toHaveLength(32);
    expect([id.length, secret.length]).toEqual([REQUEST_ID_LENGTH, SECRET_LENGTH]);
    expect(encodeURIComponent(id)).toBe(id);
    expect(encodeURIComponent(secret)).toBe(secret);
  });

  it("never repeat themselves", () => {
    const ids = new Set(Array.from({ length: 2000 }, newRequestId));
    const secrets = new Set(Array.from({ length: 2000 }, newSecret));

    expect(ids.size).toBe(2000);
    expect(secrets.size).toBe(2000);
  });

  it("spread their bits evenly (no stuck or constant positions)", () => {
    const samples = Array.from({ length: 400 }, () => Buffer.from(newSecret(), "base64url"));
    for (let bit = 0; bit < 256; bit++) {
      const ones = samples.filter((bytes) => ((bytes[bit >> 3] ?? 0) >> (bit & 7)) & 1).length;
      // Binomial(400, 0.5): mean 200, sd 10; outside 120..280 is an 8-sigma event, i.e. a broken generator.
      expect(ones).toBeGreaterThan(120);
      expect(ones).toBeLessThan(280);
    }
  });

  it("are recognised by their shape checks, and other strings are not", () => {
    expect(isRequestId(newRequestId())).toBe(true);
    expect(isSecret(newSecret())).toBe(true);
    expect(isRequestId(newSecret())).toBe(false);
    expect(isRequestId("../../etc/passwd")).toBe(false);
    expect(isSecret(undefined)).toBe(false);
  });
});

describe("hashSecret and secretMatches", () => {
  it("hash with SHA-256 as 64 lower-case hex characters", () => {
    expect(hashSecret("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hashSecret(newSecret())).toMatch(/^[0-9a-f]{64}$/);
  });

  it("accept the secret whose hash is stored", () => {
    const secret = newSecret();

    expect(secretMatches(secret, hashSecret(secret))).toBe(true);
  });

  it("refuse a different secret, or the same one altered by a character", () => {
    const secret = newSecret();
    const stored = hashSecret(secret);
    const altered = `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;

    expect(secretMatches(newSecret(), stored)).toBe(false);
    expect(secretMatches(altered, stored)).toBe(false);
  });

  it("refuse the stored hash presented as the secret", () => {
    const stored = hashSecret(newSecret());

    expect(secretMatches(stored, stored)).toBe(false);
  });

  it.each([
    ["an empty secret", "", "valid-hash"],
    ["a truncated secret", "short", "valid-hash"],
    ["a secret with a space", `${"a".repeat(SECRET_LENGTH - 1)} `, "valid-hash"],
    ["a non-string secret", 42, "valid-hash"],
    ["a null secret", null, "valid-hash"],
    ["an object as secret", { toString: () => "x" }, "valid-hash"],
    ["a missing hash", "valid-secret", undefined],
    ["a truncated hash", "valid-secret", "ba7816bf"],
    ["an upper-case hash", "valid-secret", "UPPER"],
    ["a hash with non-hex characters", "valid-secret", "z".repeat(64)],
  ])("return false, without throwing, for %s", (_case, secretInput, hashInput) => {
    const secret = newSecret();
    const stored = hashSecret(secret);
    const secretArg = secretInput === "valid-secret" ? secret : secretInput;
    const hashArg =
      hashInput === "valid-hash" ? stored : hashInput === "UPPER" ? stored.toUpperCase() : hashInput;

    expect(secretMatches(secretArg, hashArg)).toBe(false);
  });
});
