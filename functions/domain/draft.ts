import * as z from "zod";
import { CharterSchema } from "./charter";
import { partnersNamedBy } from "./decision-rule";
import { OrganiserSchema, PartnerSchema } from "./partner";
import { expecting, multiLine, noRepeats, singleLine } from "./primitives";
import { type FieldError, parseWith } from "./validation";

/**
 * The largest draft body, in bytes of UTF-8 JSON, worth parsing: a stored alliance must fit DynamoDB's
 * 400 KB item with room for its state, so callers refuse a larger body before parsing it (256 KiB).
 */
export const MAX_DRAFT_BYTES = 256 * 1024;

/** Everything an admin writes to propose an alliance; formation validates, audits and puts it to the partners. */
export const AllianceDraftSchema = z
  .strictObject(
    {
      $schema: singleLine(1, 2000)
        .optional()
        .meta({ description: "Optional link to this JSON Schema, for editors" }),
      name: singleLine(3, 120).meta({ description: "The alliance's name" }),
      purpose: multiLine(10, 2000).meta({ description: "Why the alliance exists, in a sentence or two" }),
      organiser: OrganiserSchema.optional().meta({
        description:
          "Who runs the alliance: every email names them and replies reach them; they are told of approvals, " +
          "rejections, missed deadlines and failures. The audit requires one.",
      }),
      expectedDurationMonths: z
        .int({ error: expecting("a whole number of months") })
        .min(1, { error: "must be at least 1 month" })
        .max(600, { error: "must be at most 600 months" })
        .meta({ description: "Expected life in months; under 6 means light-touch mode" }),
      partners: z
        .array(PartnerSchema, { error: expecting("a list of partners") })
        .min(2, { error: "must list at least two partners (an alliance needs two or more)" })
        .max(50, { error: "must list at most 50 partners" })
        // Two partners with one name could not be told apart in a vote or an email.
        .superRefine(noRepeats("the partner name", { label: (partner) => partner.name, at: ["name"] }))
        .meta({ description: "The organisations in the alliance (at least two)" }),
      charter: CharterSchema.prefault({}),
      goals: z
        .array(singleLine(1, 300), { error: expecting("a list of goals") })
        .min(1, { error: "must list at least one goal" })
        .max(30, { error: "must list at most 30 goals" })
        .superRefine(noRepeats("the goal"))
        .meta({ description: "The alliance's shared goals" }),
    },
    { error: "The draft must be a JSON object" },
  )
  .superRefine((draft, ctx) => {
    const partnerIds = new Set<string>();
    draft.partners.forEach((partner, index) => {
      if (partnerIds.has(partner.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["partners", index, "id"],
          message: `repeats the partner id "${partner.id}"; ids must be unique in the alliance`,
        });
      }
      partnerIds.add(partner.id);
    });

    const emailOwners = new Map<string, string>();
    draft.partners.forEach((partner, p) => {
      partner.contacts.forEach((contact, c) => {
        const owner = emailOwners.get(contact.email);
        if (owner !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: ["partners", p, "contacts", c, "email"],
            message: `repeats ${contact.email}, already a contact of "${owner}"; each person is one contact`,
          });
        } else {
          emailOwners.set(contact.email, partner.id);
        }
      });
    });

    const requireKnownPartner = (id: string, path: PropertyKey[]) => {
      if (!partnerIds.has(id)) {
        ctx.addIssue({
          code: "custom",
          path,
          message: `names "${id}", which is not a partner in this draft (partners: ${[...partnerIds].join(", ")})`,
        });
      }
    };
    const { charter } = draft;
    for (const [decisionClass, classRule] of Object.entries(charter.decisionRules ?? {})) {
      for (const id of partnersNamedBy(classRule.rule)) {
        requireKnownPartner(id, ["charter", "decisionRules", decisionClass, "rule", "leadPartnerId"]);
      }
    }
    charter.escalation?.rungs.forEach((rung, index) => {
      for (const id of rung.decision.kind === "any-participant" ? [] : partnersNamedBy(rung.decision)) {
        requireKnownPartner(id, ["charter", "escalation", "rungs", index, "decision", "leadPartnerId"]);
      }
    });
    for (const id of partnersNamedBy(charter.approval.rule)) {
      requireKnownPartner(id, ["charter", "approval", "rule", "leadPartnerId"]);
    }
    charter.exitTerms?.sharedAssets.forEach((asset, a) => {
      asset.owners.forEach((id, o) => {
        requireKnownPartner(id, ["charter", "exitTerms", "sharedAssets", a, "owners", o]);
      });
    });
    if (charter.escalationContact !== undefined && !emailOwners.has(charter.escalationContact)) {
      ctx.addIssue({
        code: "custom",
        path: ["charter", "escalationContact"],
        message: `${charter.escalationContact} is not a contact of any partner in this draft`,
      });
    }
  })
  .meta({
    title: "Concord alliance draft",
    description:
      "A proposed alliance: partners, governance charter and goals. Concord validates and audits it.",
  });

/** A parsed draft, defaults applied (what workflows carry). */
export type AllianceDraft = z.infer<typeof AllianceDraftSchema>;
/** A draft as written by an admin (JSON before defaults). */
export type AllianceDraftInput = z.input<typeof AllianceDraftSchema>;

/** The outcome of parseDraft. */
export type ParseDraftResult = { ok: true; draft: AllianceDraft } | { ok: false; errors: FieldError[] };

/**
 * Validate an alliance draft from JSON. On failure, every problem is listed with the field's path
 * ("partners[1].contacts[0].email") and a message a person can act on.
 */
export function parseDraft(input: unknown): ParseDraftResult {
  const result = parseWith(AllianceDraftSchema, input);
  if (!result.ok) return result;
  const { $schema: _editorHint, ...draft } = result.value;
  return { ok: true, draft };
}
