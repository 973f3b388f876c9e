import * as z from "zod";
import { expecting, SlugSchema } from "./primitives";

/** Every partner must approve; an abstention counts as not approving. */
export const ConsensusRuleSchema = z
  .strictObject({ kind: z.literal("consensus") })
  .meta({ title: "Consensus", description: "Every partner approves" });

/** Approved when the approving partners hold at least `threshold` of the total voting weight. */
export const WeightedMajorityRuleSchema = z
  .strictObject({
    kind: z.literal("weighted-majority"),
    threshold: z
      .number({ error: expecting("a number between 0.5 and 1") })
      .gt(0.5, { error: "must be greater than 0.5 (a majority) and at most 1" })
      .lte(1, { error: "must be greater than 0.5 (a majority) and at most 1" })
      .meta({
        description: "Share of total voting weight needed to approve, 0.5 < threshold ≤ 1 (e.g. 0.67)",
      }),
  })
  .meta({ title: "Weighted majority", description: "Approving weight ≥ threshold × total weight" });

/** The named lead partner's vote decides (the playbook's top-down rule for execution). */
export const LeadDecidesRuleSchema = z
  .strictObject({
    kind: z.literal("lead-decides"),
    leadPartnerId: SlugSchema.meta({ description: "Id of the partner whose vote decides" }),
  })
  .meta({ title: "Lead decides", description: "The lead partner decides" });

/** How a group decides: consensus, weighted majority with a threshold, or the lead partner decides. */
export const DecisionRuleSchema = z
  .discriminatedUnion("kind", [ConsensusRuleSchema, WeightedMajorityRuleSchema, LeadDecidesRuleSchema], {
    error: (issue) =>
      issue.input === undefined
        ? "is required"
        : 'must have kind "consensus", "weighted-majority" or "lead-decides"',
  })
  .meta({ id: "DecisionRule", title: "Decision rule" });
export type DecisionRule = z.infer<typeof DecisionRuleSchema>;

/** The decision classes every full charter is expected to cover; charters may add their own keys. */
export const STANDARD_DECISION_CLASSES = ["strategy", "execution", "budget", "membership"] as const;
export type StandardDecisionClass = (typeof STANDARD_DECISION_CLASSES)[number];

/** The most decision classes a charter may define; more is no longer a charter partners can read. */
export const MAX_DECISION_CLASSES = 50;

/** The rule for one class of decisions, and whether it is critical (critical decisions honour the minority veto). */
export const DecisionClassRuleSchema = z
  .strictObject(
    {
      rule: DecisionRuleSchema,
      critical: z
        .boolean({ error: expecting("true or false") })
        .default(false)
        .meta({ description: "Critical decisions honour the minority veto (default false)" }),
    },
    { error: expecting("an object with a rule") },
  )
  .meta({ title: "Decision class rule" });
export type DecisionClassRule = z.infer<typeof DecisionClassRuleSchema>;

/** Rules per decision class, keyed by class (strategy, execution, budget, membership, or a custom kebab-case key). */
export const DecisionRulesSchema = z
  .record(SlugSchema, DecisionClassRuleSchema, { error: expecting("an object keyed by decision class") })
  .superRefine((rules, ctx) => {
    const count = Object.keys(rules).length;
    if (count > MAX_DECISION_CLASSES) {
      ctx.addIssue({
        code: "custom",
        message: `must define at most ${MAX_DECISION_CLASSES} decision classes (got ${count})`,
      });
    }
  })
  .meta({
    maxProperties: MAX_DECISION_CLASSES,
    title: "Decision rules",
    description:
      'Per decision class ("strategy", "execution", "budget", "membership" or your own kebab-case key). The playbook\'s hybrid: consensus on strategy, lead-decides on execution.',
  });
export type DecisionRules = z.infer<typeof DecisionRulesSchema>;

/** The rule that governs `decisionClass`, or consensus when the charter names none (nobody is outvoted by omission). */
export function decisionRuleFor(rules: DecisionRules | undefined, decisionClass: string): DecisionClassRule {
  return rules?.[decisionClass] ?? { rule: { kind: "consensus" }, critical: false };
}

/** The partner ids a rule refers to (only lead-decides names one). */
export function partnersNamedBy(rule: DecisionRule): string[] {
  return rule.kind === "lead-decides" ? [rule.leadPartnerId] : [];
}
