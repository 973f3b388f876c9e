import * as z from "zod";
import type { RequestKindSpec } from "./kind";
import { assetDivisionKind } from "./kinds/asset-division";
import { charterApprovalKind } from "./kinds/charter-approval";
import { checkInKind } from "./kinds/check-in";
import { exitAcknowledgementKind } from "./kinds/exit-acknowledgement";
import { interestMapKind } from "./kinds/interest-map";
import { nonDisparagementKind } from "./kinds/non-disparagement";
import { reviewKind } from "./kinds/review";
import { rungDecisionKind } from "./kinds/rung-decision";
import { windDownObligationKind } from "./kinds/wind-down-obligation";

/**
 * Every kind of request Concord can ask a person for, by name. The names are defined here and only here:
 * the zod enum, the record type and the workflow payloads derive from this object's keys.
 */
// Each entry is typed RequestKindSpec<its decision> where it is defined, so a missing part does not compile.
const KINDS = {
  "interest-map": interestMapKind,
  "charter-approval": charterApprovalKind,
  review: reviewKind,
  "check-in": checkInKind,
  "exit-acknowledgement": exitAcknowledgementKind,
  "asset-division": assetDivisionKind,
  "wind-down-obligation": windDownObligationKind,
  "non-disparagement": nonDisparagementKind,
  "rung-decision": rungDecisionKind,
} as const;

/** The name of a request kind, e.g. "charter-approval". */
export type RequestKind = keyof typeof KINDS;

const NAMES = Object.keys(KINDS) as [RequestKind, ...RequestKind[]];

/** A request kind's name at a boundary (task payloads, stored records): a registered kind or an error naming them. */
export const RequestKindSchema = z.custom<RequestKind>(
  (value) => typeof value === "string" && isRequestKind(value),
  { error: `must be a request kind (${NAMES.map((name) => `"${name}"`).join(", ")})` },
);

/** Decision of a kind, as its schema parses it. */
export type DecisionOf<K extends RequestKind> = z.infer<(typeof KINDS)[K]["decision"]>;

// Kinds added at run time: only tests do this, to prove a kind the product does not know runs through
// the whole engine. They live beside the product's kinds, never replace one.
const extra = new Map<string, RequestKindSpec>();

/** The spec of a kind; an unknown name is a programming error (records and payloads are parsed first). */
export function requestKind(name: string): RequestKindSpec {
  const spec = (KINDS as unknown as Record<string, RequestKindSpec | undefined>)[name] ?? extra.get(name);
  if (!spec) throw new UnknownRequestKindError(name);
  return spec;
}

/** Whether `name` names a kind (the product's or one a test added). */
export function isRequestKind(name: string): boolean {
  return name in KINDS || extra.has(name);
}

/** Adds a kind under a new name (tests only; a product kind belongs in KINDS above). */
export function addRequestKind(name: string, spec: RequestKindSpec<{ kind: string }>): void {
  if (name in KINDS) throw new Error(`request kind ${name} already exists`);
  extra.set(name, spec as RequestKindSpec);
}

/** A kind name that no registered kind has. */
export class UnknownRequestKindError extends Error {
  constructor(name: string) {
    super(`no request kind named "${name}"`);
    this.name = "UnknownRequestKindError";
  }
}
