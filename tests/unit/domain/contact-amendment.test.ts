import { describe, expect, it } from "vitest";
import { ContactReplacementError, replaceContact, withContactAmendments } from "../../../functions/domain";
import { draftOf, fullDraftInput } from "../mail/fixtures";

const draft = draftOf(fullDraftInput);
const partner = draft.partners[0];
const lead = partner?.contacts.find((c) => c.role === "lead");
if (!partner || !lead) throw new Error("fixture partner without a lead");
const lena = { name: "Lena Park", email: "lena.park@example.com" };

function refusal(change: Parameters<typeof replaceContact>[1]) {
  try {
    replaceContact(draft, change);
  } catch (error) {
    if (error instanceof ContactReplacementError) return { field: error.field, message: error.message };
    throw error;
  }
  return undefined;
}

describe("replacing a contact", () => {
  it("puts the new person in the old one's place, keeping the role", () => {
    const next = replaceContact(draft, {
      partnerId: partner.id,
      replace: lead.email.toUpperCase(),
      with: lena,
    });
    const contacts = next.partners[0]?.contacts ?? [];
    expect(contacts.map((c) => c.email)).toContain(lena.email);
    expect(contacts.map((c) => c.email)).not.toContain(lead.email);
    expect(contacts.find((c) => c.email === lena.email)?.role).toBe("lead");
    expect(draft.partners[0]?.contacts.map((c) => c.email)).toContain(lead.email);
  });

  it("names the field that makes a replacement impossible", () => {
    expect(refusal({ partnerId: "nobody", replace: lead.email, with: lena })?.field).toBe("partnerId");
    expect(refusal({ partnerId: partner.id, replace: "x@example.com", with: lena })?.field).toBe("replace");
    const taken = draft.partners[1]?.contacts[0]?.email ?? "";
    expect(
      refusal({ partnerId: partner.id, replace: lead.email, with: { ...lena, email: taken } })?.field,
    ).toBe("with.email");
  });

  it("never leaves a partner without a lead", () => {
    expect(partner.contacts.filter((c) => c.role === "lead")).toHaveLength(1);
    const result = refusal({
      partnerId: partner.id,
      replace: lead.email,
      with: { ...lena, role: "sponsor" },
    });
    expect(result?.field).toBe("with.role");
    expect(result?.message).toMatch(/only lead/);
  });

  it("applies recorded amendments in order and skips one that no longer applies", () => {
    const amended = withContactAmendments(draft, [
      { partnerId: partner.id, replace: lead.email, with: lena },
      { partnerId: partner.id, replace: lead.email, with: { name: "Late", email: "late@example.com" } },
    ]);
    const emails = amended.partners[0]?.contacts.map((c) => c.email) ?? [];
    expect(emails).toContain(lena.email);
    expect(emails).not.toContain("late@example.com");
  });
});
