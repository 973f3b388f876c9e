import { describe, expect, it } from "vitest";
import { requestKind } from "../../../functions/requests";
import { draftOf, fullDraftInput, lightDraftInput } from "../mail/fixtures";

// What silence counts as is told to the partner that missed a deadline, in the words of the alliance's own rules.
describe("the missed-deadline sentence", () => {
  it("names a light-touch alliance's one-page agreement and a full alliance's charter", () => {
    const light = requestKind("charter-approval").silence(draftOf(lightDraftInput), "South Dairy");
    expect(light.consequence).toBe(
      "As the one-page agreement says, South Dairy's missing vote counts as an abstention.",
    );
    const full = requestKind("review").silence(draftOf(fullDraftInput), "Bolt Couriers");
    expect(full.consequence).toMatch(
      /^As the charter says, Bolt Couriers's missing review answer counts as /,
    );
  });
});
