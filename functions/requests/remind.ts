import { partnerLink } from "../links/links";
import { hashSecret, newSecret } from "../links/secret";
import { sendOne } from "../mail/notify";
import { reminder } from "../mail/templates";
import { now, nowIso } from "../shared/time";
import {
  appendTimelineEvents,
  claimReminder,
  closeRequest,
  dueRequests,
  getOutcome,
  leaveReminderIndex,
} from "../store";

// An open request this long past its deadline was left behind by its workflow (which normally closes it at
// the deadline): out of the reminder index with it, or enough of them would fill every sweep's batch.
const STALE_AFTER_MS = 86_400_000;

import { requestContext, SWEEP } from "./context";
import { requestKind } from "./registry";

/**
 * Mails a reminder for every open request whose reminder time has come (read from the sparse
 * requests-by-deadline index, never a scan). Each reminder is claimed with a conditional write, so
 * overlapping sweeps remind once; it carries a fresh link (only secret hashes are stored). Nobody who has
 * answered is reminded: a decided request leaves the index, and a shared one whose decision a colleague
 * gave is skipped.
 */
export async function sendDueReminders(): Promise<{ reminded: number }> {
  const at = now();
  let reminded = 0;
  for (const request of await dueRequests(new Date(at).toISOString())) {
    if (Date.parse(request.deadline) + STALE_AFTER_MS <= at) {
      await leaveReminderIndex(request);
      continue;
    }
    const due = request.remindAt && !request.remindedAt && Date.parse(request.remindAt) <= at;
    if (!due || Date.parse(request.deadline) <= at) continue;
    if (request.shared) {
      // A colleague decided for the partner: this link closes instead of being reminded.
      const outcome = await getOutcome(request);
      if (outcome?.status !== "OPEN") {
        await closeRequest({ request, status: "CANCELLED", reason: "a colleague decided for the partner" });
        continue;
      }
    }
    const secret = newSecret();
    if (!(await claimReminder(request, nowIso(), hashSecret(secret)))) continue;
    const { draft } = await requestContext(request);
    const sent = await sendOne(
      { id: request.allianceId, draft },
      request.contactEmail,
      reminder({
        allianceName: draft.name,
        words: requestKind(request.kind).words,
        contactName: request.contactName,
        link: partnerLink(request.requestId, secret),
        deadline: request.deadline,
      }),
      SWEEP,
      { concernLinks: !requestKind(request.kind).whileForming },
    );
    await appendTimelineEvents(request.allianceId, [
      sent,
      {
        at: nowIso(),
        type: "request.reminded",
        summary: `Reminded ${request.contactName} (${request.partnerId}); deadline ${request.deadline}`,
        actor: SWEEP,
        requestId: request.requestId,
      },
    ]);
    reminded++;
  }
  return { reminded };
}
