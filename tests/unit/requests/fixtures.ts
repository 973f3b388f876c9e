import { readFileSync } from "node:fs";
import path from "node:path";
import { type AllianceDraft, parseDraft } from "../../../functions/domain";
import { hashSecret, newRequestId } from "../../../functions/links/secret";
import { resetConfig } from "../../../functions/shared/config";
import type { RequestRecord } from "../../../functions/store";

const ROOT = path.resolve(import.meta.dirname, "../../..");

/** The light-touch example's draft (two partners; Noor Haddad leads Lumen Analytics). */
export const lightTouchDraft: AllianceDraft = (() => {
  const parsed = parseDraft(
    JSON.parse(readFileSync(path.join(ROOT, "examples/light-touch-pilot.json"), "utf8")),
  );
  if (!parsed.ok) throw new Error("example draft is invalid");
  return parsed.draft;
})();

/** An open charter-approval request of Lumen Analytics in the light-touch example's formation. */
export function lumenRequest(
  secret: string,
  times: { createdAt: number; deadline: number; remindAt?: number },
): RequestRecord {
  return {
    requestId: newRequestId(),
    allianceId: "market-footfall-pilot-1234",
    instance: "formation-v0001",
    charterVersion: 1,
    kind: "charter-approval",
    respondent: "lumen-analytics",
    partnerId: "lumen-analytics",
    contactEmail: "noor.haddad@example.com",
    contactName: "Noor Haddad",
    secretHash: hashSecret(secret),
    taskToken: "token-1",
    createdAt: new Date(times.createdAt).toISOString(),
    deadline: new Date(times.deadline).toISOString(),
    ...(times.remindAt === undefined ? {} : { remindAt: new Date(times.remindAt).toISOString() }),
    status: "OPEN",
  };
}

/** Sets the configuration every handler reads; returns a function that restores the environment. */
export function testConfig(): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, {
    TABLE_NAME: "concord-test",
    MAIL_FROM: "concord@example.com",
    APP_URL: "https://concord.example",
  });
  resetConfig();
  return () => {
    process.env = saved;
    resetConfig();
  };
}
