import { loadDraft } from "../alliance/load";
import {
  type AllianceDraft,
  type Contact,
  type ContactAmendment,
  type Partner,
  withContactAmendments,
} from "../domain";
import { partnerLink } from "../links/links";
import { hashSecret, newRequestId, newSecret } from "../links/secret";
import { sendOne } from "../mail/notify";
import { now, nowIso } from "../shared/time";
import {
  addSecretHash,
  getAlliance,
  markNotified,
  type OutcomeRecord,
  openOutcome,
  type RequestRecord,
  replaceTaskToken,
} from "../store";
import { contactsFor, ENGINE } from "./context";
import { type AskTask, respondentOf } from "./payloads";
import { requestKind } from "./registry";
import { resumeWorkflow } from "./resume";

/**
 * The "ask" of the ask-and-wait step (a waitForTaskToken task): opens the outcome and one request per
 * contact asked (once per instance, kind and respondent), keeps the task token server-side, and mails each
 * contact a personal link. The workflow resumes when someone decides (partner-http) or the deadline passes.
 *
 * Retries are safe: a retried attempt finds what the first one opened, moves its requests to the new task
 * token, mails only those never mailed, and delivers a decision that was recorded in between.
 */
export async function openAsk(task: AskTask): Promise<{ requested: true }> {
  const charter = await loadDraft(task.allianceId, task.charterVersion);
  const spec = requestKind(task.kind);
  const secrets = new Map<string, string>();
  // Addressed first as if no contact was ever replaced; the write refuses when that is not so.
  let amendments: readonly ContactAmendment[] = [];
  for (let attempt = 1; ; attempt++) {
    const draft = withContactAmendments(charter, amendments);
    const { partner, contacts } = contactsFor(draft, task.recipient);
    const { outcome, requests } = freshAsk(task, partner.id, contacts, secrets);
    const opened = await openOutcome({
      outcome,
      requests,
      expectedAmendments: amendments.length,
      events: requests.map((request) => ({
        at: request.createdAt,
        type: "request.opened",
        summary: `Asked ${partner.name} (${request.contactName}) for its ${spec.words.noun}, due ${request.deadline}`,
        actor: ENGINE,
        requestId: request.requestId,
        data: { kind: task.kind, instance: task.instance, partnerId: partner.id, deadline: request.deadline },
      })),
    });
    if (opened === "amended") {
      if (attempt >= 3) throw new Error(`the contacts of alliance ${task.allianceId} keep changing`);
      amendments = (await getAlliance(task.allianceId))?.contactAmendments ?? [];
      continue;
    }
    await mailAsk(task, draft, partner, opened, secrets);
    return { requested: true };
  }
}

/** The outcome and one request per contact asked, each with a fresh secret (kept in `secrets` to mail). */
function freshAsk(
  task: AskTask,
  partnerId: string,
  contacts: readonly Contact[],
  secrets: Map<string, string>,
) {
  const createdAt = now();
  const deadline = new Date(createdAt + task.deadlineSeconds * 1000).toISOString();
  const remindAt =
    task.remindBeforeSeconds > 0
      ? new Date(createdAt + (task.deadlineSeconds - task.remindBeforeSeconds) * 1000).toISOString()
      : undefined;
  const respondent = respondentOf(task.recipient);
  const requests = contacts.map((contact): RequestRecord => {
    const secret = newSecret();
    const request: RequestRecord = {
      requestId: newRequestId(),
      allianceId: task.allianceId,
      instance: task.instance,
      charterVersion: task.charterVersion,
      kind: task.kind,
      respondent,
      ...(contacts.length > 1 ? { shared: true } : {}),
      partnerId,
      contactEmail: contact.email,
      contactName: contact.name,
      secretHash: hashSecret(secret),
      taskToken: task.taskToken,
      ...(task.executionArn ? { executionArn: task.executionArn } : {}),
      createdAt: new Date(createdAt).toISOString(),
      deadline,
      ...(remindAt === undefined ? {} : { remindAt }),
      status: "OPEN",
    };
    secrets.set(request.requestId, secret);
    return request;
  });
  const outcome: OutcomeRecord = {
    allianceId: task.allianceId,
    instance: task.instance,
    kind: task.kind,
    respondent,
    partnerId,
    charterVersion: task.charterVersion,
    status: "OPEN",
    requestIds: requests.map((r) => r.requestId),
    deadline,
    openedAt: new Date(createdAt).toISOString(),
  };
  return { outcome, requests };
}

/**
 * Mails each open, not yet mailed request of the ask its link. On a retried task (`created` false) the
 * requests move to the new task token first, and a decision recorded in between goes to this attempt.
 */
async function mailAsk(
  task: AskTask,
  draft: AllianceDraft,
  partner: Partner,
  opened: { outcome: OutcomeRecord; requests: RequestRecord[]; created: boolean },
  secrets: Map<string, string>,
): Promise<void> {
  const spec = requestKind(task.kind);
  if (!opened.created) {
    await replaceTaskToken(opened.requests, task.taskToken);
    if (opened.outcome.status !== "OPEN") {
      // Decided while the task was being retried. Whatever the partner's SendTaskSuccess met, it went to an
      // earlier attempt's token (a live attempt would not have been retried): only this attempt can take it.
      const decided = opened.requests.find((r) => r.requestId === opened.outcome.decidedBy?.requestId);
      if (decided?.decision !== undefined) await resumeWorkflow(decided, ENGINE);
      return;
    }
  }
  const packet = opened.requests.some((r) => r.status === "OPEN" && !r.notifiedAt)
    ? await spec.loadPacket?.(task)
    : undefined;
  for (const request of opened.requests) {
    if (request.status !== "OPEN" || request.notifiedAt) continue;
    // Only the hash of a secret is stored: a retry that finds an unmailed request mails a fresh secret.
    let secret = opened.created ? secrets.get(request.requestId) : undefined;
    if (secret === undefined) {
      secret = newSecret();
      if (!(await addSecretHash(request, hashSecret(secret)))) continue;
    }
    const message = spec.requestEmail({
      draft,
      partner,
      contact: { name: request.contactName, email: request.contactEmail },
      deadline: request.deadline,
      link: partnerLink(request.requestId, secret),
      ...(packet !== undefined ? { packet } : {}),
    });
    const sent = await sendOne({ id: request.allianceId, draft }, request.contactEmail, message, ENGINE, {
      concernLinks: !spec.whileForming,
    });
    await markNotified(request, nowIso(), [sent]);
  }
}
