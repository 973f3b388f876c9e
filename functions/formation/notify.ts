import { sendEmail } from "../mail/send";
import { nowIso } from "../shared/time";
import { type Actor, appendTimeline } from "../store";

/** One email as the templates render it. */
export interface Message {
  subject: string;
  text: string;
  html: string;
}

/** Sends an email and writes it on the alliance timeline (every email is part of the alliance's memory). */
export async function notify(
  allianceId: string,
  to: string[],
  message: Message,
  actor: Actor,
): Promise<void> {
  if (to.length === 0) return;
  const messageId = await sendEmail({ to, subject: message.subject, text: message.text, html: message.html });
  await appendTimeline(allianceId, {
    at: nowIso(),
    type: "email.sent",
    summary: `Emailed "${message.subject}" to ${to.join(", ")}`,
    actor,
    data: { to, subject: message.subject, messageId },
  });
}
