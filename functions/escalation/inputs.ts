import * as z from "zod";
import { multiLine, SlugSchema, singleLine } from "../domain";

const AllianceId = z.string().regex(/^[a-z0-9-]{3,80}$/, "must be an alliance id");
const EscalationId = z.string().regex(/^escalation-[a-z0-9-]+-\d{4}$/, "must be an escalation id");

/** The escalation workflow's input and its rung tasks': the alliance, the escalation, the rung (0-based). */
export const RungTaskSchema = z.object({
  allianceId: AllianceId,
  escalationId: EscalationId,
  rung: z.int().min(0).max(5),
});
export type RungTask = z.infer<typeof RungTaskSchema>;

/** The escalation's task past the last rung: the alliance and the escalation. */
export const EscalationInputSchema = RungTaskSchema.pick({ allianceId: true, escalationId: true });
export type EscalationInput = z.infer<typeof EscalationInputSchema>;

/** The alliance's `n`-th escalation: also its execution's name. */
export function escalationIdOf(allianceId: string, n: number): string {
  return `escalation-${allianceId}-${String(n).padStart(4, "0")}`;
}

/** The request round of one rung: `<escalationId>-rung-<n>` (1-based, as people count rungs). */
export function rungInstance(escalationId: string, rung: number): string {
  return `${escalationId}-rung-${rung + 1}`;
}

/** The escalation and rung (0-based) a rung round's instance names; undefined for any other instance. */
export function parseRungInstance(instance: string): { escalationId: string; rung: number } | undefined {
  const match = /^(escalation-[a-z0-9-]+-\d{4})-rung-(\d)$/.exec(instance);
  return match ? { escalationId: match[1] as string, rung: Number(match[2]) - 1 } : undefined;
}

/** What a concern is about. */
export const ConcernKindSchema = z.enum(["dispute", "free-rider", "missed-commitment", "force-majeure"], {
  error: 'must be "dispute", "free-rider", "missed-commitment" or "force-majeure"',
});

/** A concern as an admin sends it, or a partner's form once read. */
export const RaiseConcernSchema = z.strictObject({
  subject: singleLine(1, 200),
  description: multiLine(1, 4000),
  kind: ConcernKindSchema,
  partnerIds: z
    .array(SlugSchema, { error: "must be a list of partner ids" })
    .min(1, { error: "must name at least one partner the concern is about" })
    .max(50),
  critical: z.boolean({ error: "must be true or false" }),
});
export type RaiseConcern = z.infer<typeof RaiseConcernSchema>;

/** What an admin sends to withdraw an escalation. */
export const WithdrawEscalationSchema = z.strictObject({ reason: singleLine(1, 500) });

/** The escalation workflow's tasks act as this on the timeline. */
export const ESCALATION_SYSTEM = { kind: "system", id: "escalation" } as const;
