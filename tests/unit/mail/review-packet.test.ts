import { describe, expect, it } from "vitest";
import { reviewPacketHtml, reviewPacketText } from "../../../functions/mail/review-packet";

const packet = {
  since: "2026-03-01T10:00:00Z",
  balances: [
    { partnerName: "Acme", balance: 2 },
    { partnerName: "Bolt & Co", balance: -1 },
  ],
  ledger: [
    { at: "2026-03-10T10:00:00Z", partnerName: "Bolt & Co", points: -1, kind: "missed", note: "<late>" },
  ],
  ledgerOmitted: 3,
  checkIns: [
    { closedAt: "2026-04-01T10:00:00Z", average: 2.333, answered: 3, asked: 3 },
    { closedAt: "2026-05-01T10:00:00Z", answered: 0, asked: 3 },
  ],
};

describe("the review packet", () => {
  it("says balances, the ledger and the check-ins since the last review in plain words", () => {
    const text = reviewPacketText(packet);
    expect(text).toContain("Trust balances:\n  - Acme: +2\n  - Bolt & Co: -1");
    expect(text).toMatch(/Trust ledger since .*2026/);
    expect(text).toContain("(3 earlier entries not shown)");
    expect(text).toContain("Bolt & Co -1 (missed): <late>");
    expect(text).toContain("average 2.33/5 (3 of 3 partners)");
    expect(text).toContain("no partner answered");
  });

  it("says so when there is nothing to list, and escapes what partners typed in HTML", () => {
    const empty = reviewPacketText({ balances: [], ledger: [], ledgerOmitted: 0, checkIns: [] });
    expect(empty).toContain("No deposits or withdrawals.");
    expect(empty).toContain("No check-ins closed.");
    expect(String(reviewPacketHtml(packet))).toContain("&lt;late&gt;");
  });
});
