import type { AllianceDraft } from "../domain";
import { issueConcernLinks } from "../links/links";
import { nowIso } from "../shared/time";
import {
  type Actor,
  type AllianceRecord,
  appendTimelineEvents,
  hasMarker,
  markAllianceOnce,
  type TimelineEvent,
} from "../store";
import { type Email, withFooterLine } from "./layout";
import { sendEmail } from "./send";
import { concernFooterLine, organiserFooterLine } from "./templates";

/** One email as the templates render it. */
export type Message = Email;

/** What of an alliance's draft its emails need: its name (the sender's), organiser and partners' contacts. */
export type MailingDraft = Pick<AllianceDraft, "name" | "organiser" | "partners">;

/** The alliance an email is sent for. */
export interface MailingAlliance {
  id: string;
  draft: MailingDraft;
}

/** How an email goes out. */
export interface SendOptions {
  /** Whether partners' copies may carry a "raise a concern" link (default true; false while the alliance forms). */
  concernLinks?: boolean;
  /** Partners whose contacts get no concern link (one that has left: its link could only say it is closed). */
  noConcernLinkFor?: readonly string[];
}

/**
 * Sends an email to each recipient separately (a personal message, and no one's address exposed to the
 * others) and writes every send on the alliance timeline (emails are part of the alliance's memory), in one
 * write after the sends. A failed send stops there: what was sent is still recorded, and the error surfaces.
 * Every email goes in the alliance's name with its organiser as Reply-To and named under the footer; in an ACTIVE
 * alliance each partner contact's copy also carries their own "raise a concern" link.
 */
export async function notify(
  alliance: MailingAlliance,
  to: string[],
  message: Message,
  actor: Actor,
  options: SendOptions = {},
): Promise<void> {
  const recipients = [...new Set(to)];
  const links = await concernLinksFor(alliance, recipients, options);
  const sent: TimelineEvent[] = [];
  try {
    for (const recipient of recipients) sent.push(await deliver(alliance, recipient, message, links, actor));
  } finally {
    await appendTimelineEvents(alliance.id, sent);
  }
}

/**
 * Sends one email as notify does and returns its timeline entry for the caller to write together with its own
 * change (one write instead of two); the caller must write it.
 */
export async function sendOne(
  alliance: MailingAlliance,
  recipient: string,
  message: Message,
  actor: Actor,
  options: SendOptions = {},
): Promise<TimelineEvent> {
  const links = await concernLinksFor(alliance, [recipient], options);
  return deliver(alliance, recipient, message, links, actor);
}

// Only partners' contacts get a concern link: never the admin or an organiser outside the partners.
async function concernLinksFor(
  alliance: MailingAlliance,
  recipients: readonly string[],
  options: SendOptions,
): Promise<ReadonlyMap<string, string>> {
  if (options.concernLinks === false) return new Map();
  const left = new Set(options.noConcernLinkFor ?? []);
  const contacts = new Set(
    alliance.draft.partners
      .filter((p) => !left.has(p.id))
      .flatMap((p) => p.contacts.map((c) => c.email.toLowerCase())),
  );
  return issueConcernLinks(
    alliance.id,
    recipients.filter((recipient) => contacts.has(recipient.toLowerCase())),
  );
}

async function deliver(
  alliance: MailingAlliance,
  recipient: string,
  message: Message,
  concernLinks: ReadonlyMap<string, string>,
  actor: Actor,
): Promise<TimelineEvent> {
  const { organiser, name } = alliance.draft;
  const link = concernLinks.get(recipient);
  let email = organiser ? withFooterLine(message, organiserFooterLine(organiser)) : message;
  if (link !== undefined) email = withFooterLine(email, concernFooterLine(link));
  const messageId = await sendEmail({
    to: [recipient],
    subject: email.subject,
    text: email.text,
    html: email.html,
    senderName: `${name} via Concord`,
    ...(organiser ? { replyTo: organiser.email } : {}),
  });
  return {
    at: nowIso(),
    type: "email.sent",
    summary: `Emailed "${message.subject}" to ${recipient}`,
    actor,
    data: { to: recipient, subject: message.subject, messageId },
  };
}

/** The alliance marker that makes one email of a workflow instance go out once: onceMarker("exitNotice", exitId). */
export function onceMarker(what: string, id: string): string {
  return `${what}_${id.replace(/-/g, "_")}`;
}

/**
 * Sends `message` as notify does, once per `marker` on the alliance record (a retried task finds it set and sends
 * nothing). The marker is set after the sends: a crash in between sends again rather than never. False when sent
 * already.
 */
export async function notifyOnce(
  alliance: AllianceRecord,
  draft: MailingDraft,
  marker: string,
  to: string[],
  message: Message,
  actor: Actor,
  options: SendOptions = {},
): Promise<boolean> {
  if (hasMarker(alliance, marker)) return false;
  await notify({ id: alliance.id, draft }, to, message, actor, options);
  await markAllianceOnce(alliance.id, marker, nowIso());
  return true;
}
