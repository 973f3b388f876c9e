import { describe, expect, it } from "vitest";
import { charterSummary } from "../../../functions/mail/charter-summary";
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
