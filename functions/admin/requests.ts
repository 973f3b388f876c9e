import * as z from "zod";
import { loadDraft, loadVersion } from "../alliance/load";
import {
  type ContactReplacement,
  ContactReplacementError,
  ContactReplacementSchema,
  multiLine,
  parseWith,
  replaceContact,
  withContactAmendments,
} from "../domain";
import { partnerLink } from "../links/links";
import { hashSecret, isRequestId, newSecret } from "../links/secret";
import { notify } from "../mail/notify";
import {
  executionOf,
  extendRound,
  handOver,
  type PendingRound,
  pendingRounds,
  requestKind,
} from "../requests";
import { now, nowIso } from "../shared/time";
import {
  type Actor,
  addContactAmendment,
  addSecretHash,
  appendTimeline,
  getOutcome,
  getRequest,
  listRequests,
  type RequestRecord,
} from "../store";
import { AdminRequestError, allianceOr404, chooseNamed, shortened } from "./alliances";

/** The most days one extension adds: a round is meant to close; extend again if it must. */
export const MAX_EXTENSION_DAYS = 90;

const ExtendRoundSchema = z.strictObject({
  days: z.int({ error: "must be a whole number of days" }).min(1).max(MAX_EXTENSION_DAYS),
  round: z.string().max(200).optional(),
  reason: multiLine(1, 500).optional(),
});

/**
 * Gives a pending round more time: `{ days, round?, reason? }`. `round` ("<instance>/<kind>", as `alliances show`
 * lists pending requests) may be left out when only one round is pending. 400 naming the field for a bad body or
 * an unknown round, 409 when nothing is pending; see extendRound for what moves and who is told.
 */
export async function extendPendingRound(allianceId: string, body: unknown, actor: Actor) {
  const alliance = await allianceOr404(allianceId);
  const parsed = parseWith(ExtendRoundSchema, body ?? {});
  if (!parsed.ok)
    throw new AdminRequestError(400, "the extension is invalid; nothing changed", parsed.errors);
  const { days, reason } = parsed.value;
  const rounds = await pendingRounds(allianceId);
  if (rounds.length === 0)
    throw new AdminRequestError(
      409,
      `alliance ${allianceId} waits for no one: no request is open; nothing changed`,
    );
  const round = chooseNamed(rounds, parsed.value.round, {
    field: "round",
    nameOf: (r) => r.id,
    one: "pending round",
    many: "pending rounds",
    message: "which round to extend is unclear",
  });
  await refuseBeyondWorkflowLimit(round, days);
  const { draft } = await loadVersion(allianceId, round.requests[0]?.charterVersion ?? alliance.version);
  return extendRound({ allianceId, draft, round, days, ...(reason ? { reason } : {}), actor });
}

// A Standard execution ends a year after it starts, and a task's timeout is at most a year: a round's new deadline
// leaves a day for what follows it.
const YEAR_MS = 365 * 86_400_000;
const DAY_MS = 86_400_000;

/** 400 naming `days` when the round's latest new deadline would fall past what its workflow can wait for. */
async function refuseBeyondWorkflowLimit(round: PendingRound, days: number): Promise<void> {
  const [first] = round.requests;
  const started = first ? (await executionOf(first))?.startDate?.getTime() : undefined;
  const limit = Math.min(now() + YEAR_MS, (started ?? now()) + YEAR_MS) - DAY_MS;
  const latest = Math.max(...round.requests.map((r) => Date.parse(r.deadline)));
  const most = Math.floor((limit - latest) / DAY_MS);
  if (latest + days * DAY_MS <= limit) return;
  throw new AdminRequestError(400, "the extension is too long; nothing changed", [
    {
      path: "days",
      message:
        most >= 1
          ? `at most ${most} more day${most === 1 ? "" : "s"} for this round: Step Functions ends a workflow a year after it starts${started ? ` (this one started ${new Date(started).toISOString()})` : ""}`
          : "this round cannot wait any longer: its workflow reaches the year Step Functions gives an execution",
    },
  ]);
}

function closedMessage(request: RequestRecord): string | undefined {
  if (request.status !== "OPEN") return `request ${request.requestId} is closed (${request.status})`;
  if (now() >= Date.parse(request.deadline))
    return `request ${request.requestId} is closed (its deadline ${request.deadline} passed)`;
  return undefined;
}

/**
 * Mails an open request's link again, as a fresh link (only secret hashes are stored); the links mailed
 * before keep working until the request closes. Refused (409) for a closed request.
 */
export async function resendRequest(requestId: string, actor: Actor) {
  const request = isRequestId(requestId) ? await getRequest(requestId) : undefined;
  if (!request) throw new AdminRequestError(404, `no request ${shortened(requestId)}`);
  const outcome = request.shared ? await getOutcome(request) : undefined;
  const closed =
    closedMessage(request) ??
    (outcome && outcome.status !== "OPEN"
      ? `request ${request.requestId} is closed (a colleague's answer decided it: ${outcome.status})`
      : undefined);
  if (closed) throw new AdminRequestError(409, `${closed}; nothing was sent`);
  const { draft } = await loadVersion(request.allianceId, request.charterVersion);
  const partner = draft.partners.find((p) => p.id === request.partnerId);
  if (!partner) throw new AdminRequestError(409, `partner ${request.partnerId} is no longer in the alliance`);
  const secret = newSecret();
  if (!(await addSecretHash(request, hashSecret(secret)))) {
    throw new AdminRequestError(409, `request ${requestId} closed just now; nothing was sent`);
  }
  await appendTimeline(request.allianceId, {
    at: nowIso(),
    type: "request.resent",
    summary: `Re-sent ${request.contactName}'s ${requestKind(request.kind).words.noun} link (${partner.name})`,
    actor,
    requestId: request.requestId,
  });
  await notify(
    { id: request.allianceId, draft },
    [request.contactEmail],
    requestKind(request.kind).requestEmail({
      draft,
      partner,
      contact: { name: request.contactName, email: request.contactEmail },
      deadline: request.deadline,
      link: partnerLink(request.requestId, secret),
    }),
    actor,
    { concernLinks: !requestKind(request.kind).whileForming },
  );
  return { requestId, contact: request.contactEmail, deadline: request.deadline };
}

/**
 * Replaces a partner's contact: the alliance's contact list changes as a recorded amendment, and the person's
 * open requests move to the new contact (the old links close with a page that says so; the new contact gets
 * new links), all on the timeline. Refused (400, naming the field) for an unknown partner or contact.
 */
export async function replaceContactOf(allianceId: string, body: unknown, actor: Actor) {
  const parsed = parseWith(ContactReplacementSchema, body);
  if (!parsed.ok)
    throw new AdminRequestError(400, "the replacement is invalid; nothing changed", parsed.errors);
  const change: ContactReplacement = parsed.value;
  const alliance = await allianceOr404(allianceId);
  const { draft } = await loadVersion(allianceId, alliance.version);
  const amendments = alliance.contactAmendments ?? [];
  // The same replacement again (a retry after a failure part-way): the amendment stands; finish moving.
  const repeated = amendments.find(
    (a) =>
      a.partnerId === change.partnerId &&
      same(a.replace, change.replace) &&
      same(a.with.email, change.with.email),
  );
  const before = repeated
    ? withContactAmendments(
        await loadDraft(allianceId, alliance.version),
        amendments.slice(0, amendments.indexOf(repeated)),
      )
    : draft;
  let amended: typeof draft;
  try {
    amended = repeated ? draft : replaceContact(draft, change);
  } catch (error) {
    if (!(error instanceof ContactReplacementError)) throw error;
    throw new AdminRequestError(400, `${error.message}; nothing changed`, [
      { path: error.field, message: error.message },
    ]);
  }
  const partner = amended.partners.find((p) => p.id === change.partnerId);
  const old = before.partners
    .find((p) => p.id === change.partnerId)
    ?.contacts.find((c) => same(c.email, change.replace));
  if (!partner || !old) throw new Error("replaceContact accepted a change it cannot apply");
  const at = nowIso();
  const recorded =
    repeated !== undefined ||
    (await addContactAmendment({
      allianceId,
      expectedCount: amendments.length,
      amendment: { ...change, at, by: actorName(actor) },
      event: {
        at,
        type: "alliance.contact-replaced",
        summary: `${change.with.name} <${change.with.email}> replaces ${old.name} <${old.email}> as ${partner.name}'s ${change.with.role ?? old.role} contact`,
        actor,
        data: { partnerId: partner.id, replaced: old.email, by: change.with.email },
      },
    }));
  if (!recorded) {
    throw new AdminRequestError(
      409,
      "the alliance's contacts changed meanwhile; nothing changed (check and retry)",
    );
  }

  const moved: { from: string; to: string; kind: string }[] = [];
  const open = (await listRequests(allianceId)).filter(
    (r) =>
      r.status === "OPEN" &&
      r.partnerId === partner.id &&
      same(r.contactEmail, old.email) &&
      now() < Date.parse(r.deadline),
  );
  for (const request of open) {
    const handed = await handOver({
      from: request,
      to: { name: change.with.name, email: change.with.email },
      status: "CANCELLED",
      reason: `${change.with.name} replaced ${old.name} as ${partner.name}'s contact, so this link was closed`,
      at: nowIso(),
      actor,
      summary: `${old.name}'s ${request.kind} request moved to ${change.with.name} (${partner.name}): contact replaced`,
    });
    if (!handed) continue;
    const { draft: requestDraft } = await loadVersion(allianceId, request.charterVersion);
    await notify(
      { id: allianceId, draft: requestDraft },
      [change.with.email],
      requestKind(request.kind).requestEmail({
        draft: requestDraft,
        partner: requestDraft.partners.find((p) => p.id === partner.id) ?? partner,
        contact: { name: change.with.name, email: change.with.email },
        deadline: handed.request.deadline,
        link: handed.link,
      }),
      actor,
      { concernLinks: !requestKind(request.kind).whileForming },
    );
    moved.push({ from: request.requestId, to: handed.request.requestId, kind: request.kind });
  }
  return { allianceId, partnerId: partner.id, replaced: old.email, by: change.with.email, moved };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function actorName(actor: Actor): string {
  return actor.kind === "partner" ? actor.email : actor.id;
}
