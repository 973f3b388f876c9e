import * as z from "zod";
import { EmailSchema, expecting, SlugSchema, singleLine } from "./primitives";

/** What a contact does for their partner: leads day to day, sits on the steering committee, or sponsors. */
export const ContactRoleSchema = z
  .enum(["lead", "committee", "sponsor"], { error: expecting('one of "lead", "committee", "sponsor"') })
  .meta({
    description:
      "lead: day-to-day owner and first escalation rung; committee: steering committee member; sponsor: executive sponsor (last rung)",
  });
export type ContactRole = z.infer<typeof ContactRoleSchema>;

/** Size class drives minority protection: small partners may hold a veto on critical decisions. */
export const SizeClassSchema = z
  .enum(["small", "medium", "large"], { error: expecting('one of "small", "medium", "large"') })
  .meta({ description: "Organisation size; decides who holds the minority veto" });
export type SizeClass = z.infer<typeof SizeClassSchema>;

/** A person who receives mail and decision links on a partner's behalf. */
export const ContactSchema = z
  .strictObject(
    {
      name: singleLine(1, 120).meta({ description: "Full name" }),
      email: EmailSchema,
      role: ContactRoleSchema,
    },
    { error: expecting("an object with name, email and role") },
  )
  .meta({ title: "Contact" });
export type Contact = z.infer<typeof ContactSchema>;

/** Who runs the alliance for the partners: emails name them and replies reach them; they hear of every problem. */
export const OrganiserSchema = z
  .strictObject(
    {
      name: singleLine(1, 120).meta({ description: "Full name" }),
      email: EmailSchema,
      organisation: singleLine(1, 120).meta({ description: "The organisation they work for" }),
    },
    { error: expecting("an object with name, email and organisation") },
  )
  .meta({ title: "Organiser" });
export type Organiser = z.infer<typeof OrganiserSchema>;

/** An organisation in the alliance. */
export const PartnerSchema = z
  .strictObject(
    {
      id: SlugSchema.meta({ description: 'Short id, unique in the alliance (e.g. "clean-corridors")' }),
      name: singleLine(1, 120).meta({ description: "Organisation name, unique in the alliance" }),
      sizeClass: SizeClassSchema,
      votingWeight: z
        .number({ error: expecting("a number") })
        .positive({ error: "must be greater than 0" })
        .max(1000, { error: "must be at most 1000" })
        .meta({ description: "Weight in weighted-majority votes (relative to the other partners)" }),
      contacts: z
        .array(ContactSchema, { error: expecting("a list of contacts") })
        .min(1, { error: "must list at least one contact" })
        .max(20, { error: "must list at most 20 contacts" })
        .superRefine((contacts, ctx) => {
          if (!contacts.some((contact) => contact.role === "lead")) {
            ctx.addIssue({ code: "custom", message: 'needs at least one contact with role "lead"' });
          }
        })
        .meta({ description: 'People at this partner; at least one has the role "lead"' }),
    },
    { error: expecting("an object describing a partner") },
  )
  .meta({ title: "Partner" });
export type Partner = z.infer<typeof PartnerSchema>;

/** Every contact across the partners (unique by email once a draft has parsed). */
export function allContacts(partners: readonly Partner[]): (Contact & { partnerId: string })[] {
  return partners.flatMap((partner) =>
    partner.contacts.map((contact) => ({ ...contact, partnerId: partner.id })),
  );
}
