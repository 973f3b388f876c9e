import { describe, expect, it } from "vitest";
import {
  type DecisionRule,
  type MinorityVeto,
  type Partner,
  TallyInputError,
  tallyVotes,
  type Vote,
} from "../../../functions/domain";
import { exampleDraft } from "./fixtures";

// Northwind (large, 4), Harbor & Rail (medium, 4), Clean Corridors (small, 2): total weight 10.
const partners = exampleDraft("pilot-three-partners.json").partners;
const NW = "northwind-telematics";
const HR = "harbor-rail";
const CC = "clean-corridors";

const consensus: DecisionRule = { kind: "consensus" };
const majority = (threshold: number): DecisionRule => ({ kind: "weighted-majority", threshold });
const leadDecides: DecisionRule = { kind: "lead-decides", leadPartnerId: HR };
const veto: MinorityVeto = { enabled: true, appliesTo: "critical", eligibleSizeClasses: ["small"] };

const votes = (entries: Record<string, Vote["vote"]>): Vote[] =>
  Object.entries(entries).map(([partnerId, vote]) => ({ partnerId, vote }));

describe("tallyVotes: consensus", () => {
  it("approves when every partner approves", () => {
    const tally = tallyVotes(
      consensus,
      partners,
      votes({ [NW]: "approve", [HR]: "approve", [CC]: "approve" }),
    );

    expect(tally).toMatchObject({
      outcome: "approved",
      approveWeight: 10,
      totalWeight: 10,
      pendingPartnerIds: [],
    });
    expect(tally.reason).toBe("Approved by consensus: all 3 partners approved.");
  });

  it("stays pending while approvals are still missing", () => {
    const tally = tallyVotes(consensus, partners, votes({ [NW]: "approve" }));

    expect(tally).toMatchObject({ outcome: "pending", pendingPartnerIds: [HR, CC], pendingWeight: 6 });
    expect(tally.reason).toBe("Pending: waiting for Harbor & Rail Logistics, Clean Corridors Trust.");
  });

  it("rejects as soon as one partner rejects, without waiting for the rest", () => {
    const tally = tallyVotes(consensus, partners, votes({ [CC]: "reject" }));

    expect(tally).toMatchObject({ outcome: "rejected", rejectWeight: 2, pendingPartnerIds: [NW, HR] });
    expect(tally.reason).toContain("Clean Corridors Trust rejected");
  });

  it("counts an abstention as not approving", () => {
    const tally = tallyVotes(
      consensus,
      partners,
      votes({ [NW]: "approve", [HR]: "abstain", [CC]: "approve" }),
    );

    expect(tally).toMatchObject({ outcome: "rejected", abstainWeight: 4 });
    expect(tally.reason).toContain("Harbor & Rail Logistics abstained");
  });

  it("counts the first vote of a partner and ignores a repeat", () => {
    const tally = tallyVotes(
      consensus,
      partners,
      votes({ [NW]: "approve", [HR]: "approve", [CC]: "approve" }).concat({ partnerId: CC, vote: "reject" }),
    );

    expect(tally.outcome).toBe("approved");
  });
});

describe("tallyVotes: weighted majority", () => {
  it("approves early once the threshold is reached, before everyone has voted", () => {
    const tally = tallyVotes(majority(0.6), partners, votes({ [NW]: "approve", [HR]: "approve" }));

    expect(tally).toMatchObject({ outcome: "approved", approveWeight: 8, pendingPartnerIds: [CC] });
    expect(tally.reason).toBe("Approved: 8 of 10 voting weight (80%) approved; threshold 60%.");
  });

  it("approves at exactly the threshold", () => {
    const tally = tallyVotes(
      majority(0.6),
      partners,
      votes({ [NW]: "approve", [HR]: "reject", [CC]: "approve" }),
    );

    expect(tally).toMatchObject({ outcome: "approved", approveWeight: 6 });
  });

  it("rejects just below the threshold", () => {
    const tally = tallyVotes(
      majority(0.61),
      partners,
      votes({ [NW]: "approve", [HR]: "reject", [CC]: "approve" }),
    );

    expect(tally.outcome).toBe("rejected");
    expect(tally.reason).toBe("Rejected: only 6 of 10 voting weight (60%) approved; threshold 61%.");
  });

  it("is not fooled by floating-point sums at the threshold", () => {
    const weighted = [0.1, 0.2, 0.7].map(
      (votingWeight, index): Partner => ({
        id: `p${index}`,
        name: `Partner ${index}`,
        sizeClass: "medium",
        votingWeight,
        contacts: [{ name: "Lead", email: `p${index}@example.com`, role: "lead" }],
      }),
    );
    // 0.1 + 0.7 is 0.7999999999999999 in floating point: exactly 80% all the same.
    const tally = tallyVotes(majority(0.8), weighted, votes({ p0: "approve", p1: "reject", p2: "approve" }));

    expect(tally.outcome).toBe("approved");
  });

  it("keeps abstainers' weight in the denominator", () => {
    const ballot = votes({ [NW]: "approve", [HR]: "abstain", [CC]: "approve" });

    expect(tallyVotes(majority(0.6), partners, ballot).outcome).toBe("approved");
    expect(tallyVotes(majority(0.7), partners, ballot)).toMatchObject({
      outcome: "rejected",
      abstainWeight: 4,
    });
  });

  it("rejects early once the threshold can no longer be reached", () => {
    const tally = tallyVotes(majority(0.75), partners, votes({ [NW]: "reject" }));

    expect(tally).toMatchObject({ outcome: "rejected", pendingPartnerIds: [HR, CC] });
    expect(tally.reason).toBe(
      "Rejected: at most 6 of 10 voting weight (60%) can still approve; threshold 75%.",
    );
  });

  it("stays pending while the missing votes could still swing it", () => {
    expect(tallyVotes(majority(0.75), partners, votes({ [NW]: "approve" })).outcome).toBe("pending");
  });

  it("settles a pending vote at the deadline, counting silence as the charter says", () => {
    const ballot = votes({ [NW]: "approve", [CC]: "approve" });

    expect(tallyVotes(majority(0.6), partners, ballot, { deadlinePassed: true })).toMatchObject({
      outcome: "approved",
      abstainWeight: 4,
      pendingPartnerIds: [],
    });
    expect(
      tallyVotes(majority(0.75), partners, ballot, { deadlinePassed: true, missingVotesCountAs: "reject" }),
    ).toMatchObject({ outcome: "rejected", rejectWeight: 4, pendingWeight: 0 });
  });
});

describe("tallyVotes: lead decides", () => {
  it("follows the lead partner even when the others disagree", () => {
    const tally = tallyVotes(
      leadDecides,
      partners,
      votes({ [NW]: "reject", [HR]: "approve", [CC]: "reject" }),
    );

    expect(tally.outcome).toBe("approved");
    expect(tally.reason).toBe("Approved: the lead partner, Harbor & Rail Logistics, approved.");
  });

  it("decides as soon as the lead votes", () => {
    expect(tallyVotes(leadDecides, partners, votes({ [HR]: "reject" }))).toMatchObject({
      outcome: "rejected",
      pendingPartnerIds: [NW, CC],
    });
  });

  it("waits for the lead however the others voted", () => {
    const tally = tallyVotes(leadDecides, partners, votes({ [NW]: "approve", [CC]: "approve" }));

    expect(tally.outcome).toBe("pending");
    expect(tally.reason).toBe("Pending: waiting for the lead partner, Harbor & Rail Logistics.");
  });

  it("keeps the status quo when the lead abstains", () => {
    expect(tallyVotes(leadDecides, partners, votes({ [HR]: "abstain" })).outcome).toBe("rejected");
  });
});

describe("tallyVotes: minority veto on critical decisions", () => {
  const bigTwoApprove = votes({ [NW]: "approve", [HR]: "approve", [CC]: "reject" });

  it("lets a small partner's reject block a critical decision the weights would carry", () => {
    const tally = tallyVotes(majority(0.6), partners, bigTwoApprove, { critical: true, minorityVeto: veto });

    expect(tally).toMatchObject({ outcome: "rejected", approveWeight: 8, vetoedBy: [CC] });
    expect(tally.reason).toBe(
      "Rejected: vetoed by Clean Corridors Trust (minority veto on a critical decision).",
    );
  });

  it("blocks a lead's decision too", () => {
    const tally = tallyVotes(leadDecides, partners, bigTwoApprove, { critical: true, minorityVeto: veto });

    expect(tally).toMatchObject({ outcome: "rejected", vetoedBy: [CC] });
  });

  it("does not apply to decisions that are not critical", () => {
    const tally = tallyVotes(majority(0.6), partners, bigTwoApprove, { critical: false, minorityVeto: veto });

    expect(tally.outcome).toBe("approved");
    expect(tally.vetoedBy).toBeUndefined();
  });

  it("does not apply when the charter disables it", () => {
    const tally = tallyVotes(majority(0.6), partners, bigTwoApprove, {
      critical: true,
      minorityVeto: { ...veto, enabled: false },
    });

    expect(tally.outcome).toBe("approved");
  });

  it("gives no veto to a partner outside the eligible size classes", () => {
    const mediumRejects = votes({ [NW]: "approve", [HR]: "reject", [CC]: "approve" });

    expect(
      tallyVotes(majority(0.6), partners, mediumRejects, { critical: true, minorityVeto: veto }).outcome,
    ).toBe("approved");
    expect(
      tallyVotes(majority(0.6), partners, mediumRejects, {
        critical: true,
        minorityVeto: { ...veto, eligibleSizeClasses: ["small", "medium"] },
      }),
    ).toMatchObject({ outcome: "rejected", vetoedBy: [HR] });
  });

  it("waits for the veto holder before approving, then approves if the deadline passes in silence", () => {
    const ballot = votes({ [NW]: "approve", [HR]: "approve" });
    const options = { critical: true, minorityVeto: veto };

    const early = tallyVotes(majority(0.6), partners, ballot, options);
    expect(early.outcome).toBe("pending");
    expect(early.reason).toBe(
      "Pending: the rule is satisfied, but Clean Corridors Trust may still veto this critical decision.",
    );
    expect(tallyVotes(majority(0.6), partners, ballot, { ...options, deadlinePassed: true }).outcome).toBe(
      "approved",
    );
  });
});

describe("tallyVotes: input it cannot count", () => {
  it("refuses a vote from an organisation that is not a partner", () => {
    expect(() => tallyVotes(consensus, partners, votes({ "acme-freight": "approve" }))).toThrow(
      TallyInputError,
    );
  });

  it("refuses a lead-decides rule whose lead is not among the partners", () => {
    const rule: DecisionRule = { kind: "lead-decides", leadPartnerId: "acme-freight" };

    expect(() => tallyVotes(rule, partners, [])).toThrow(/acme-freight/);
  });

  it("refuses to count with no partners", () => {
    expect(() => tallyVotes(consensus, [], [])).toThrow(TallyInputError);
  });
});
