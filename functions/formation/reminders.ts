import { partnerLink } from "../links/links";
import { hashSecret, newSecret } from "../links/secret";
import { reminder } from "../mail/templates";
import { now, nowIso } from "../shared/time";
import { addSecretHash, appendTimeline, claimReminder, dueRequests } from "../store";
import { loadDraft } from "./load";
import { notify } from "./notify";

const SYSTEM = { kind: "system", id: "reminders" } as const;

/**
 * Mails a reminder for every open request whose reminder time has come (read from the sparse
 * requests-by-deadline index, never a scan). Each reminder is claimed with a conditional write, so
 * overlapping sweeps remind once; it carries a fresh link (only secret hashes are stored).
 */
export async function sendDueReminders(): Promise<{ reminded: number }> {
  const at = now();
  let reminded = 0;
  for (const request of await dueRequests(new Date(at).toISOString())) {
    const due = request.remindAt && !request.remindedAt && Date.parse(request.remindAt) <= at;
    if (!due || Date.parse(request.deadline) <= at) continue;
    if (!(await claimReminder(request, nowIso()))) continue;
    const secret = newSecret();
    if (!(await addSecretHash(request, hashSecret(secret)))) continue;
    const draft = await loadDraft(request.allianceId, request.version);
    await notify(
      request.allianceId,
      [request.contactEmail],
      reminder({
        allianceName: draft.name,
        kind: request.kind,
        contactName: request.contactName,
        link: partnerLink(request.requestId, secret),
        deadline: request.deadline,
      }),
      SYSTEM,
    );
    await appendTimeline(request.allianceId, {
      at: nowIso(),
      type: "request.reminded",
      summary: `Reminded ${request.contactName} (${request.partnerId}); deadline ${request.deadline}`,
      actor: SYSTEM,
      requestId: request.requestId,
    });
    reminded++;
  }
  return { reminded };
}
