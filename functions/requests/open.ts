import { loadVersion } from "../alliance/load";
import { partnerLink } from "../links/links";
import { hashSecret, newRequestId, newSecret } from "../links/secret";
import { sendOne } from "../mail/notify";
import { now, nowIso } from "../shared/time";
import {
  addSecretHash,
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
  const { draft } = await loadVersion(task.allianceId, task.charterVersion);
  const { partner, contacts } = contactsFor(draft, task.recipient);
  const spec = requestKind(task.kind);
  const createdAt = now();
  const deadline = new Date(createdAt + task.deadlineSeconds * 1000).toISOString();
  const remindAt =
    task.remindBeforeSeconds > 0
      ? new Date(createdAt + (task.deadlineSeconds - task.remindBeforeSeconds) * 1000).toISOString()
      : undefined;
  const respondent = respondentOf(task.recipient);
  const secrets = new Map<string, string>();
  const fresh = contacts.map((contact): RequestRecord => {
    const secret = newSecret();
    const request: RequestRecord = {
      requestId: newRequestId(),
      allianceId: task.allianceId,
      instance: task.instance,
      charterVersion: task.charterVersion,
      kind: task.kind,
      respondent,
      ...(contacts.length > 1 ? { shared: true } : {}),
      partnerId: partner.id,
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
    partnerId: partner.id,
    charterVersion: task.charterVersion,
    status: "OPEN",
    requestIds: fresh.map((r) => r.requestId),
    deadline,
    openedAt: new Date(createdAt).toISOString(),
  };
  const opened = await openOutcome({
    outcome,
    requests: fresh,
    events: fresh.map((request) => ({
      at: request.createdAt,
      type: "request.opened",
      summary: `Asked ${partner.name} (${request.contactName}) for its ${spec.words.noun}, due ${deadline}`,
      actor: ENGINE,
      requestId: request.requestId,
      data: { kind: task.kind, instance: task.instance, partnerId: partner.id, deadline },
    })),
  });

  if (!opened.created) {
    await replaceTaskToken(opened.requests, task.taskToken);
    if (opened.outcome.status !== "OPEN") {
      // Decided while the task was being retried. Whatever the partner's SendTaskSuccess met, it went to an
      // earlier attempt's token (a live attempt would not have been retried): only this attempt can take it.
      const decided = opened.requests.find((r) => r.requestId === opened.outcome.decidedBy?.requestId);
      if (decided?.decision !== undefined) await resumeWorkflow(decided, ENGINE);
      return { requested: true };
    }
  }
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
    });
    const sent = await sendOne(request.contactEmail, message, ENGINE);
    await markNotified(request, nowIso(), [sent]);
  }
  return { requested: true };
}
