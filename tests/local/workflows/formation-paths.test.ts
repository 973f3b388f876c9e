import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FormationStates as S } from "../../../workflows/formation";
import {
  eventsOf,
  type FormationAssembly,
  type FormationHarness,
  RequestKinds,
  startFormationHarness,
  synthesizeFormation,
  times,
} from "./harness";

let assembly: FormationAssembly;
let h: FormationHarness;

beforeAll(async () => {
  assembly = await synthesizeFormation();
});

beforeEach(async () => {
  h = await startFormationHarness(assembly);
});

afterEach(async () => {
  await h.dispose();
});

describe("formation paths", () => {
  it("returns a draft whose charter fails the audit without asking any partner", async () => {
    const run = await h.startFormation({ auditPasses: false });

    const done = await run.finished();

    expect(done.status).toBe("SUCCEEDED");
    expect(await run.statesEntered()).toEqual([S.prepare, S.charterComplete, S.auditFailed, S.returned]);
    expect(h.calls("request")).toEqual([]);
    expect(h.calls("returnToDraft")).toHaveLength(1);
  });

  it("takes a light-touch alliance straight to the approval round and activates it once approved", async () => {
    const partners = ["acme", "globex"];
    const run = await h.startFormation({ mode: "light-touch", partners, outcome: "approved" });

    const done = await run.finished();

    expect(done.status).toBe("SUCCEEDED");
    expect(await run.statesEntered()).toEqual([
      S.prepare,
      S.charterComplete,
      S.lightTouch,
      S.approvalRound,
      ...times(partners.length, S.requestApproval),
      S.tally,
      S.approved,
      S.activate,
      S.active,
    ]);
    expect(h.calls("request").map((call) => call.about)).toEqual(
      partners.map((partnerId) => ({ partnerId, kind: RequestKinds.charterApproval })),
    );
    expect(h.calls("activate")).toHaveLength(1);
  });

  it("collects every partner's interest map before the approval round, then activates the alliance", async () => {
    const partners = ["acme", "globex", "initech"];
    const run = await h.startFormation({ mode: "full", partners, outcome: "approved" });

    const done = await run.finished();

    expect(done.status).toBe("SUCCEEDED");
    expect(await run.statesEntered()).toEqual([
      S.prepare,
      S.charterComplete,
      S.lightTouch,
      S.collectInterestMaps,
      ...times(partners.length, S.requestInterestMap),
      S.approvalRound,
      ...times(partners.length, S.requestApproval),
      S.tally,
      S.approved,
      S.activate,
      S.active,
    ]);
    expect(h.calls("request").filter((call) => call.answered)).toHaveLength(2 * partners.length);
    expect(h.calls("missed")).toEqual([]);
    expect(h.calls("activate")).toHaveLength(1);
  });

  it("returns the draft with comments when the approval round rejects the charter", async () => {
    const partners = ["acme", "globex", "initech"];
    const run = await h.startFormation({ mode: "full", partners, outcome: "rejected" });

    const done = await run.finished();

    expect(done.status).toBe("SUCCEEDED");
    expect(await run.statesEntered()).toEqual([
      S.prepare,
      S.charterComplete,
      S.lightTouch,
      S.collectInterestMaps,
      ...times(partners.length, S.requestInterestMap),
      S.approvalRound,
      ...times(partners.length, S.requestApproval),
      S.tally,
      S.approved,
      S.rejected,
      S.returned,
    ]);
    expect(h.calls("activate")).toEqual([]);
    expect(h.calls("returnToDraft")).toHaveLength(1);
  });

  it.each([
    {
      round: "interest map",
      kind: RequestKinds.interestMap,
      round1Missed: [S.interestMapMissed],
      round2Missed: [],
    },
    {
      round: "charter approval",
      kind: RequestKinds.charterApproval,
      round1Missed: [],
      round2Missed: [S.approvalMissed],
    },
  ])(
    "records a missed $round deadline for the silent partner only and carries on with the others' answers",
    async ({ kind, round1Missed, round2Missed }) => {
      const partners = ["acme", "globex", "initech"];
      const silentPartner = "globex";
      const run = await h.startFormation({
        mode: "full",
        partners,
        outcome: "approved",
        silent: [{ partnerId: silentPartner, kind }],
      });

      await h.onlySilentPartnersWaiting(kind);
      h.passDeadline();
      const done = await run.finished();

      expect(done.status).toBe("SUCCEEDED");
      expect(await run.statesEntered()).toEqual([
        S.prepare,
        S.charterComplete,
        S.lightTouch,
        S.collectInterestMaps,
        ...times(partners.length, S.requestInterestMap),
        ...round1Missed,
        S.approvalRound,
        ...times(partners.length, S.requestApproval),
        ...round2Missed,
        S.tally,
        S.approved,
        S.activate,
        S.active,
      ]);
      expect(h.calls("missed").map((call) => call.about)).toEqual([{ partnerId: silentPartner, kind }]);
      expect(eventsOf(await run.history(), "TaskTimedOut")).toHaveLength(1);
      expect(h.calls("tally")).toHaveLength(1);
    },
  );
});
