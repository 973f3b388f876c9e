import * as z from "zod";
import { DecisionRuleSchema } from "./decision-rule";
import { ContactRoleSchema } from "./partner";
import { days, expecting, noRepeats, singleLine } from "./primitives";

/** One rung of the escalation ladder: who meets, how they decide, and how long they have. */
export const EscalationRungSchema = z
  .strictObject(
    {
      name: singleLine(1, 80).meta({
        description: 'Rung name, unique in the ladder (e.g. "Steering committee")',
      }),
      participants: z
        .array(ContactRoleSchema, { error: expecting("a list of contact roles") })
        .min(1, { error: "must name at least one contact role" })
        // There are three roles; a longer list can only repeat one.
        .max(3, { error: "must name at most 3 contact roles (lead, committee, sponsor)" })
        .superRefine(noRepeats("the role"))
        .meta({
          description: "Contact roles (across all partners) who resolve the dispute at this rung, each once",
          uniqueItems: true,
        }),
      deadlineDays: days(1, 90).meta({
        description: "Days the rung has to resolve; a missed deadline escalates to the next rung",
      }),
      decision: DecisionRuleSchema,
      minorityVeto: z
        .boolean({ error: expecting("true or false") })
        .default(false)
        .meta({
          description: "Whether the charter's minority veto applies to votes at this rung (default false)",
        }),
    },
    { error: expecting("an object describing a rung") },
  )
  .meta({ title: "Escalation rung" });
export type EscalationRung = z.infer<typeof EscalationRungSchema>;

/** The escalation ladder, climbed rung by rung until a dispute is resolved. */
export const EscalationLadderSchema = z
  .strictObject(
    {
      rungs: z
        .array(EscalationRungSchema, { error: expecting("a list of rungs") })
        .min(1, { error: "must have at least one rung" })
        .max(6, { error: "must have at most 6 rungs" })
        .superRefine(noRepeats("the rung name", { label: (rung) => rung.name, at: ["name"] }))
        .meta({ description: "Rungs from first (operational) to last (executive)" }),
      afterLastRung: z
        .enum(["notify-admin", "invoke-exit"], { error: expecting('"notify-admin" or "invoke-exit"') })
        .default("notify-admin")
        .meta({ description: "What happens when the last rung does not resolve (default notify-admin)" }),
    },
    { error: expecting("an object with rungs") },
  )
  .meta({ title: "Escalation ladder" });
export type EscalationLadder = z.infer<typeof EscalationLadderSchema>;

/**
 * The playbook's default ladder: operational leads (consensus, 7 days) → steering committee
 * (weighted vote ≥ 66%, so two of three equal partners carry it, with minority veto, 14 days) → executive sponsors (consensus, 14 days).
 */
export function defaultEscalationLadder(): EscalationLadder {
  return {
    rungs: [
      {
        name: "Operational leads",
        participants: ["lead"],
        deadlineDays: 7,
        decision: { kind: "consensus" },
        minorityVeto: false,
      },
      {
        name: "Steering committee",
        participants: ["committee"],
        deadlineDays: 14,
        decision: { kind: "weighted-majority", threshold: 0.66 },
        minorityVeto: true,
      },
      {
        name: "Executive sponsors",
        participants: ["sponsor"],
        deadlineDays: 14,
        decision: { kind: "consensus" },
        minorityVeto: false,
      },
    ],
    afterLastRung: "notify-admin",
  };
}
