import { describe, expect, it } from "vitest";
import { readConcernForm } from "../../../functions/pages/form-input";
import { concernForm } from "../../../functions/pages/forms";
import { concernLinkClosed, concernRaised, concernRefused } from "../../../functions/pages/results";
import { HOSTILE } from "../mail/fixtures";
import { formsIn, hiddenValue } from "./helpers";

const base = {
  allianceName: "Harbour Logistics Alliance",
  partnerName: "Acme Freight",
  contactName: "Ada Lead",
  secret: "c2VjcmV0LXNlY3JldA",
  partners: [
    { id: "acme", name: "Acme Freight" },
    { id: "bolt", name: "Bolt Logistics" },
  ],
  ownPartnerId: "acme",
  forceMajeure: false,
  rungs: ["Operational leads: lead contacts decide by consensus, within 7 days"],
};

describe("the raise-a-concern page", () => {
  it("offers every partner still in, marks the raiser's own, and carries the secret in its one form", () => {
    const { statusCode, html } = concernForm(base);
    expect(statusCode).toBe(200);
    const forms = formsIn(html);
    expect(forms).toHaveLength(1);
    expect(hiddenValue(forms[0] ?? "", "s")).toBe(base.secret);
    expect(html).toContain('value="bolt"> Bolt Logistics</label>');
    expect(html).toContain("Acme Freight (your organisation)");
    expect(html).toContain("Operational leads: lead contacts decide by consensus, within 7 days");
    expect(html).not.toMatch(/<script|javascript:|\bon[a-z]+="/i);
  });

  it("speaks of a light-touch alliance's one-page agreement, not a charter", () => {
    const light = concernForm({ ...base, mode: "light-touch" }).html;
    expect(light).toContain("where the one-page agreement says so");
    expect(light).not.toMatch(/\bcharter\b/);
  });

  it("offers force majeure only when the charter has the clause", () => {
    expect(concernForm(base).html).not.toContain('value="force-majeure"');
    expect(concernForm({ ...base, forceMajeure: true }).html).toContain('value="force-majeure"');
  });

  it("re-renders with 400, each field's problem, and what was typed, escaped", () => {
    const { statusCode, html } = concernForm({
      ...base,
      errors: [
        { path: "subject", message: "must not be empty" },
        { path: "partnerIds[1]", message: 'no partner "zed" in this alliance' },
      ],
      values: { description: HOSTILE, kind: "dispute", partnerIds: "bolt" },
    });
    expect(statusCode).toBe(400);
    expect(html).toContain("Must not be empty");
    expect(html).toContain('Item 2 no partner "zed" in this alliance'.replace(/"/g, "&quot;"));
    expect(html).toContain('value="dispute" required checked');
    expect(html).toContain('value="bolt" checked');
    expect(html).not.toContain(HOSTILE);
  });

  it("reads every ticked partner, the kind and whether it is critical from the POST", () => {
    const read = readConcernForm(
      "s=abc&subject=+Late+lanes+&description=Three+weeks&kind=free-rider&partnerIds=bolt&partnerIds=cora&critical=yes",
    );
    expect(read.secret).toBe("abc");
    expect(read.concern).toEqual({
      subject: "Late lanes",
      description: "Three weeks",
      kind: "free-rider",
      partnerIds: ["bolt", "cora"],
      critical: true,
    });
    expect(readConcernForm("s=abc&subject=x").concern).toMatchObject({ partnerIds: [], critical: false });
  });

  it("answers 201 when raised, 409 when refused, 410 when the link is closed", () => {
    expect(
      concernRaised({
        allianceName: "H",
        subject: "Late lanes",
        escalationId: "escalation-h-0001",
        firstRung: "Operational leads",
      }).statusCode,
    ).toBe(201);
    expect(concernRefused({ allianceName: "H", reason: "one is open" }).statusCode).toBe(409);
    expect(concernLinkClosed({ reason: "it expired" }).statusCode).toBe(410);
  });
});
