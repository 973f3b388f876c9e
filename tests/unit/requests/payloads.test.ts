import { describe, expect, it } from "vitest";
import { parseWith } from "../../../functions/domain";
import { AskTaskSchema, RoundSchema, respondentOf } from "../../../functions/requests";

const round = {
  instance: "review-2027-03",
  charterVersion: 2,
  deadlineSeconds: 14 * 86_400,
  remindBeforeSeconds: 3 * 86_400,
  recipients: [
    { who: "lead", partnerId: "acme" },
    { who: "role", partnerId: "acme", role: "committee" },
    { who: "contact", partnerId: "bolt", email: "ada@bolt.example" },
  ],
};

describe("who is asked", () => {
  it("gives each kind of recipient its own respondent: the partner, the partner's role, one contact", () => {
    const parsed = RoundSchema.parse(round);
    expect(parsed.recipients.map(respondentOf)).toEqual(["acme", "acme.committee", "bolt.ada@bolt.example"]);
  });

  it("refuses a round that asks the same respondent twice, naming the recipient", () => {
    const result = parseWith(RoundSchema, {
      ...round,
      recipients: [...round.recipients, { who: "lead", partnerId: "acme" }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors).toEqual([{ path: "recipients[3]", message: "asks acme twice in one round" }]);
  });

  it("refuses an ask task of an unknown kind or without its token, naming the fields", () => {
    const result = parseWith(AskTaskSchema, {
      allianceId: "acme-bolt-1234",
      kind: "charter-vote",
      instance: "formation-v0001",
      charterVersion: 1,
      recipient: { who: "lead", partnerId: "acme" },
      deadlineSeconds: 86_400,
      remindBeforeSeconds: 0,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path).sort()).toEqual(["kind", "taskToken"]);
  });
});
