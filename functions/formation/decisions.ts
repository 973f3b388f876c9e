import type { AllianceDraft } from "../domain";
import { partnerLink } from "../links/links";
import { hashSecret, isRequestId, newRequestId, newSecret, secretMatches } from "../links/secret";
import { charterSummary, delegatedToYou } from "../mail/templates";
import type { RecordedDecision } from "../pages";
import * as pages from "../pages";
import { now, nowIso } from "../shared/time";
import { type Actor, decideRequest, delegateRequest, getRequest, type RequestRecord } from "../store";
import { loadDraft } from "./load";
import { notify } from "./notify";
import { outcomeKey } from "./requests";
import { resumeWorkflow } from "./resume";

/** A rendered partner page. */
export type Page = pages.Page;

type Resolved =
  | { ok: false; page: Page }
  | { ok: true; request: RequestRecord; draft: AllianceDraft; actor: Actor };

function secretValid(request: RequestRecord, secret: unknown): boolean {
  return [request.secretHash, ...(request.extraSecretHashes ?? [])].some((hash) =>
    secretMatches(secret, hash),
  );
}

/** Finds the request a link names and checks its secret; unknown ids and wrong secrets get their own pages. */
async function resolve(requestId: string, secret: unknown, loaded?: RequestRecord): Promise<Resolved> {
  const request = loaded ?? (isRequestId(requestId) ? await getRequest(requestId) : undefined);
  if (!request) return { ok: false, page: pages.notFound() };
  // A wrong secret learns nothing about the request, not even the alliance's name.
  if (!secretValid(request, secret)) return { ok: false, page: pages.forbidden() };
  const draft = await loadDraft(request.allianceId, request.version);
  const actor: Actor = {
    kind: "partner",
    partnerId: request.partnerId,
    email: request.contactEmail,
    requestId: request.requestId,
  };
  return { ok: true, request, draft, actor };
}

/** The page for a request that can no longer be acted on, or undefined while it is open. */
async function closedPage(request: RequestRecord, draft: AllianceDraft): Promise<Page | undefined> {
  const allianceName = draft.name;
  switch (request.status) {
    case "DECIDED":
      return pages.alreadyDecided({
        allianceName,
        decidedAt: request.decidedAt ?? request.createdAt,
        decidedBy: request.contactName,
        ...(request.decision ? { decision: request.decision as RecordedDecision } : {}),
      });
    case "DELEGATED": {
      const colleague = request.delegatedTo ? await getRequest(request.delegatedTo) : undefined;
      return pages.delegated({
        allianceName,
        toName: colleague?.contactName ?? "a colleague",
        at: request.decidedAt ?? request.createdAt,
        forOriginalHolder: false,
      });
    }
    case "EXPIRED":
      return pages.expired({ allianceName, deadline: request.deadline });
    case "CANCELLED":
      return pages.cancelled({ allianceName });
    default:
      return now() >= Date.parse(request.deadline)
        ? pages.expired({ allianceName, deadline: request.deadline })
        : undefined;
  }
}

function partnerOf(draft: AllianceDraft, request: RequestRecord) {
  const partner = draft.partners.find((p) => p.id === request.partnerId);
  if (!partner)
    throw new Error(
      `partner ${request.partnerId} is not in alliance ${request.allianceId} v${request.version}`,
    );
  return partner;
}

type FormErrors = Record<string, string | undefined>;

function formPage(
  request: RequestRecord,
  draft: AllianceDraft,
  secret: string,
  errors?: FormErrors,
  values?: Record<string, string | undefined>,
): Page {
  const partner = partnerOf(draft, request);
  const common = {
    allianceName: draft.name,
    partnerName: partner.name,
    contactName: request.contactName,
    deadline: request.deadline,
    secret,
    colleagues: pages.delegateCandidates(draft.partners, partner.id, request.contactEmail),
    ...(errors ? { errors } : {}),
  };
  return request.kind === "interest-map"
    ? pages.interestMapForm({
        ...common,
        goals: draft.goals,
        purpose: draft.purpose,
        ...(values ? { values } : {}),
      })
    : pages.charterApprovalForm({
        ...common,
        charterSummary: charterSummary(draft),
        ...(values ? { values: { vote: values.vote, comment: values.comment } } : {}),
      });
}

/** GET/HEAD on a link: shows the request (or why it is closed). Never changes anything. */
export async function showRequest(requestId: string, secret: unknown): Promise<Page> {
  const resolved = await resolve(requestId, secret);
  if (!resolved.ok) return resolved.page;
  return (
    (await closedPage(resolved.request, resolved.draft)) ??
    formPage(resolved.request, resolved.draft, String(secret))
  );
}

/** POST on a link: records the decision once (conditional write), then resumes the workflow. */
export async function decide(requestId: string, body: string | URLSearchParams): Promise<Page> {
  const lookup = isRequestId(requestId) ? await getRequest(requestId) : undefined;
  const submission =
    lookup?.kind === "charter-approval"
      ? pages.readCharterApprovalForm(body)
      : pages.readInterestMapForm(body);
  const resolved = await resolve(requestId, submission.secret, lookup);
  if (!resolved.ok) return resolved.page;
  const { request, draft, actor } = resolved;
  const closed = await closedPage(request, draft);
  if (closed) return closed;

  if (!submission.ok) {
    return formPage(
      request,
      draft,
      submission.secret,
      submission.errors as FormErrors,
      submission.values as Record<string, string | undefined>,
    );
  }
  if (submission.action === "delegate")
    return delegate(request, draft, actor, submission.secret, submission.delegateTo);
  const decision: RecordedDecision = submission.decision;

  const at = nowIso();
  const partner = partnerOf(draft, request);
  const what =
    decision.kind === "interest-map"
      ? "submitted its interest map"
      : `${decision.vote === "approve" ? "approved" : "rejected"} charter v${request.version}`;
  const outcome =
    decision.kind === "interest-map"
      ? { interestMap: decision.interestMap }
      : { vote: { vote: decision.vote, ...(decision.comment ? { comment: decision.comment } : {}) } };
  const result = await decideRequest({
    request,
    decision,
    now: at,
    outcome: {
      key: outcomeKey(request),
      item: {
        partnerId: request.partnerId,
        requestId: request.requestId,
        decidedBy: request.contactEmail,
        decidedAt: at,
        ...outcome,
      },
    },
    event: {
      at,
      type: "request.decided",
      summary: `${partner.name} (${request.contactName}) ${what}`,
      actor,
      requestId: request.requestId,
      data: { ...decision },
    },
  });
  if (result.refused) {
    return (
      (await closedPage(result.current ?? request, draft)) ?? pages.windowClosed({ allianceName: draft.name })
    );
  }
  if ((await resumeWorkflow({ ...request, decision }, actor)) === "closed") {
    return pages.windowClosed({ allianceName: draft.name });
  }
  return pages.decisionRecorded({ allianceName: draft.name, decision, at, contactName: request.contactName });
}

/** Hands the request to a colleague at the same partner: new link for them, this one closes. */
async function delegate(
  request: RequestRecord,
  draft: AllianceDraft,
  actor: Actor,
  secret: string,
  email: string,
): Promise<Page> {
  const partner = partnerOf(draft, request);
  const colleague = pages
    .delegateCandidates(draft.partners, partner.id, request.contactEmail)
    .find((c) => c.email === email);
  if (!colleague) {
    return formPage(request, draft, secret, {
      delegateTo: "Choose a colleague listed for your organisation.",
    });
  }
  const at = nowIso();
  const newSecretValue = newSecret();
  const { remindedAt: _reminded, extraSecretHashes: _extra, notifiedAt: _notified, ...inherited } = request;
  const next: RequestRecord = {
    ...inherited,
    requestId: newRequestId(),
    contactEmail: colleague.email,
    contactName: colleague.name,
    secretHash: hashSecret(newSecretValue),
    createdAt: at,
    delegatedFrom: request.requestId,
    status: "OPEN",
  };
  const ok = await delegateRequest({
    from: request,
    to: next,
    now: at,
    events: [
      {
        at,
        type: "request.delegated",
        summary: `${request.contactName} handed the ${request.kind} request to ${colleague.name} (${partner.name})`,
        actor,
        requestId: request.requestId,
        data: { to: colleague.email, newRequestId: next.requestId },
      },
      {
        at,
        type: "request.opened",
        summary: `New link for ${colleague.name} (${partner.name}), due ${next.deadline}`,
        actor,
        requestId: next.requestId,
        data: {
          kind: next.kind,
          partnerId: next.partnerId,
          deadline: next.deadline,
          delegatedFrom: request.requestId,
        },
      },
    ],
  });
  if (!ok) return pages.windowClosed({ allianceName: draft.name });
  await notify(
    request.allianceId,
    [colleague.email],
    delegatedToYou({
      allianceName: draft.name,
      kind: request.kind,
      fromName: request.contactName,
      fromEmail: request.contactEmail,
      toName: colleague.name,
      partnerName: partner.name,
      link: partnerLink(next.requestId, newSecretValue),
      deadline: next.deadline,
    }),
    actor,
  );
  return pages.delegated({ allianceName: draft.name, toName: colleague.name, at, forOriginalHolder: true });
}
