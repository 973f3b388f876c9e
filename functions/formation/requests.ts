import type { z } from "zod";
import { auditMode, missingVoteCountsAs } from "../domain";
import { partnerLink } from "../links/links";
import { hashSecret, newRequestId, newSecret } from "../links/secret";
import {
  charterApprovalRequest,
  charterSummary,
  deadlineMissed,
  interestMapRequest,
} from "../mail/templates";
import { now, nowIso } from "../shared/time";
import {
  addSecretHash,
  closeRequest,
  keys,
  listRequests,
  markNotified,
  openRequest,
  type RequestRecord,
} from "../store";
import type { MissedTaskSchema, PartnerTaskSchema } from "./inputs";
import { leadContact, loadDraft } from "./load";
import { type Message, notify } from "./notify";

const SYSTEM = { kind: "system", id: "formation" } as const;
const DAY_MS = 86_400_000;

/** The request slot of one workflow step for one partner; a retried task finds the same request. */
export function requestSlot(version: number, kind: string, partnerId: string): string {
  return `v${version}#${kind}#${partnerId}`;
}

/**
 * A waitForTaskToken task: opens the partner's request (once), keeps the task token server-side, and
 * mails the lead contact a link. The workflow resumes when the partner decides (partner-http).
 */
export async function openPartnerRequest(input: z.infer<typeof PartnerTaskSchema>): Promise<void> {
  const draft = await loadDraft(input.allianceId, input.version);
  const { partner, contact } = leadContact(draft, input.partnerId);
  const approval = draft.charter.approval;
  const createdAt = now();
  const deadline = createdAt + approval.responseDeadlineDays * DAY_MS;
  const remindAt =
    approval.reminderDaysBeforeDeadline > 0
      ? deadline - approval.reminderDaysBeforeDeadline * DAY_MS
      : undefined;
  const secret = newSecret();
  const fresh: RequestRecord = {
    requestId: newRequestId(),
    allianceId: input.allianceId,
    version: input.version,
    kind: input.kind,
    partnerId: partner.id,
    contactEmail: contact.email,
    contactName: contact.name,
    secretHash: hashSecret(secret),
    taskToken: input.taskToken,
    createdAt: new Date(createdAt).toISOString(),
    deadline: new Date(deadline).toISOString(),
    ...(remindAt === undefined ? {} : { remindAt: new Date(remindAt).toISOString() }),
    status: "OPEN",
  };
  const what = input.kind === "interest-map" ? "interest map" : "charter approval";
  const { request, created } = await openRequest({
    slot: requestSlot(input.version, input.kind, partner.id),
    request: fresh,
    event: {
      at: fresh.createdAt,
      type: "request.opened",
      summary: `Asked ${partner.name} (${contact.name}) for its ${what}, due ${fresh.deadline}`,
      actor: SYSTEM,
      requestId: fresh.requestId,
      data: { kind: input.kind, partnerId: partner.id, deadline: fresh.deadline },
    },
  });
  // A retry that finds the request already mailed does nothing more. One that finds it unmailed (the first
  // attempt failed before sending) mails a fresh secret: the original one was never stored, only its hash.
  if (!created && request.notifiedAt) return;
  let mailedSecret = secret;
  if (!created) {
    mailedSecret = newSecret();
    if (!(await addSecretHash(request, hashSecret(mailedSecret)))) return;
  }
  const link = partnerLink(request.requestId, mailedSecret);
  const message: Message =
    input.kind === "interest-map"
      ? interestMapRequest({
          allianceName: draft.name,
          purpose: draft.purpose,
          partnerName: partner.name,
          contactName: contact.name,
          link,
          deadline: request.deadline,
          goals: draft.goals,
        })
      : charterApprovalRequest({
          allianceName: draft.name,
          partnerName: partner.name,
          contactName: contact.name,
          link,
          deadline: request.deadline,
          charterSummary: charterSummary(draft),
          mode: auditMode(draft).mode,
        });
  await notify(input.allianceId, [contact.email], message, SYSTEM);
  await markNotified(request, nowIso());
}

/**
 * After a partner request timed out: closes the request (EXPIRED), records the miss, and tells the partner
 * how its silence counts under the charter. Returns what the workflow carries on with.
 */
export async function recordMissedDeadline(
  input: z.infer<typeof MissedTaskSchema>,
): Promise<{ partnerId: string; missed: true; countedAs: "abstain" | "reject" | "not provided" }> {
  const draft = await loadDraft(input.allianceId, input.version);
  const { partner, contact } = leadContact(draft, input.partnerId);
  const countedAs =
    input.kind === "charter-approval"
      ? missingVoteCountsAs(draft.charter.approval.onMissedDeadline)
      : "not provided";
  const slot = requestSlot(input.version, input.kind, partner.id);
  const open = (await listRequests(input.allianceId)).filter(
    (r) =>
      r.status === "OPEN" &&
      r.kind === input.kind &&
      r.version === input.version &&
      r.partnerId === partner.id,
  );
  let closedAny = false;
  for (const request of open) {
    closedAny =
      (await closeRequest({
        request,
        status: "EXPIRED",
        reason: "deadline passed",
        event: {
          at: nowIso(),
          type: "request.expired",
          summary: `${partner.name} did not answer by ${request.deadline}; counted as ${countedAs}`,
          actor: SYSTEM,
          requestId: request.requestId,
          data: { kind: input.kind, partnerId: partner.id, countedAs, slot },
        },
      })) || closedAny;
  }
  if (closedAny) {
    await notify(
      input.allianceId,
      [contact.email],
      deadlineMissed({
        allianceName: draft.name,
        kind: input.kind,
        partnerName: partner.name,
        countedAs,
      }),
      SYSTEM,
    );
  }
  return { partnerId: partner.id, missed: true, countedAs };
}

/** The table key of a partner's decision outcome for a request kind (interest map or vote). */
export function outcomeKey(request: Pick<RequestRecord, "allianceId" | "version" | "partnerId" | "kind">) {
  return request.kind === "interest-map"
    ? keys.interestMap(request.allianceId, request.version, request.partnerId)
    : keys.vote(request.allianceId, request.version, request.partnerId);
}
