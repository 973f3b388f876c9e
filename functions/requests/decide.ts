import { partnerLink } from "../links/links";
import { hashSecret, isRequestId, newRequestId, newSecret, secretMatches } from "../links/secret";
import { notify } from "../mail/notify";
import { delegatedToYou } from "../mail/templates";
import * as pages from "../pages";
import { now, nowIso } from "../shared/time";
import {
  type Actor,
  addRequests,
  closeRequest,
  decideRequest,
  getOutcome,
  getRequest,
  getRequestIn,
  getRequestWithAlliance,
  listRequests,
  type OutcomeRecord,
  type RequestRecord,
  reviseDecision,
} from "../store";
import { requestContext } from "./context";
import type { FormContext, RequestKindSpec } from "./kind";
import { requestKind } from "./registry";
import { resumeWorkflow, withdrawRequest } from "./resume";

/** A rendered partner page. */
export type Page = pages.Page;

type Context = Awaited<ReturnType<typeof requestContext>>;

type Resolved =
  | { ok: false; page: Page }
  | {
      ok: true;
      request: RequestRecord;
      context: Context;
      spec: RequestKindSpec;
      actor: Actor;
      /** Whether the context's packet was loaded (a POST resolves without it; a kind may have none). */
      packetLoaded: boolean;
    };

function secretValid(request: RequestRecord, secret: unknown): boolean {
  return [request.secretHash, ...(request.extraSecretHashes ?? [])].some((hash) =>
    secretMatches(secret, hash),
  );
}

/** The person acting through a request's link, as the timeline records them. */
export function actorOf(request: RequestRecord): Actor {
  return {
    kind: "partner",
    partnerId: request.partnerId,
    email: request.contactEmail,
    requestId: request.requestId,
  };
}

/** Finds the request a link names and checks its secret; unknown ids and wrong secrets get their own pages. */
async function resolve(
  requestId: string,
  secret: unknown,
  options: { packet: boolean } = { packet: true },
): Promise<Resolved> {
  const found = isRequestId(requestId) ? await getRequestWithAlliance(requestId) : undefined;
  if (!found) return { ok: false, page: pages.notFound() };
  const { request, alliance } = found;
  // A wrong secret learns nothing about the request, not even the alliance's name.
  if (!secretValid(request, secret)) return { ok: false, page: pages.forbidden() };
  const context = await requestContext(request, alliance, options);
  // A contact an admin replaced no longer acts for the partner, even through a link not yet moved.
  const stillContact = context.partner.contacts.some(
    (c) => c.email.toLowerCase() === request.contactEmail.toLowerCase(),
  );
  if (request.status === "OPEN" && !stillContact) {
    const reason = `${request.contactName} is no longer ${context.partner.name}'s contact in this alliance`;
    return { ok: false, page: pages.cancelled({ allianceName: context.draft.name, reason }) };
  }
  return {
    ok: true,
    request,
    context,
    spec: requestKind(request.kind),
    actor: actorOf(request),
    packetLoaded: options.packet,
  };
}

/** A stored decision, parsed by its kind's schema (stored data is a boundary too) and shown by the kind. */
export function decisionView(kind: string, decision: unknown): pages.DecisionView {
  const spec = requestKind(kind);
  return { noun: spec.words.noun, details: spec.show(spec.decision.parse(decision)) };
}

/**
 * The page for a request that can no longer be acted on, or undefined while it is open. A shared request
 * (several contacts asked for one decision) also looks at its outcome: a colleague may have decided.
 */
async function closedPage(
  request: RequestRecord,
  allianceName: string,
  outcome?: OutcomeRecord,
): Promise<Page | undefined> {
  switch (request.status) {
    case "DECIDED":
      return pages.alreadyDecided({
        allianceName,
        decidedAt: request.decidedAt ?? request.createdAt,
        decidedBy: request.contactName,
        ...(request.decision === undefined ? {} : { decision: decisionView(request.kind, request.decision) }),
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
      // A colleague's decision for the same partner closes this link too: say who decided.
      if (request.shared) {
        const decided = alreadyDecidedPage(allianceName, outcome ?? (await getOutcome(request)));
        if (decided) return decided;
      }
      return pages.cancelled({
        allianceName,
        ...(request.closedReason === undefined ? {} : { reason: request.closedReason }),
      });
    default: {
      if (now() >= Date.parse(request.deadline))
        return pages.expired({ allianceName, deadline: request.deadline });
      if (!request.shared && !outcome) return undefined;
      const current = outcome ?? (await getOutcome(request));
      if (current?.status === "MISSED") return pages.expired({ allianceName, deadline: request.deadline });
      return alreadyDecidedPage(allianceName, current);
    }
  }
}

/** The "already decided" page when the outcome was decided (by this person or a colleague). */
function alreadyDecidedPage(allianceName: string, current: OutcomeRecord | undefined): Page | undefined {
  if (current?.status !== "DECIDED") return undefined;
  return pages.alreadyDecided({
    allianceName,
    decidedAt: current.decidedAt ?? current.openedAt,
    ...(current.decidedBy ? { decidedBy: current.decidedBy.name } : {}),
    ...(current.decision === undefined ? {} : { decision: decisionView(current.kind, current.decision) }),
  });
}

/**
 * After a shared request was decided: its colleagues' links close (they would otherwise stay in the reminder
 * index until the deadline); a page opened on one of them says who decided.
 */
async function closeColleagues(request: RequestRecord, partnerName: string): Promise<void> {
  const outcome = await getOutcome(request);
  for (const id of outcome?.requestIds ?? []) {
    if (id === request.requestId) continue;
    const colleague = await getRequestIn(request.allianceId, id);
    if (colleague?.status !== "OPEN") continue;
    await closeRequest({
      request: colleague,
      status: "CANCELLED",
      reason: `${request.contactName} decided for ${partnerName}`,
    });
  }
}

async function formPage(
  resolved: Extract<Resolved, { ok: true }>,
  secret: string,
  errors?: FormContext["errors"],
  values?: FormContext["values"],
): Promise<Page> {
  const { request, spec } = resolved;
  // A POST resolves without the packet; a form shown again after it loads it now.
  const packet = resolved.packetLoaded ? resolved.context.packet : await spec.loadPacket?.(request);
  const context = { ...resolved.context, ...(packet !== undefined ? { packet } : {}) };
  const revising = request.status === "DECIDED" ? { at: request.decidedAt ?? request.createdAt } : undefined;
  const shown = values ?? (revising ? answerValues(request.decision) : undefined);
  return spec.form({
    ...context,
    secret,
    colleagues: pages.delegateCandidates(context.draft.partners, request.partnerId, request.contactEmail),
    ...(errors ? { errors } : {}),
    ...(shown ? { values: shown } : {}),
    ...(revising ? { revising } : {}),
  });
}

/** A stored answer as the form's fields (a revisable kind's form fields are named as its decision's). */
function answerValues(decision: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries((decision ?? {}) as Record<string, unknown>)
      .filter(([field, value]) => field !== "kind" && typeof value === "string")
      .map(([field, value]) => [field, value as string]),
  );
}

/** Whether this decided request's answer may still change (its kind says its round is still open). */
async function isRevisable(resolved: Extract<Resolved, { ok: true }>): Promise<boolean> {
  const { request, spec, context } = resolved;
  // A contact an admin replaced no longer answers for the partner, not even to change an answer.
  const stillContact = context.partner.contacts.some(
    (c) => c.email.toLowerCase() === request.contactEmail.toLowerCase(),
  );
  return (
    request.status === "DECIDED" &&
    stillContact &&
    now() < Date.parse(request.deadline) &&
    spec.revisable !== undefined &&
    (await spec.revisable({ allianceId: request.allianceId, instance: request.instance }))
  );
}

/** GET/HEAD on a link: shows the request (or why it is closed). Never changes anything. */
export async function showRequest(requestId: string, secret: unknown): Promise<Page> {
  const resolved = await resolve(requestId, secret);
  if (!resolved.ok) return resolved.page;
  const closed = await closedPage(resolved.request, resolved.context.draft.name);
  const page = closed && !(await isRevisable(resolved)) ? closed : await formPage(resolved, String(secret));
  return pages.withOrganiser(page, resolved.context.draft.organiser);
}

/** A changed answer (a revisable kind, its round still open): the last one counts; the timeline keeps both. */
async function revise(resolved: Extract<Resolved, { ok: true }>, decision: { kind: string }): Promise<Page> {
  const { request, context, spec, actor } = resolved;
  const at = nowIso();
  const changed = await reviseDecision({
    request,
    decision,
    now: at,
    event: {
      at,
      type: "request.revised",
      summary: `${context.partner.name} (${request.contactName}) changed its answer: ${spec.summary(decision, { charterVersion: request.charterVersion })}`,
      actor,
      requestId: request.requestId,
      data: { ...decision, instance: request.instance },
    },
  });
  if (!changed) return pages.windowClosed({ allianceName: context.draft.name });
  await settleRound(request, spec);
  return pages.decisionRecorded({
    allianceName: context.draft.name,
    decision: { noun: spec.words.noun, details: spec.show(decision) },
    at,
    contactName: request.contactName,
  });
}

/**
 * After a decision: when the kind says the round is settled (its outcome can no longer change), the round's other
 * open requests are withdrawn (their links say why) and their waiting tasks answered, so the workflow goes on now.
 */
async function settleRound(request: RequestRecord, spec: RequestKindSpec): Promise<void> {
  const reason = await spec.settles?.({ allianceId: request.allianceId, instance: request.instance });
  if (reason === undefined) return;
  const open = (await listRequests(request.allianceId)).filter(
    (r) => r.instance === request.instance && r.kind === request.kind && r.status === "OPEN",
  );
  for (const other of open) await withdrawRequest(other, reason);
}

/** POST on a link: records the decision once (conditional write), then resumes the workflow. */
export async function decide(requestId: string, body: URLSearchParams): Promise<Page> {
  const resolved = await resolve(requestId, body.get("s") ?? "", { packet: false });
  if (!resolved.ok) return resolved.page;
  return pages.withOrganiser(await decideResolved(resolved, body), resolved.context.draft.organiser);
}

async function decideResolved(
  resolved: Extract<Resolved, { ok: true }>,
  body: URLSearchParams,
): Promise<Page> {
  const { request, context, spec, actor } = resolved;
  const allianceName = context.draft.name;
  const closed = await closedPage(request, allianceName);
  const revising = closed !== undefined && (await isRevisable(resolved));
  if (closed && !revising) return closed;

  const submission = spec.readForm(body, context);
  if (!submission.ok) return formPage(resolved, submission.secret, submission.errors, submission.values);
  if (submission.action === "delegate") return delegate(resolved, submission.secret, submission.delegateTo);
  const decision = spec.decision.parse(submission.decision);
  if (revising) return revise(resolved, decision);

  const at = nowIso();
  const what = spec.summary(decision, { charterVersion: request.charterVersion });
  const result = await decideRequest({
    request,
    decision,
    now: at,
    event: {
      at,
      type: "request.decided",
      summary: `${context.partner.name} (${request.contactName}) ${what}`,
      actor,
      requestId: request.requestId,
      data: { ...decision, instance: request.instance },
    },
  });
  if (result.refused) {
    return (
      (await closedPage(result.current ?? request, allianceName, result.outcome)) ??
      pages.windowClosed({ allianceName })
    );
  }
  // Delivered now, or already taken by the workflow: either way the recorded decision counts.
  await resumeWorkflow({ ...request, decision }, actor);
  if (request.shared) await closeColleagues(request, context.partner.name);
  if (spec.settles) await settleRound(request, spec);
  return pages.decisionRecorded({
    allianceName,
    decision: { noun: spec.words.noun, details: spec.show(decision) },
    at,
    contactName: request.contactName,
  });
}

/** Hands the request to a colleague at the same partner: new link for them, this one closes. */
async function delegate(
  resolved: Extract<Resolved, { ok: true }>,
  secret: string,
  email: string,
): Promise<Page> {
  const { request, context, spec, actor } = resolved;
  const { draft, partner } = context;
  const colleague = pages
    .delegateCandidates(draft.partners, partner.id, request.contactEmail)
    .find((c) => c.email === email);
  if (!colleague) {
    return formPage(resolved, secret, { delegateTo: "Choose a colleague listed for your organisation." });
  }
  const at = nowIso();
  const handed = await handOver({
    from: request,
    to: colleague,
    status: "DELEGATED",
    reason: `handed to ${colleague.name}`,
    at,
    actor,
    summary: `${request.contactName} handed the ${request.kind} request to ${colleague.name} (${partner.name})`,
  });
  if (!handed) return pages.windowClosed({ allianceName: draft.name });
  await notify(
    { id: request.allianceId, draft },
    [colleague.email],
    delegatedToYou({
      allianceName: draft.name,
      words: spec.words,
      fromName: request.contactName,
      fromEmail: request.contactEmail,
      toName: colleague.name,
      partnerName: partner.name,
      link: handed.link,
      deadline: handed.request.deadline,
    }),
    actor,
    { concernLinks: !spec.whileForming },
  );
  return pages.delegated({ allianceName: draft.name, toName: colleague.name, at, forOriginalHolder: true });
}

/**
 * Moves an open request to another contact of the same partner: a new request (same outcome, task and
 * deadline; a new link) opens for them and the old one closes as DELEGATED (handed over) or CANCELLED
 * (contact replaced), both on the timeline, all or nothing. Undefined when the old one was no longer open.
 */
export async function handOver(input: {
  from: RequestRecord;
  to: { name: string; email: string };
  status: "DELEGATED" | "CANCELLED";
  reason: string;
  at: string;
  actor: Actor;
  summary: string;
}): Promise<{ request: RequestRecord; link: string } | undefined> {
  // A retried ask may move the request to a new task token between our read and the write, which then
  // refuses: read again and retry while the request is still open (a closed one is the caller's answer).
  let from: RequestRecord | undefined = input.from;
  for (let attempt = 0; from?.status === "OPEN" && attempt < 3; attempt++) {
    const moved = await handOverOnce({ ...input, from });
    if (moved) return moved;
    from = await getRequestIn(from.allianceId, from.requestId);
  }
  return undefined;
}

async function handOverOnce(
  input: Parameters<typeof handOver>[0],
): Promise<{ request: RequestRecord; link: string } | undefined> {
  const { from, to, at, actor } = input;
  const secret = newSecret();
  const {
    remindedAt: _reminded,
    extraSecretHashes: _extra,
    notifiedAt: _notified,
    closedReason: _reason,
    ...inherited
  } = from;
  const next: RequestRecord = {
    ...inherited,
    requestId: newRequestId(),
    contactEmail: to.email,
    contactName: to.name,
    secretHash: hashSecret(secret),
    createdAt: at,
    delegatedFrom: from.requestId,
    status: "OPEN",
  };
  const ok = await addRequests({
    outcome: from,
    requests: [next],
    closing: { request: from, status: input.status, reason: input.reason, now: at },
    events: [
      {
        at,
        type: input.status === "DELEGATED" ? "request.delegated" : "request.replaced",
        summary: input.summary,
        actor,
        requestId: from.requestId,
        data: { to: to.email, newRequestId: next.requestId },
      },
      {
        at,
        type: "request.opened",
        summary: `New link for ${to.name} (${from.partnerId}), due ${next.deadline}`,
        actor,
        requestId: next.requestId,
        data: {
          kind: next.kind,
          instance: next.instance,
          partnerId: next.partnerId,
          deadline: next.deadline,
          delegatedFrom: from.requestId,
        },
      },
    ],
  });
  return ok ? { request: next, link: partnerLink(next.requestId, secret) } : undefined;
}
