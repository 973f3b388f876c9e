import * as z from "zod";
import type { AllianceDraft } from "./draft";
import { ContactSchema } from "./partner";
import { EmailSchema, SlugSchema } from "./primitives";

/**
 * An admin's change to a partner's contact list after the draft was submitted: one person replaced by
 * another (same role unless given). Recorded on the alliance, in order, and applied over every charter
 * version's contacts, so the charter itself stays as the partners approved it.
 */
export const ContactReplacementSchema = z.strictObject({
  partnerId: SlugSchema,
  replace: EmailSchema.meta({ description: "The email of the contact who is replaced" }),
  with: ContactSchema.partial({ role: true }),
});
export type ContactReplacement = z.infer<typeof ContactReplacementSchema>;

/** A replacement as recorded: when and by whom. */
export interface ContactAmendment extends ContactReplacement {
  at: string;
  by: string;
}

/** Why a replacement cannot apply to this alliance (unknown partner or contact, or a duplicate address). */
export class ContactReplacementError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "ContactReplacementError";
  }
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The draft with one replacement applied; throws ContactReplacementError naming the field when it cannot apply. */
export function replaceContact(draft: AllianceDraft, change: ContactReplacement): AllianceDraft {
  const partner = draft.partners.find((p) => p.id === change.partnerId);
  if (!partner)
    throw new ContactReplacementError("partnerId", `no partner "${change.partnerId}" in this alliance`);
  const old = partner.contacts.find((c) => same(c.email, change.replace));
  if (!old) {
    throw new ContactReplacementError(
      "replace",
      `${change.replace} is not a contact of ${partner.name} (contacts: ${partner.contacts.map((c) => c.email).join(", ")})`,
    );
  }
  const taken = draft.partners.some((p) => p.contacts.some((c) => same(c.email, change.with.email)));
  if (taken)
    throw new ContactReplacementError(
      "with.email",
      `${change.with.email} is already a contact in this alliance`,
    );
  const next = { name: change.with.name, email: change.with.email, role: change.with.role ?? old.role };
  const leadsLeft = partner.contacts.filter((c) => c !== old && c.role === "lead").length;
  if (old.role === "lead" && next.role !== "lead" && leadsLeft === 0) {
    throw new ContactReplacementError(
      "with.role",
      `${old.name} is ${partner.name}'s only lead; the replacement must be a lead too (or add another lead first)`,
    );
  }
  return {
    ...draft,
    partners: draft.partners.map((p) =>
      p.id === partner.id ? { ...p, contacts: p.contacts.map((c) => (c === old ? next : c)) } : p,
    ),
  };
}

/** The draft with every recorded amendment applied in order; one that no longer applies is skipped. */
export function withContactAmendments(
  draft: AllianceDraft,
  amendments: readonly ContactReplacement[] | undefined,
): AllianceDraft {
  let current = draft;
  for (const amendment of amendments ?? []) {
    try {
      current = replaceContact(current, amendment);
    } catch (error) {
      if (!(error instanceof ContactReplacementError)) throw error;
    }
  }
  return current;
}
