import * as z from "zod";
import type { DecisionRule } from "./decision-rule";
import { TallyInputError } from "./errors";
import type { MinorityVeto } from "./minority-veto";
import type { Partner } from "./partner";
import { expecting, SlugSchema } from "./primitives";

/** A partner's answer to a decision request. */
export const VoteChoiceSchema = z.enum(["approve", "reject", "abstain"], {
  error: expecting('"approve", "reject" or "abstain"'),
});
export type VoteChoice = z.infer<typeof VoteChoiceSchema>;

/** One partner's vote (a partner votes once, through any of its contacts). */
export const VoteSchema = z.strictObject({ partnerId: SlugSchema, vote: VoteChoiceSchema });
export type Vote = z.infer<typeof VoteSchema>;

/** What a tally needs besides the rule and the votes. */
export interface TallyOptions {
  /** The decision is critical, so the minority veto (if enabled) applies. Default false. */
  critical?: boolean;
  /** The charter's minority veto; absent or disabled means no veto. */
  minorityVeto?: MinorityVeto;
  /** The response deadline has passed: partners who have not voted count as `missingVotesCountAs`. Default false. */
  deadlinePassed?: boolean;
  /** How a missing vote counts once the deadline has passed (see missingVoteCountsAs). Default "abstain". */
  missingVotesCountAs?: "abstain" | "reject";
}

/** The state of a decision after counting the votes so far. */
export interface Tally {
  /** "pending" only while the missing votes could still change the result. */
  outcome: "approved" | "rejected" | "pending";
  approveWeight: number;
  rejectWeight: number;
  abstainWeight: number;
  /** Weight of partners who have not voted (0 once the deadline has passed). */
  pendingWeight: number;
  totalWeight: number;
  /** Partners still to vote (empty once the deadline has passed). */
  pendingPartnerIds: string[];
  /** Partners whose minority veto blocked approval. */
  vetoedBy?: string[];
  /** The outcome in one sentence, for emails and the timeline. */
  reason: string;
}

// Floating-point weights (0.67 × 3) must not turn an exact threshold into a miss.
const EPSILON = 1e-9;

/**
 * Count votes under a decision rule.
 *
 * - consensus: every partner must approve; a reject or an abstention settles it as rejected at once.
 * - weighted-majority: approved when approving weight ≥ threshold × total weight; abstainers and
 *   non-voters stay in the total, so abstaining works against approval. Decided early as soon as the
 *   threshold is met, or can no longer be met.
 * - lead-decides: the lead partner's vote decides; its abstention leaves the status quo (rejected).
 * - minority veto: on a critical decision with the veto enabled, a reject from an eligible partner
 *   blocks approval under any rule, so approval also waits for every veto holder's vote.
 *
 * A partner's first vote counts (later ones are ignored, matching "the first decision wins").
 * Throws TallyInputError for an empty partner list, a vote from an unknown partner, or a lead not among the partners.
 */
export function tallyVotes(
  rule: DecisionRule,
  partners: readonly Partner[],
  votes: readonly Vote[],
  options: TallyOptions = {},
): Tally {
  if (partners.length === 0) {
    throw new TallyInputError("tallyVotes: there are no partners to count");
  }
  const byId = new Map(partners.map((partner) => [partner.id, partner]));
  const choices = new Map<string, VoteChoice>();
  for (const { partnerId, vote } of votes) {
    if (!byId.has(partnerId)) {
      throw new TallyInputError(`tallyVotes: a vote came from "${partnerId}", which is not a partner`);
    }
    if (!choices.has(partnerId)) choices.set(partnerId, vote);
  }
  if (options.deadlinePassed) {
    for (const partner of partners) {
      if (!choices.has(partner.id)) choices.set(partner.id, options.missingVotesCountAs ?? "abstain");
    }
  }

  const weightOf = (choice: VoteChoice | undefined) =>
    sum(
      partners.filter((partner) => choices.get(partner.id) === choice).map((partner) => partner.votingWeight),
    );
  const counts = {
    approveWeight: weightOf("approve"),
    rejectWeight: weightOf("reject"),
    abstainWeight: weightOf("abstain"),
    pendingWeight: weightOf(undefined),
    totalWeight: sum(partners.map((partner) => partner.votingWeight)),
    pendingPartnerIds: partners.filter((partner) => !choices.has(partner.id)).map((partner) => partner.id),
  };
  const names = (ids: readonly string[]) => ids.map((id) => byId.get(id)?.name ?? id).join(", ");
  const withChoice = (choice: VoteChoice) =>
    partners.filter((partner) => choices.get(partner.id) === choice).map((partner) => partner.id);

  const base = ruleOutcome(rule, counts, { byId, choices, names, withChoice });

  const veto = options.minorityVeto;
  if (!options.critical || !veto?.enabled) {
    return { ...counts, ...base };
  }
  const holders = partners.filter((partner) => veto.eligibleSizeClasses.includes(partner.sizeClass));
  const vetoedBy = holders
    .filter((partner) => choices.get(partner.id) === "reject")
    .map((partner) => partner.id);
  if (vetoedBy.length > 0) {
    return {
      ...counts,
      outcome: "rejected",
      vetoedBy,
      reason: `Rejected: vetoed by ${names(vetoedBy)} (minority veto on a critical decision).`,
    };
  }
  const undecidedHolders = holders.filter((partner) => !choices.has(partner.id)).map((partner) => partner.id);
  if (base.outcome === "approved" && undecidedHolders.length > 0) {
    return {
      ...counts,
      outcome: "pending",
      reason: `Pending: the rule is satisfied, but ${names(undecidedHolders)} may still veto this critical decision.`,
    };
  }
  return { ...counts, ...base };
}

interface Counts {
  approveWeight: number;
  totalWeight: number;
  pendingWeight: number;
  pendingPartnerIds: string[];
}

interface Lookup {
  byId: ReadonlyMap<string, Partner>;
  choices: ReadonlyMap<string, VoteChoice>;
  names: (ids: readonly string[]) => string;
  withChoice: (choice: VoteChoice) => string[];
}

function ruleOutcome(rule: DecisionRule, counts: Counts, lookup: Lookup): Pick<Tally, "outcome" | "reason"> {
  const { names, withChoice } = lookup;
  const waiting = (): Pick<Tally, "outcome" | "reason"> => ({
    outcome: "pending",
    reason: `Pending: waiting for ${names(counts.pendingPartnerIds)}.`,
  });
  switch (rule.kind) {
    case "consensus": {
      const rejected = withChoice("reject");
      const abstained = withChoice("abstain");
      if (rejected.length > 0 || abstained.length > 0) {
        const who = [
          rejected.length > 0 ? `${names(rejected)} rejected` : "",
          abstained.length > 0 ? `${names(abstained)} abstained` : "",
        ].filter((part) => part !== "");
        return {
          outcome: "rejected",
          reason: `Rejected: consensus needs every partner's approval; ${who.join(", ")}.`,
        };
      }
      if (counts.pendingPartnerIds.length > 0) return waiting();
      return {
        outcome: "approved",
        reason: `Approved by consensus: all ${lookup.byId.size} partners approved.`,
      };
    }
    case "weighted-majority": {
      const needed = rule.threshold * counts.totalWeight;
      const share = (weight: number) =>
        `${formatNumber(weight)} of ${formatNumber(counts.totalWeight)} voting weight (${percent(weight / counts.totalWeight)})`;
      const threshold = `threshold ${percent(rule.threshold)}`;
      if (counts.approveWeight >= needed - EPSILON) {
        return {
          outcome: "approved",
          reason: `Approved: ${share(counts.approveWeight)} approved; ${threshold}.`,
        };
      }
      const bestCase = counts.approveWeight + counts.pendingWeight;
      if (bestCase < needed - EPSILON) {
        return counts.pendingWeight > 0
          ? {
              outcome: "rejected",
              reason: `Rejected: at most ${share(bestCase)} can still approve; ${threshold}.`,
            }
          : {
              outcome: "rejected",
              reason: `Rejected: only ${share(counts.approveWeight)} approved; ${threshold}.`,
            };
      }
      return waiting();
    }
    case "lead-decides": {
      const lead = lookup.byId.get(rule.leadPartnerId);
      if (lead === undefined) {
        throw new TallyInputError(
          `tallyVotes: the lead partner "${rule.leadPartnerId}" is not among the partners`,
        );
      }
      const choice = lookup.choices.get(lead.id);
      if (choice === undefined) {
        return { outcome: "pending", reason: `Pending: waiting for the lead partner, ${lead.name}.` };
      }
      return choice === "approve"
        ? { outcome: "approved", reason: `Approved: the lead partner, ${lead.name}, approved.` }
        : {
            outcome: "rejected",
            reason: `Rejected: the lead partner, ${lead.name}, ${choice === "reject" ? "rejected" : "abstained"}.`,
          };
    }
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function formatNumber(value: number): string {
  return String(Number(value.toFixed(2)));
}

function percent(ratio: number): string {
  return `${Number((ratio * 100).toFixed(1))}%`;
}
