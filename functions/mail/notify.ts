import { issueConcernLinks } from "../links/links";
import { config } from "../shared/config";
import { nowIso } from "../shared/time";
import {
  type Actor,
  type AllianceRecord,
  appendTimelineEvents,
  hasMarker,
  markAllianceOnce,
  type TimelineEvent,
} from "../store";
import { withFooterLine } from "./layout";
import { sendEmail } from "./send";
import { concernFooterLine } from "./templates";

/** One email as the templates render it. */
export interface Message {
  subject: string;
  text: string;
  html: string;
}

/**
 * Sends an email to each recipient separately (a personal message, and no one's address exposed to the
 * others) and writes every send on the alliance timeline (emails are part of the alliance's memory), in one
 * write after the sends. A failed send stops there: what was sent is still recorded, and the error surfaces.
 * In an ACTIVE alliance each partner's copy carries their own "raise a concern" link under the footer.
 */
export async function notify(
  allianceId: string,
  to: string[],
  message: Message,
  actor: Actor,
  options: SendOptions = {},
): Promise<void> {
  const recipients = [...new Set(to)];
  const links = await concernLinksFor(allianceId, recipients, options);
  const sent: TimelineEvent[] = [];
  try {
    for (const recipient of recipients) sent.push(await deliver(recipient, message, links, actor));
  } finally {
    await appendTimelineEvents(allianceId, sent);
  }
}

/**
 * Sends one email as notify does and returns its timeline entry for the caller to write together with its own
 * change (one write instead of two); the caller must write it.
 */
export async function sendOne(
  allianceId: string,
  recipient: string,
  message: Message,
  actor: Actor,
  options: SendOptions = {},
): Promise<TimelineEvent> {
  return deliver(recipient, message, await concernLinksFor(allianceId, [recipient], options), actor);
}

/** How an email goes out. */
export interface SendOptions {
  /** Whether partners' copies may carry a "raise a concern" link (default true; false while the alliance forms). */
  concernLinks?: boolean;
}

// The admin is not a partner: their copies carry no concern link.
async function concernLinksFor(
  allianceId: string,
  recipients: readonly string[],
  options: SendOptions,
): Promise<ReadonlyMap<string, string>> {
  if (options.concernLinks === false) return new Map();
  const admin = config().ADMIN_EMAIL?.toLowerCase();
  return issueConcernLinks(
    allianceId,
    recipients.filter((recipient) => recipient.toLowerCase() !== admin),
  );
}

async function deliver(
  recipient: string,
  message: Message,
  concernLinks: ReadonlyMap<string, string>,
  actor: Actor,
): Promise<TimelineEvent> {
  const link = concernLinks.get(recipient);
  const email = link === undefined ? message : withFooterLine(message, concernFooterLine(link));
  const messageId = await sendEmail({
    to: [recipient],
    subject: email.subject,
    text: email.text,
    html: email.html,
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
  marker: string,
  to: string[],
  message: Message,
  actor: Actor,
): Promise<boolean> {
  if (hasMarker(alliance, marker)) return false;
  await notify(alliance.id, to, message, actor);
  await markAllianceOnce(alliance.id, marker, nowIso());
  return true;
}
