import { AllianceNotFoundError, loadDraft } from "../alliance/load";
import { type AllianceDraft, type Contact, type Partner, withContactAmendments } from "../domain";
import type { AllianceRecord, RequestRecord } from "../store";
import type { Recipient } from "./payloads";
import { requestKind } from "./registry";

/** The system actor of the request engine on the timeline. */
export const ENGINE = { kind: "system", id: "requests" } as const;

/** The hourly sweep (reminders, stranded decisions) on the timeline. */
export const SWEEP = { kind: "system", id: "reminders" } as const;

/** A round asks a partner for a decision nobody at the partner can give (no contact with that role or email). */
export class NoContactToAskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoContactToAskError";
  }
}

/** The partner a request or recipient is for, in the request's charter version. */
export function partnerIn(draft: AllianceDraft, partnerId: string): Partner {
  const partner = draft.partners.find((p) => p.id === partnerId);
  if (!partner) throw new AllianceNotFoundError(`partner ${partnerId} is not in this charter version`);
  return partner;
}

/**
 * The contacts asked for one decision: the partner's lead (its first lead, else its first contact), every
 * contact with a role, or one named contact. Never empty: asking nobody is an error the workflow sees.
 */
export function contactsFor(
  draft: AllianceDraft,
  recipient: Recipient,
): { partner: Partner; contacts: Contact[] } {
  const partner = partnerIn(draft, recipient.partnerId);
  const contacts =
    recipient.who === "lead"
      ? [partner.contacts.find((c) => c.role === "lead") ?? partner.contacts[0]].filter(
          (c): c is Contact => c !== undefined,
        )
      : recipient.who === "role"
        ? partner.contacts.filter((c) => c.role === recipient.role)
        : partner.contacts.filter((c) => c.email.toLowerCase() === recipient.email.toLowerCase());
  if (contacts.length === 0) {
    const whom =
      recipient.who === "contact" ? recipient.email : recipient.who === "role" ? recipient.role : "lead";
    throw new NoContactToAskError(`partner ${partner.id} has no contact to ask (${whom})`);
  }
  return { partner, contacts };
}

/** What a request's page and emails need: the draft of its charter version (contacts as amended) and its partner. */
export async function requestContext(
  request: RequestRecord,
  alliance?: Pick<AllianceRecord, "contactAmendments">,
  /** Whether to load what the kind shows besides the charter (a page or email needs it; recording a POST not). */
  options: { packet: boolean } = { packet: true },
) {
  const draft = withContactAmendments(
    await loadDraft(request.allianceId, request.charterVersion),
    alliance?.contactAmendments,
  );
  const partner = partnerIn(draft, request.partnerId);
  const packet = options.packet ? await requestKind(request.kind).loadPacket?.(request) : undefined;
  return {
    draft,
    partner,
    contact: { name: request.contactName, email: request.contactEmail },
    deadline: request.deadline,
    ...(packet !== undefined ? { packet } : {}),
  };
}
