import * as z from "zod";
import { days, expecting, multiLine, singleLine } from "./primitives";

/** The force-majeure clause: events outside anyone's control that suspend obligations. */
export const ForceMajeureSchema = z
  .strictObject(
    {
      clause: multiLine(20, 4000).meta({ description: "The clause's text as the partners agreed it" }),
      suspendsObligationsDays: days(1, 365).optional().meta({
        description:
          "How long a force-majeure concern suspends the deadlines of the partners it is about (default 30)",
      }),
      escalationRung: singleLine(1, 80).optional().meta({
        description:
          "Name of the escalation rung a force-majeure concern starts at (default: the first rung)",
      }),
    },
    { error: expecting("an object with the clause text") },
  )
  .meta({ title: "Force majeure" });
export type ForceMajeure = z.infer<typeof ForceMajeureSchema>;

/** How long a force-majeure concern suspends its partners' deadlines when the clause does not say. */
export const DEFAULT_SUSPENSION_DAYS = 30;

/** When a suspension that starts at `from` under `clause` ends: the clause's period later (default 30 days). */
export function suspensionEnd(from: string, clause: Pick<ForceMajeure, "suspendsObligationsDays">): string {
  const days = clause.suspendsObligationsDays ?? DEFAULT_SUSPENSION_DAYS;
  return new Date(Date.parse(from) + days * 86_400_000).toISOString();
}

/** The suspension among `suspensions` that covers the moment `at` (from ≤ at < until), if any. */
export function suspensionAt<S extends { from: string; until: string }>(
  suspensions: readonly S[],
  at: string,
): S | undefined {
  const t = Date.parse(at);
  return suspensions.find((s) => Date.parse(s.from) <= t && t < Date.parse(s.until));
}
