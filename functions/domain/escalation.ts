import * as z from "zod";
import {
  ConsensusRuleSchema,
  type DecisionRule,
  LeadDecidesRuleSchema,
  WeightedMajorityRuleSchema,
} from "./decision-rule";
import type { MinorityVeto } from "./minority-veto";
import { ContactRoleSchema, type Partner } from "./partner";
import { days, expecting, noRepeats, singleLine } from "./primitives";
import { tallyVotes } from "./vote-tally";

/** Any participant may resolve the dispute at this rung (the first to decide settles it). */
export const AnyParticipantRuleSchema = z
  .strictObject({ kind: z.literal("any-participant") })
  .meta({ title: "Any participant", description: "The first participant to resolve or escalate decides" });

/** How a rung decides: a charter decision rule, or any participant resolves. */
export const RungDecisionSchema = z
  .discriminatedUnion(
    "kind",
    [ConsensusRuleSchema, WeightedMajorityRuleSchema, LeadDecidesRuleSchema, AnyParticipantRuleSchema],
    {
      error: (issue) =>
        issue.input === undefined
          ? "is required"
          : 'must have kind "consensus", "weighted-majority", "lead-decides" or "any-participant"',
    },
  )
  .meta({ title: "Rung decision" });
export type RungDecision = z.infer<typeof RungDecisionSchema>;

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
      decision: RungDecisionSchema,
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

/** What one partner said at a rung: resolve (with the written resolution), escalate (with why), or abstain. */
export interface RungVote {
  partnerId: string;
  choice: "resolve" | "escalate" | "abstain";
  text?: string;
}

/** Where a rung stands after counting its votes. */
export interface RungVerdict {
  /** resolved; escalated by choice; vetoed (a minority veto blocked the resolution); missed (the deadline passed
   * without a resolution); pending (the votes still missing could change it). */
  outcome: "resolved" | "escalated" | "vetoed" | "missed" | "pending";
  /** One sentence for the emails and the timeline. */
  reason: string;
  /** The written resolution, when resolved. */
  resolution?: string;
  vetoedBy?: { partnerId: string; reason?: string }[];
}

/**
 * Counts a rung's votes under its decision: any-participant (the first partner to resolve or escalate decides), or
 * a charter rule (consensus, weighted majority, lead decides) where "resolve" approves, "escalate" rejects and
 * abstaining abstains, with the charter's minority veto when the rung applies it and the concern is critical (an
 * eligible partner's "escalate" blocks the resolution). Once the deadline has passed, missing votes count as
 * `missedVotesCountAs` (the charter's rule; default abstain). The written resolution is the lead's under
 * lead-decides, else the first resolving partner's in the alliance's order. Votes of partners not in `partners`
 * (one that left meanwhile) are not counted; a rung with no one to ask, or whose deciding lead is not among the
 * partners asked, cannot resolve: it is missed once its deadline passes. Pure.
 */
export function decideRung(
  decision: RungDecision,
  partners: readonly Partner[],
  allVotes: readonly RungVote[],
  options: {
    critical: boolean;
    minorityVeto?: MinorityVeto | undefined;
    deadlinePassed: boolean;
    missedVotesCountAs?: "abstain" | "reject";
  },
): RungVerdict {
  const nameOf = (id: string) => partners.find((p) => p.id === id)?.name ?? id;
  const votes = allVotes.filter((v) => partners.some((p) => p.id === v.partnerId));
  const unanswerable =
    partners.length === 0 ||
    (decision.kind === "lead-decides" && !partners.some((p) => p.id === decision.leadPartnerId));
  if (unanswerable) {
    const why =
      partners.length === 0
        ? "no partner has a participant at this rung"
        : "the partner whose lead decides has no participant at this rung";
    return options.deadlinePassed
      ? { outcome: "missed", reason: `${why}; the deadline passed` }
      : { outcome: "pending", reason: why };
  }
  const inOrder = partners
    .map((p) => votes.find((v) => v.partnerId === p.id))
    .filter((v): v is RungVote => v !== undefined);
  const firstResolve = inOrder.find((v) => v.choice === "resolve");
  const missing = partners.filter((p) => !votes.some((v) => v.partnerId === p.id));
  const missedReason = `the deadline passed without a resolution (no answer from ${missing.map((p) => p.name).join(", ") || "no one"})`;

  if (decision.kind === "any-participant") {
    // The first decisive answer settles it; votes arrive in time order, so the earliest is the first listed.
    const decisive = votes.find((v) => v.choice !== "abstain");
    if (decisive?.choice === "resolve") {
      return {
        outcome: "resolved",
        reason: `${nameOf(decisive.partnerId)} resolved it`,
        resolution: decisive.text ?? "",
      };
    }
    if (decisive?.choice === "escalate") {
      return {
        outcome: "escalated",
        reason: `${nameOf(decisive.partnerId)} escalated it${decisive.text ? `: ${decisive.text}` : ""}`,
      };
    }
    if (missing.length === 0) return { outcome: "escalated", reason: "every participant abstained" };
    return options.deadlinePassed
      ? { outcome: "missed", reason: missedReason }
      : { outcome: "pending", reason: `waiting for ${missing.map((p) => p.name).join(", ")}` };
  }

  const tally = tallyVotes(
    decision as DecisionRule,
    partners,
    votes.map((v) => ({
      partnerId: v.partnerId,
      vote: v.choice === "resolve" ? "approve" : v.choice === "escalate" ? "reject" : "abstain",
    })),
    {
      critical: options.critical,
      ...(options.minorityVeto ? { minorityVeto: options.minorityVeto } : {}),
      deadlinePassed: options.deadlinePassed,
      missingVotesCountAs: options.missedVotesCountAs ?? "abstain",
    },
  );
  if (tally.outcome === "pending") return { outcome: "pending", reason: tally.reason };
  if (tally.outcome === "approved") {
    const lead =
      decision.kind === "lead-decides"
        ? votes.find((v) => v.partnerId === decision.leadPartnerId)
        : undefined;
    return { outcome: "resolved", reason: tally.reason, resolution: (lead ?? firstResolve)?.text ?? "" };
  }
  if (tally.vetoedBy && tally.vetoedBy.length > 0) {
    return {
      outcome: "vetoed",
      reason: tally.reason,
      vetoedBy: tally.vetoedBy.map((partnerId) => {
        const text = votes.find((v) => v.partnerId === partnerId)?.text;
        return { partnerId, ...(text ? { reason: text } : {}) };
      }),
    };
  }
  const chose = votes.some((v) => v.choice === "escalate");
  return options.deadlinePassed && missing.length > 0 && !chose
    ? { outcome: "missed", reason: `${missedReason}. ${tally.reason}` }
    : { outcome: "escalated", reason: tally.reason };
}
