import { nowIso } from "../shared/time";
import {
  type Actor,
  type AllianceRecord,
  appendTimelineEvents,
  hasMarker,
  markAllianceOnce,
  type TimelineEvent,
} from "../store";
import { sendEmail } from "./send";

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
 */
export async function notify(
  allianceId: string,
  to: string[],
  message: Message,
  actor: Actor,
): Promise<void> {
  const sent: TimelineEvent[] = [];
  try {
    for (const recipient of new Set(to)) sent.push(await sendOne(recipient, message, actor));
  } finally {
    await appendTimelineEvents(allianceId, sent);
  }
}

/**
 * Sends one email and returns its timeline entry for the caller to write together with its own change
 * (one write instead of two); the caller must write it.
 */
export async function sendOne(recipient: string, message: Message, actor: Actor): Promise<TimelineEvent> {
  const messageId = await sendEmail({
    to: [recipient],
    subject: message.subject,
    text: message.text,
    html: message.html,
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
