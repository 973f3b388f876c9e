import * as z from "zod";
import { ApprovalRoundSchema } from "./approval";
import { ReviewSchema } from "./cadence";
import { DecisionRulesSchema } from "./decision-rule";
import { EscalationLadderSchema } from "./escalation";
import { ExitTermsSchema } from "./exit-terms";
import { ForceMajeureSchema } from "./force-majeure";
import { MinorityVetoSchema } from "./minority-veto";
import { EmailSchema, expecting } from "./primitives";

/**
 * The governance charter. Every part except the approval round may be absent in a draft: the charter
 * audit (not the parser) decides what is missing for the alliance's mode, and names it.
 */
export const CharterSchema = z
  .strictObject(
    {
      decisionRules: DecisionRulesSchema.optional(),
      minorityVeto: MinorityVetoSchema.optional(),
      escalation: EscalationLadderSchema.optional(),
      escalationContact: EmailSchema.optional().meta({
        description:
          "Light-touch alternative to a ladder: the one person disputes go to (must be a contact in the draft)",
      }),
      forceMajeure: ForceMajeureSchema.optional(),
      review: ReviewSchema.optional(),
      exitTerms: ExitTermsSchema.optional(),
      approval: ApprovalRoundSchema.prefault({}),
    },
    { error: expecting("an object describing the charter") },
  )
  .meta({ title: "Governance charter" });
export type Charter = z.infer<typeof CharterSchema>;
/** A charter as written in a draft (defaults not yet applied). */
export type CharterInput = z.input<typeof CharterSchema>;
