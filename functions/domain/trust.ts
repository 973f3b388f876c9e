import * as z from "zod";
import { expecting, multiLine, SlugSchema, singleLine } from "./primitives";

// The playbook's trust account: small deposits (information shared early, a minor commitment delivered, a
// contribution acknowledged) and withdrawals (a missed commitment, a surprise), per partner, insert-only.

/** What each direction of the ledger records. */
export const TRUST_KINDS = {
  deposit: ["shared-early", "delivered", "acknowledged"],
  withdrawal: ["missed", "surprise"],
} as const;

/** Deposit or withdrawal. */
export type TrustDirection = keyof typeof TRUST_KINDS;
/** What an entry records, e.g. "delivered" or "surprise". */
export type TrustKind = (typeof TRUST_KINDS)[TrustDirection][number];

/** The most points one entry may move: trust is built and spent in small amounts. */
export const MAX_TRUST_POINTS = 10;

const ALL_KINDS = [...TRUST_KINDS.deposit, ...TRUST_KINDS.withdrawal] as const;

/** A trust entry as an admin or a partner records it (the recorder and time are added on record). */
export const TrustEntryInputSchema = z
  .strictObject({
    partnerId: SlugSchema.meta({ description: "The partner whose balance the entry moves" }),
    direction: z.enum(["deposit", "withdrawal"], { error: expecting('"deposit" or "withdrawal"') }),
    kind: z.enum(ALL_KINDS, { error: expecting(`one of ${ALL_KINDS.map((k) => `"${k}"`).join(", ")}`) }),
    points: z
      .number({ error: expecting("a whole number of points") })
      .int({ error: "must be a whole number of points" })
      .min(1, { error: "must be at least 1" })
      .max(MAX_TRUST_POINTS, { error: `must be at most ${MAX_TRUST_POINTS}` }),
    note: multiLine(1, 1000).meta({ description: "What happened, in a sentence or two" }),
  })
  .superRefine((entry, ctx) => {
    const kinds: readonly string[] = TRUST_KINDS[entry.direction];
    if (!kinds.includes(entry.kind)) {
      ctx.addIssue({
        code: "custom",
        path: ["kind"],
        message: `a ${entry.direction} records ${kinds.map((k) => `"${k}"`).join(", ")}, not "${entry.kind}"`,
      });
    }
  });
export type TrustEntryInput = z.infer<typeof TrustEntryInputSchema>;

/** An entry of the ledger as recorded. */
export interface TrustEntry extends TrustEntryInput {
  entryId: string;
  at: string;
  /** Who recorded it, in words (an admin's id, or a partner contact's email). */
  recordedBy: string;
}

/** The points an entry adds to its partner's balance (negative for a withdrawal). */
export function signedPoints(entry: Pick<TrustEntryInput, "direction" | "points">): number {
  return entry.direction === "deposit" ? entry.points : -entry.points;
}

/**
 * Each partner's balance: the sum of its deposits less its withdrawals. Every partner named in `partnerIds` has a
 * balance (0 when it has no entries); entries of partners no longer listed still count under their id.
 */
export function trustBalances(
  partnerIds: readonly string[],
  entries: readonly Pick<TrustEntryInput, "partnerId" | "direction" | "points">[],
): Record<string, number> {
  const balances: Record<string, number> = Object.fromEntries(partnerIds.map((id) => [id, 0]));
  for (const entry of entries) {
    balances[entry.partnerId] = (balances[entry.partnerId] ?? 0) + signedPoints(entry);
  }
  return balances;
}

/** Longest note of an acknowledgement. */
export const MAX_ACKNOWLEDGEMENT_NOTE = 300;
/** An acknowledged contribution is a deposit of one point. */
export const ACKNOWLEDGEMENT_POINTS = 1;

/**
 * A partner acknowledging another partner's contribution on a review or check-in page: a trust deposit of
 * ACKNOWLEDGEMENT_POINTS for that partner (never for its own).
 */
export const AcknowledgementSchema = z.strictObject({
  partnerId: SlugSchema,
  note: singleLine(1, MAX_ACKNOWLEDGEMENT_NOTE),
});
export type Acknowledgement = z.infer<typeof AcknowledgementSchema>;
