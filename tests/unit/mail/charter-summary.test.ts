import { describe, expect, it } from "vitest";
import { charterChanges, charterSummary } from "../../../functions/mail/charter-summary";
import { draftOf, fullDraftInput, HOSTILE, lightDraftInput } from "./fixtures";

function section(summary: ReturnType<typeof charterSummary>, title: string): string[] {
  const found = summary.sections.find((candidate) => candidate.title === title);
  if (found === undefined) throw new Error(`no section "${title}"`);
  return found.lines;
}

describe("charterSummary", () => {
  const summary = charterSummary(draftOf(fullDraftInput));

  it("states each decision class's rule in words", () => {
    expect(section(summary, "Decision rules")).toEqual([
      "strategy — consensus of all partners (critical: the minority veto applies)",
      "execution — the lead partner (Acme Freight) decides",
      "budget — weighted majority, 66% of voting weight",
      "go to market — consensus of all partners",
      "anything else (membership) — consensus of all partners",
    ]);
  });

  it("names the minority veto holders and the critical classes", () => {
    expect(section(summary, "Minority protection").join("\n")).toMatch(/small partner.*Bolt Couriers/);
    expect(section(summary, "Minority protection")).toContain("Critical decisions: strategy.");
  });

  it("lists the escalation rungs with their deadlines and what follows the last one", () => {
    const lines = section(summary, "Escalation");
    expect(lines[0]).toContain("Operational leads");
    expect(lines[0]).toContain("7 days");
    expect(lines[1]).toContain("Executive sponsors");
    expect(lines[1]).toContain("14 days");
    expect(lines).toContain("If the last rung does not resolve it, the exit plan is invoked.");
  });

  it("covers review cadence, exit terms and force majeure", () => {
    expect(section(summary, "Reviews")[0]).toContain("every 3 months (quarterly)");
    const exit = section(summary, "Exit terms").join("\n");
    expect(exit).toContain("Notice period: 90 days");
    expect(exit).toContain('"Booking portal" (owned by Acme Freight, Bolt Couriers): one partner keeps it');
    expect(exit).toContain('"Shipper list" (owned by Bolt Couriers): returns to whoever contributed it');
    expect(exit).toContain("non-disparagement clause");
    expect(section(summary, "Force majeure").join("\n")).toContain("port closures");
    expect(summary.mode).toBe("full");
  });

  it("gives the same lines as text and as HTML", () => {
    for (const line of section(summary, "Decision rules")) {
      expect(summary.text).toContain(`  - ${line}`);
    }
    expect(summary.html).toContain("<li");
    expect(summary.html).toContain("execution — the lead partner (Acme Freight) decides");
  });

  it("says when the alliance is in light-touch mode", () => {
    const light = charterSummary(draftOf(lightDraftInput));
    expect(light.mode).toBe("light-touch");
    expect(light.text).toContain("Light-touch mode: a one-page agreement");
    expect(section(light, "Escalation")).toEqual(["Disputes go to Nia of North Bakery (nia@north.example)."]);
  });

  it("escapes hostile names in the HTML form", () => {
    const hostile = charterSummary(
      draftOf({
        ...fullDraftInput,
        partners: fullDraftInput.partners.map((partner, index) =>
          index === 0 ? { ...partner, name: HOSTILE } : partner,
        ),
      }),
    );
    expect(hostile.html).not.toContain("<script");
    expect(hostile.html).toContain("&lt;script&gt;");
  });
});

describe("charterChanges", () => {
  const before = draftOf(fullDraftInput);
  const revise = (change: (draft: typeof fullDraftInput) => void) => {
    const input = structuredClone(fullDraftInput);
    change(input);
    return charterChanges(before, draftOf(input));
  };

  it("finds nothing between a version and itself", () => {
    expect(charterChanges(before, draftOf(fullDraftInput))).toEqual([]);
  });

  it("pairs a changed term with what it was: the notice period, a decision rule, a partner's weight", () => {
    const changes = revise((draft) => {
      const charter = draft.charter ?? {};
      charter.exitTerms = { ...charter.exitTerms, noticePeriodDays: 30 };
      charter.decisionRules = { ...charter.decisionRules, budget: { rule: { kind: "consensus" } } };
      draft.charter = charter;
      const bolt = draft.partners[1];
      if (bolt) bolt.votingWeight = 2;
    });
    expect(changes).toEqual(
      expect.arrayContaining([
        {
          section: "Exit terms",
          before: "Notice period: 90 days between an exit notice and the exit taking effect.",
          after: "Notice period: 30 days between an exit notice and the exit taking effect.",
        },
        {
          section: "Decision rules",
          before: "budget — weighted majority, 66% of voting weight",
          after: "budget — consensus of all partners",
        },
        {
          section: "Partners",
          before: "Bolt Couriers (small, voting weight 1)",
          after: "Bolt Couriers (small, voting weight 2)",
        },
      ]),
    );
  });

  it("says what was added and removed: goals, partners and their contacts, the purpose", () => {
    const changes = revise((draft) => {
      draft.goals = ["One booking portal for shippers", "Shared cold storage", "Electric vans by 2028"];
      draft.purpose = "Share last-mile capacity and cold storage.";
      draft.partners[1]?.contacts.push({
        name: "Cy Coordinator",
        email: "cy@bolt.example",
        role: "committee",
      });
    });
    expect(changes).toContainEqual({ section: "Goals", before: "Cut empty truck runs by 30%" });
    expect(changes).toContainEqual({ section: "Goals", after: "Shared cold storage" });
    expect(changes).toContainEqual({ section: "Goals", after: "Electric vans by 2028" });
    expect(changes).toContainEqual({
      section: "Alliance",
      before: "Purpose: Share last-mile delivery capacity across the harbour district.",
      after: "Purpose: Share last-mile capacity and cold storage.",
    });
    expect(changes).toContainEqual({
      section: "Contacts",
      after: "Bolt Couriers, committee: Cy Coordinator (cy@bolt.example)",
    });
  });

  it("pairs a goal reworded on its own as one change", () => {
    const changes = revise((draft) => {
      draft.goals = ["Cut empty truck runs by 40%", "One booking portal for shippers"];
    });
    expect(changes).toEqual([
      { section: "Goals", before: "Cut empty truck runs by 30%", after: "Cut empty truck runs by 40%" },
    ]);
  });
});
