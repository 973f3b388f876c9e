import * as z from "zod";
import { DecisionRuleSchema } from "./decision-rule";
import { days, expecting } from "./primitives";

/** What a partner's silence means once a decision deadline passes. */
export const MissedDeadlineSchema = z
  .enum(["abstain", "reject", "remind-then-abstain"], {
    error: expecting('one of "abstain", "reject", "remind-then-abstain"'),
  })
  .meta({ description: "How a missing response counts once the deadline passes" });
export type MissedDeadline = z.infer<typeof MissedDeadlineSchema>;

/** How the charter approval round decides. Every part has a default, so `{}` is a complete answer. */
export const ApprovalRoundSchema = z
  .strictObject(
    {
      rule: DecisionRuleSchema.default({ kind: "consensus" }).meta({
        description: "How the partners approve the charter (default consensus)",
      }),
      onMissedDeadline: MissedDeadlineSchema.default("remind-then-abstain"),
      responseDeadlineDays: days(1, 90)
        .default(14)
        .meta({ description: "Days each partner has to answer (default 14)" }),
      reminderDaysBeforeDeadline: days(0, 89)
        .default(3)
        .meta({ description: "Days before the deadline the reminder goes out; 0 for none (default 3)" }),
    },
    { error: expecting("an object describing the approval round") },
  )
  .superRefine((round, ctx) => {
    if (round.reminderDaysBeforeDeadline >= round.responseDeadlineDays) {
      ctx.addIssue({
        code: "custom",
        path: ["reminderDaysBeforeDeadline"],
        message: `must be less than responseDeadlineDays (${round.responseDeadlineDays})`,
      });
    }
  })
  .meta({ title: "Approval round" });
export type ApprovalRound = z.infer<typeof ApprovalRoundSchema>;

/** How a missing vote counts once the deadline has passed ("remind-then-abstain" ends as an abstention). */
export function missingVoteCountsAs(onMissedDeadline: MissedDeadline): "abstain" | "reject" {
  return onMissedDeadline === "reject" ? "reject" : "abstain";
}
