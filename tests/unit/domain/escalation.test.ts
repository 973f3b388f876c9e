import { describe, expect, it } from "vitest";
import { decideRung, type MinorityVeto, type RungDecision, type RungVote } from "../../../functions/domain";
import { exampleDraft } from "./fixtures";

// Northwind (large, 4), Harbor & Rail (medium, 4), Clean Corridors (small, 2): total weight 10.
const partners = exampleDraft("pilot-three-partners.json").partners;
const NW = "northwind-telematics";
const HR = "harbor-rail";
const CC = "clean-corridors";
const veto: MinorityVeto = { enabled: true, appliesTo: "critical", eligibleSizeClasses: ["small"] };
const committee: RungDecision = { kind: "weighted-majority", threshold: 0.66 };
const open = { critical: false, deadlinePassed: false };

const vote = (partnerId: string, choice: RungVote["choice"], text?: string): RungVote => ({
  partnerId,
  choice,
  ...(text ? { text } : {}),
});

describe("a rung's verdict", () => {
  it("resolves under consensus only when every partner resolves, with the first resolver's words", () => {
    const two = [vote(NW, "resolve", "Share the data monthly"), vote(HR, "resolve", "Agreed")];
    expect(decideRung({ kind: "consensus" }, partners, two, open)).toMatchObject({ outcome: "pending" });
    expect(
      decideRung({ kind: "consensus" }, partners, [...two, vote(CC, "resolve", "Fine")], open),
    ).toMatchObject({ outcome: "resolved", resolution: "Share the data monthly" });
  });

  it("escalates by choice as soon as the outcome can no longer be a resolution", () => {
    expect(
      decideRung({ kind: "consensus" }, partners, [vote(CC, "escalate", "We were not heard")], open),
    ).toMatchObject({
      outcome: "escalated",
      reason: expect.stringContaining("Clean Corridors Trust rejected"),
    });
  });

  it("resolves a weighted vote early once the threshold is met, and weighs abstentions against it", () => {
    expect(
      decideRung(committee, partners, [vote(NW, "resolve", "Pause"), vote(HR, "resolve", "Yes")], open),
    ).toMatchObject({ outcome: "resolved", resolution: "Pause" });
    // 4 of 10 resolve, 4 abstain: the best case (6) misses 66 %.
    expect(
      decideRung(committee, partners, [vote(NW, "resolve", "Pause"), vote(HR, "abstain")], open),
    ).toMatchObject({
      outcome: "escalated",
    });
  });

  it("lets a small partner veto a critical resolution, recording its reason", () => {
    const verdict = decideRung(
      committee,
      partners,
      [
        vote(NW, "resolve", "Publish the dataset"),
        vote(HR, "resolve", "Yes"),
        vote(CC, "escalate", "Our routes are identifiable"),
      ],
      { critical: true, minorityVeto: veto, deadlinePassed: false },
    );
    expect(verdict).toMatchObject({
      outcome: "vetoed",
      vetoedBy: [{ partnerId: CC, reason: "Our routes are identifiable" }],
    });
    // Not critical: the same votes resolve it.
    expect(
      decideRung(
        committee,
        partners,
        [vote(NW, "resolve", "Publish"), vote(HR, "resolve", "Yes"), vote(CC, "escalate")],
        { critical: false, minorityVeto: veto, deadlinePassed: false },
      ).outcome,
    ).toBe("resolved");
    // Critical, the veto holder not yet heard: the resolution waits for it.
    expect(
      decideRung(committee, partners, [vote(NW, "resolve", "Publish"), vote(HR, "resolve", "Yes")], {
        critical: true,
        minorityVeto: veto,
        deadlinePassed: false,
      }).outcome,
    ).toBe("pending");
  });

  it("counts missed votes by the charter's rule once the deadline passed, and says the deadline moved it", () => {
    const verdict = decideRung(committee, partners, [vote(NW, "resolve", "Pause")], {
      critical: false,
      deadlinePassed: true,
    });
    expect(verdict.outcome).toBe("missed");
    expect(verdict.reason).toContain("no answer from Harbor & Rail Logistics, Clean Corridors Trust");
    // Missed votes counted as abstentions still let 8 of 10 resolve.
    expect(
      decideRung(committee, partners, [vote(NW, "resolve", "Pause"), vote(HR, "resolve", "Yes")], {
        critical: false,
        deadlinePassed: true,
      }).outcome,
    ).toBe("resolved");
  });

  it("lets the lead decide with its own words, and any participant settle it first", () => {
    expect(
      decideRung(
        { kind: "lead-decides", leadPartnerId: HR },
        partners,
        [vote(NW, "resolve", "A"), vote(HR, "resolve", "B")],
        open,
      ),
    ).toMatchObject({ outcome: "resolved", resolution: "B" });
    const any: RungDecision = { kind: "any-participant" };
    expect(
      decideRung(any, partners, [vote(CC, "abstain"), vote(HR, "escalate", "No progress")], open),
    ).toMatchObject({
      outcome: "escalated",
      reason: "Harbor & Rail Logistics escalated it: No progress",
    });
    expect(decideRung(any, partners, [vote(HR, "resolve", "Done")], open)).toMatchObject({
      outcome: "resolved",
      resolution: "Done",
    });
    expect(decideRung(any, partners, [], { critical: false, deadlinePassed: true }).outcome).toBe("missed");
  });

  it("counts only the partners asked, and misses a rung no one can decide instead of failing", () => {
    const stillIn = partners.filter((p) => p.id !== CC);
    // Clean Corridors answered, then left: its answer is not counted.
    expect(
      decideRung(
        { kind: "consensus" },
        stillIn,
        [vote(CC, "escalate", "x"), vote(NW, "resolve", "A"), vote(HR, "resolve", "B")],
        open,
      ),
    ).toMatchObject({ outcome: "resolved", resolution: "A" });
    expect(
      decideRung({ kind: "consensus" }, [], [], { critical: false, deadlinePassed: true }),
    ).toMatchObject({
      outcome: "missed",
      reason: "no partner has a participant at this rung; the deadline passed",
    });
    expect(
      decideRung({ kind: "lead-decides", leadPartnerId: CC }, stillIn, [vote(NW, "resolve", "A")], open)
        .outcome,
    ).toBe("pending");
  });
});
