import { createHash, randomBytes } from "node:crypto";
import { ExecutionAlreadyExists, StartExecutionCommand, StopExecutionCommand } from "@aws-sdk/client-sfn";
import * as z from "zod";
import { allEmails, loadVersion, organiserEmails } from "../alliance/load";
import {
  type AllianceDraft,
  auditCharter,
  type FieldError,
  multiLine,
  parseDraft,
  parseWith,
  singleLine,
  trustBalances,
} from "../domain";
import { interestMapsOf } from "../formation/outcome";
import { notify } from "../mail/notify";
import { allianceCancelled } from "../mail/templates";
// An answer to a partner's comment may be as long as the comment.
import { MAX_COMMENT_LENGTH } from "../pages";
import { roundIdOf } from "../requests";
import { sfn } from "../shared/clients";
import { config } from "../shared/config";
import { nowIso } from "../shared/time";
import {
  type Actor,
  type AlliancePosition,
  type AllianceRecord,
  addRevision,
  allianceNamed,
  closeRequest,
  createAlliance,
  getAlliance,
  listAlliances,
  listEscalations,
  listExits,
  listProblems,
  listRequests,
  listReviews,
  openRequests,
  partnerStatuses,
  type RevisionRecord,
  readTimeline,
  readTrustLedger,
  transitionAlliance,
} from "../store";

/** The admin's request cannot be carried out as asked; maps to an HTTP status with field-level errors. */
export class AdminRequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = "AdminRequestError";
  }
}

// An id is a slug of the name (at most 40 characters) and 8 random hex digits; see newAllianceId.
const ALLIANCE_ID_MAX_LENGTH = 40 + 1 + 8;
const ALLIANCE_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{8}$/;

/** Whether `value` has the shape of an alliance id (check before any lookup: other shapes are "not found"). */
export function isAllianceId(value: unknown): value is string {
  return (
    typeof value === "string" && value.length <= ALLIANCE_ID_MAX_LENGTH && ALLIANCE_ID_PATTERN.test(value)
  );
}

/**
 * The one of `choices` the admin named in `field`, or the only one when none was named. Otherwise a 400 naming the
 * field and listing what may be named, and nothing changes. `choices` is not empty.
 */
export function chooseNamed<T>(
  choices: readonly T[],
  wanted: string | undefined,
  how: {
    field: string;
    nameOf: (choice: T) => string;
    /** What the choices are, one and many: "pending round", "pending rounds". */
    one: string;
    many: string;
    /** The error's message: "which round to extend is unclear". */
    message: string;
  },
): T {
  const chosen =
    wanted === undefined
      ? choices.length === 1
        ? choices[0]
        : undefined
      : choices.find((choice) => how.nameOf(choice) === wanted);
  if (chosen !== undefined) return chosen;
  const names = choices.map(how.nameOf).join(", ");
  throw new AdminRequestError(400, `${how.message}; nothing changed`, [
    {
      path: how.field,
      message:
        wanted === undefined
          ? `${choices.length} ${how.many} (${names}): name one`
          : `no ${how.one} "${shortened(wanted)}" (${how.many}: ${names})`,
    },
  ]);
}

/** The alliance, or a 404 for an unknown id; an id of the wrong shape never reaches the table. */
export async function allianceOr404(allianceId: string): Promise<AllianceRecord> {
  const alliance = isAllianceId(allianceId) ? await getAlliance(allianceId) : undefined;
  if (!alliance) throw new AdminRequestError(404, `no alliance ${shortened(allianceId)}`);
  return alliance;
}

/** A caller's value as echoed in a message: never longer than `max` characters. */
export function shortened(value: string, max = 80): string {
  return value.length <= max ? value : `${value.slice(0, max)}… (${value.length} characters)`;
}

function newAllianceId(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return `${slug || "alliance"}-${randomBytes(4).toString("hex")}`;
}

function parseOrThrow(body: unknown) {
  const parsed = parseDraft(body);
  if (!parsed.ok) throw new AdminRequestError(400, "the draft is invalid; nothing was saved", parsed.errors);
  return parsed.draft;
}

/** Execution name of a version's formation: deterministic, so a repeated start is harmless. */
export function formationExecutionName(allianceId: string, version: number): string {
  return `formation-${allianceId}-v${version}`.slice(0, 80);
}

async function startFormation(allianceId: string, version: number, actor: Actor): Promise<string> {
  const stateMachineArn = config().FORMATION_STATE_MACHINE_ARN;
  if (!stateMachineArn) throw new Error("FORMATION_STATE_MACHINE_ARN is not configured");
  const name = formationExecutionName(allianceId, version);
  const executionArn = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
  // Noted before the start: once started, the workflow may move the alliance on at any moment.
  await transitionAlliance({
    allianceId,
    from: ["DRAFT"],
    to: "DRAFT",
    version,
    set: { formationExecutionArn: executionArn },
    event: {
      at: nowIso(),
      type: "formation.submitted",
      summary: `Charter v${version} submitted for formation`,
      actor,
      data: { version, executionArn },
    },
  });
  try {
    await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify({ allianceId, version }) }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
  return executionArn;
}

/** What the audit says of a draft, as the admin API answers it: ok when nothing is missing, and every finding. */
function auditAnswer(draft: AllianceDraft) {
  const audit = auditCharter(draft);
  const findings = audit.findings.map(({ area, severity, message }) => ({ area, severity, message }));
  return { ok: audit.ok, mode: audit.mode, modeReason: audit.modeReason, findings };
}

const AUDIT_FAILED =
  "the charter fails the audit: it is saved as a DRAFT and no partner was mailed; complete what is missing and submit a revision";

/** Validates and audits a draft, saving nothing and mailing no one: what `create` would do, told in advance. */
export function checkDraft(body: unknown) {
  return auditAnswer(parseOrThrow(body));
}

/**
 * Creates a DRAFT alliance from a validated draft and, when its charter passes the audit, starts its formation. A
 * charter that fails the audit stays a DRAFT with the findings in the answer: the audit's homework is the
 * organiser's, so no partner is mailed until it passes (see reviseAlliance). 409 when an alliance of the same name
 * exists (not cancelled), unless `force`.
 */
export async function createAllianceFromDraft(
  body: unknown,
  actor: Actor,
  options: { force?: boolean } = {},
) {
  const draft = parseOrThrow(body);
  // The same draft submitted twice (a retried command, two admins) would mail every partner twice.
  const namesake = options.force ? undefined : await allianceNamed(draft.name);
  if (namesake !== undefined) {
    const existing = await getAlliance(namesake);
    if (existing && existing.status !== "CANCELLED")
      throw new AdminRequestError(
        409,
        `an alliance named "${draft.name}" exists already (${namesake}, ${existing.status}); nothing was saved. To create a second one anyway, send it again with ?force=true (CLI: --force)`,
      );
  }
  const id = newAllianceId(draft.name);
  const at = nowIso();
  const audit = auditAnswer(draft);
  const alliance: AllianceRecord = {
    id,
    name: draft.name,
    status: "DRAFT",
    mode: audit.mode,
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...(audit.ok ? {} : { auditFindings: audit.findings }),
  };
  await createAlliance({
    alliance,
    revision: { allianceId: id, version: 1, draft, submittedAt: at, submittedBy: actor },
    event: {
      at,
      type: "alliance.created",
      summary: `Alliance "${draft.name}" created with ${draft.partners.length} partners (charter v1)${audit.ok ? "" : `; the charter fails the audit: ${missingAreas(audit.findings)}`}`,
      actor,
      data: {
        version: 1,
        partners: draft.partners.map((p) => p.id),
        ...(audit.ok ? {} : { findings: audit.findings }),
      },
    },
  });
  if (!audit.ok)
    return {
      id,
      status: "DRAFT",
      version: 1,
      mode: audit.mode,
      message: AUDIT_FAILED,
      auditFindings: audit.findings,
    };
  const executionArn = await startFormation(id, 1, actor);
  return { id, status: "DRAFT", version: 1, mode: audit.mode, executionArn, auditFindings: audit.findings };
}

const missingAreas = (findings: readonly { area: string; severity: string }[]) =>
  [...new Set(findings.filter((f) => f.severity === "missing").map((f) => f.area))].join(", ");

/** A revision with the organiser's answers to the comments on the version not approved, keyed by partner id. */
const RevisionEnvelopeSchema = z.strictObject({
  draft: z.unknown(),
  answers: z.record(z.string(), multiLine(1, MAX_COMMENT_LENGTH)).optional(),
});

/**
 * The draft of a revision body and the organiser's answers: the body is either the draft itself or
 * `{ draft, answers: { <partnerId>: "<answer>" } }`. An answer for a partner that left no comment on the version
 * not approved is a 400 naming it (a stale answers file would otherwise tell partners about comments never made).
 */
function readRevision(
  body: unknown,
  alliance: AllianceRecord,
): { draft: AllianceDraft; answersTo?: RevisionRecord["answersTo"] } {
  const enveloped = typeof body === "object" && body !== null && !Array.isArray(body) && "draft" in body;
  if (!enveloped) return { draft: parseOrThrow(body), ...answeredComments(alliance, {}) };
  const envelope = parseWith(RevisionEnvelopeSchema, body);
  if (!envelope.ok)
    throw new AdminRequestError(400, "the revision is invalid; nothing was saved", envelope.errors);
  const parsed = parseDraft(envelope.value.draft);
  if (!parsed.ok)
    throw new AdminRequestError(
      400,
      "the draft is invalid; nothing was saved",
      parsed.errors.map((error) => ({ ...error, path: error.path === "" ? "draft" : `draft.${error.path}` })),
    );
  const answers = envelope.value.answers ?? {};
  const commented = new Set(alliance.lastRejection?.comments.map((comment) => comment.partnerId) ?? []);
  const stray = Object.keys(answers).filter((partnerId) => !commented.has(partnerId));
  if (stray.length > 0) {
    const last = alliance.lastRejection;
    throw new AdminRequestError(
      400,
      "an answer is for a comment that was never made; nothing was saved",
      stray.map((partnerId) => ({
        path: `answers.${partnerId}`,
        message:
          last === undefined
            ? "no version of this alliance was voted down, so there are no comments to answer"
            : `${partnerId} left no comment on charter v${last.version} (comments from: ${[...commented].join(", ") || "nobody"})`,
      })),
    );
  }
  return { draft: parsed.draft, ...answeredComments(alliance, answers) };
}

/** The comments on the last version not approved, each with its answer when the organiser gave one. */
function answeredComments(
  alliance: AllianceRecord,
  answers: Record<string, string>,
): { answersTo?: RevisionRecord["answersTo"] } {
  const last = alliance.lastRejection;
  if (last === undefined) return {};
  return {
    answersTo: {
      version: last.version,
      comments: last.comments.map((comment) => {
        // Own keys only: a partner id such as "constructor" must not find an inherited property.
        const answer = Object.hasOwn(answers, comment.partnerId) ? answers[comment.partnerId] : undefined;
        return answer === undefined ? comment : { ...comment, answer };
      }),
    },
  };
}

/**
 * Adds a revised draft (a new charter version) to a DRAFT alliance and, when it passes the audit, starts its
 * formation; one that fails stays a DRAFT with the findings in the answer, and no partner is mailed. The body may
 * carry the organiser's answers to the comments on the version not approved (see readRevision): the new version's
 * approval emails show them beside what changed.
 */
export async function reviseAlliance(allianceId: string, body: unknown, actor: Actor) {
  const alliance = await allianceOr404(allianceId);
  if (alliance.status !== "DRAFT") {
    throw new AdminRequestError(
      409,
      `alliance ${allianceId} is ${alliance.status}; only a DRAFT takes a revision`,
    );
  }
  const { draft, answersTo } = readRevision(body, alliance);
  const unanswered =
    answersTo?.comments.filter((comment) => comment.answer === undefined).map((c) => c.partnerId) ?? [];
  const version = alliance.version + 1;
  const at = nowIso();
  const audit = auditAnswer(draft);
  try {
    await addRevision({
      allianceId,
      expectedVersion: alliance.version,
      revision: {
        allianceId,
        version,
        draft,
        submittedAt: at,
        submittedBy: actor,
        ...(answersTo ? { answersTo } : {}),
      },
      name: draft.name,
      mode: audit.mode,
      ...(audit.ok ? {} : { auditFindings: audit.findings }),
      event: {
        at,
        type: "alliance.revised",
        summary: `Revised draft submitted as charter v${version}${answersTo ? ` (answers ${answersTo.comments.length - unanswered.length} of ${answersTo.comments.length} comments on v${answersTo.version})` : ""}${audit.ok ? "" : `; it fails the audit: ${missingAreas(audit.findings)}`}`,
        actor,
        data: {
          version,
          ...(answersTo
            ? { answersTo: answersTo.version, answered: answersTo.comments.length - unanswered.length }
            : {}),
          ...(audit.ok ? {} : { findings: audit.findings }),
        },
      },
    });
  } catch (error) {
    if (error instanceof Error && error.name === "AllianceStateError")
      throw new AdminRequestError(409, error.message);
    throw error;
  }
  // Comments left without an answer: the partners will read "no answer given" under them, so the organiser hears it now.
  const left = unanswered.length > 0 ? { unansweredComments: unanswered } : {};
  if (!audit.ok)
    return {
      id: allianceId,
      status: "DRAFT",
      version,
      mode: audit.mode,
      message: AUDIT_FAILED,
      auditFindings: audit.findings,
      ...left,
    };
  const executionArn = await startFormation(allianceId, version, actor);
  return {
    id: allianceId,
    status: "DRAFT",
    version,
    mode: audit.mode,
    executionArn,
    auditFindings: audit.findings,
    ...left,
  };
}

/** How many alliances one page of `GET /admin/alliances` holds: 50 unless asked, at most 100. */
export const ALLIANCE_PAGE = { defaultSize: 50, maxSize: 100 } as const;

/** Whom an alliance waits on: one entry per partner and decision still open before its deadline, soonest first. */
export interface Waiting {
  partnerId: string;
  kind: string;
  deadline: string;
}

// One read of the open-requests index for the whole page, instead of a query per alliance.
async function waitingOnByAlliance(): Promise<Map<string, Waiting[]>> {
  const at = nowIso();
  const waiting = new Map<string, Waiting[]>();
  const seen = new Set<string>();
  for (const request of await openRequests()) {
    if (request.deadline <= at) continue;
    // One entry per partner decision: the contacts of a shared request are asked for the same one.
    const key = `${request.allianceId}/${request.instance}/${request.kind}/${request.respondent}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const list = waiting.get(request.allianceId) ?? [];
    list.push({ partnerId: request.partnerId, kind: request.kind, deadline: request.deadline });
    waiting.set(request.allianceId, list);
  }
  for (const list of waiting.values()) list.sort((a, b) => a.deadline.localeCompare(b.deadline));
  return waiting;
}

/** Alliances, newest first, a page at a time; `nextToken` (absent on the last page) asks for the next one. */
export async function listAllAlliances(
  page: { limit?: number | undefined; nextToken?: string | undefined } = {},
) {
  const after = page.nextToken === undefined ? undefined : decodeListToken(page.nextToken);
  const [{ alliances, next }, waiting] = await Promise.all([
    listAlliances({ limit: page.limit ?? ALLIANCE_PAGE.defaultSize, after }),
    waitingOnByAlliance(),
  ]);
  return {
    alliances: alliances.map((a) => ({
      id: a.id,
      name: a.name,
      status: a.status,
      mode: a.mode,
      version: a.version,
      createdAt: a.createdAt,
      ...(a.nextReviewAt ? { nextReviewAt: a.nextReviewAt } : {}),
      waitingOn: waiting.get(a.id) ?? [],
    })),
    ...(next ? { nextToken: encodeListToken(next) } : {}),
  };
}

// A list token is the position a page ended at, base64url-encoded, with a checksum so that a token cut short
// or damaged in transit is refused rather than silently read as another position. It is not a signature
// (anyone can compute it) and need not be: a token only positions a cursor over alliances the caller may
// list anyway, and its fields are checked below.
const LIST_TOKEN_PATTERN = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{16})$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function listTokenChecksum(payload: string): string {
  return createHash("sha256").update(`alliances-list:${payload}`).digest("base64url").slice(0, 16);
}

/** The opaque `nextToken` for the page that starts after `position`. */
export function encodeListToken(position: AlliancePosition): string {
  const payload = Buffer.from(JSON.stringify([position.createdAt, position.id])).toString("base64url");
  return `${payload}.${listTokenChecksum(payload)}`;
}

/** The position a `nextToken` names; a 400 naming `nextToken` when it is malformed or altered. */
export function decodeListToken(token: string): AlliancePosition {
  const invalid = (problem: string) =>
    new AdminRequestError(400, `nextToken ${problem}; list again without it to start from the newest`, [
      { path: "nextToken", message: problem },
    ]);
  const match = LIST_TOKEN_PATTERN.exec(token);
  if (!match) throw invalid("is not a list token");
  const [, payload = "", checksum] = match;
  if (checksum !== listTokenChecksum(payload)) throw invalid("was altered or cut short");
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw invalid("is not a list token");
  }
  const [createdAt, id] = Array.isArray(decoded) && decoded.length === 2 ? decoded : [];
  if (
    typeof createdAt !== "string" ||
    !ISO_INSTANT.test(createdAt) ||
    Number.isNaN(Date.parse(createdAt)) ||
    !isAllianceId(id)
  )
    throw invalid("does not name a position in the alliance list");
  return { createdAt, id };
}

/** One alliance: status, partners, pending requests with deadlines, interest maps and the timeline. */
const CharterVoteEventData = z.object({
  version: z.int(),
  comments: z.array(z.object({ partnerId: z.string(), vote: z.string(), comment: z.string() })),
});

/** The comments left with each charter vote, from the timeline's charter.approved / charter.rejected entries. */
function charterCommentsOf(timeline: readonly { type: string; data?: unknown }[]) {
  return timeline.flatMap((event) => {
    if (event.type !== "charter.approved" && event.type !== "charter.rejected") return [];
    const parsed = CharterVoteEventData.safeParse(event.data);
    if (!parsed.success) return [];
    const outcome = event.type === "charter.approved" ? "approved" : "not approved";
    return [{ version: parsed.data.version, outcome, comments: parsed.data.comments }];
  });
}

export async function showAlliance(allianceId: string) {
  const alliance = await allianceOr404(allianceId);
  const shownAt = nowIso();
  const [
    { draft },
    requests,
    timeline,
    interestMaps,
    ledger,
    reviews,
    statuses,
    exits,
    escalations,
    problems,
  ] = await Promise.all([
    loadVersion(allianceId, alliance.version),
    listRequests(allianceId),
    readTimeline(allianceId),
    interestMapsOf(allianceId, alliance.formedVersion ?? alliance.version),
    readTrustLedger(allianceId),
    listReviews(allianceId),
    partnerStatuses(allianceId),
    listExits(allianceId),
    listEscalations(allianceId),
    listProblems(allianceId),
  ]);
  return {
    id: alliance.id,
    name: alliance.name,
    status: alliance.status,
    mode: alliance.mode,
    version: alliance.version,
    createdAt: alliance.createdAt,
    updatedAt: alliance.updatedAt,
    ...(alliance.activatedAt ? { activatedAt: alliance.activatedAt } : {}),
    ...(alliance.nextReviewAt ? { nextReviewAt: alliance.nextReviewAt } : {}),
    ...(alliance.lastRejection ? { lastRejection: alliance.lastRejection } : {}),
    /** What the partners wrote with their charter votes, per version put to the vote, oldest first. */
    charterComments: charterCommentsOf(timeline),
    auditFindings: alliance.auditFindings ?? [],
    /** Workflows that stopped without finishing and wait for an admin (`concord workflows retry`). */
    problems: problems.map(({ allianceId: _alliance, ...problem }) => problem),
    purpose: draft.purpose,
    goals: draft.goals,
    partners: draft.partners.map((p) => ({
      id: p.id,
      name: p.name,
      status: statuses.get(p.id)?.status ?? "ACTIVE",
      sizeClass: p.sizeClass,
      votingWeight: p.votingWeight,
      contacts: p.contacts,
    })),
    interestMaps,
    trust: {
      balances: trustBalances(
        draft.partners.map((p) => p.id),
        ledger,
      ),
    },
    reviews: reviews.map((r) => ({
      reviewId: r.reviewId,
      status: r.status,
      ...(r.outcome ? { outcome: r.outcome } : {}),
      startedAt: r.startedAt,
      ...(r.closedAt ? { closedAt: r.closedAt } : {}),
    })),
    exits: exits.map((e) => ({
      exitId: e.exitId,
      status: e.status,
      ...(e.partnerId === "all" ? { dissolve: true } : { partnerId: e.partnerId }),
      effectiveDate: e.effectiveDate,
    })),
    escalations: escalations.map((e) => ({
      escalationId: e.escalationId,
      status: e.status,
      rung: e.rung + 1,
      subject: e.subject,
    })),
    pendingRequests: requests
      .filter((r) => r.status === "OPEN")
      .map((r) => ({
        requestId: r.requestId,
        kind: r.kind,
        instance: r.instance,
        // What `requests extend --round` takes.
        round: roundIdOf(r),
        version: r.charterVersion,
        partnerId: r.partnerId,
        contact: r.contactEmail,
        createdAt: r.createdAt,
        deadline: r.deadline,
        // Past its deadline, an open request waits for its workflow to close it: it can no longer be extended.
        ...(r.deadline <= shownAt ? { overdue: true } : {}),
        ...(r.remindAt ? { remindAt: r.remindAt } : {}),
        ...(r.remindedAt ? { remindedAt: r.remindedAt } : {}),
      })),
    timeline,
  };
}

/** What an admin sends to cancel an alliance. */
const CancelAllianceSchema = z.strictObject({ reason: singleLine(1, 500) });

/**
 * Cancels an alliance that is a DRAFT or still FORMING: it becomes CANCELLED, its formation stops, every open link
 * closes with a page that gives the reason, and everyone it asked something of (and the organiser) is told. 409
 * once it is ACTIVE (an exit or a dissolution ends an active alliance) or already closed; 400 without a reason.
 */
export async function cancelAlliance(allianceId: string, body: unknown, actor: Actor) {
  const parsed = parseWith(CancelAllianceSchema, body);
  if (!parsed.ok)
    throw new AdminRequestError(400, "the cancellation is invalid; nothing changed", parsed.errors);
  const { reason } = parsed.value;
  const alliance = await allianceOr404(allianceId);
  if (alliance.status !== "DRAFT" && alliance.status !== "FORMING")
    throw new AdminRequestError(
      409,
      `alliance ${allianceId} is ${alliance.status}; only a DRAFT or FORMING one can be cancelled (an ACTIVE one ends by dissolution: exits start --dissolve)`,
    );
  const at = nowIso();
  const moved = await transitionAlliance({
    allianceId,
    from: [alliance.status],
    to: "CANCELLED",
    set: { cancelReason: reason },
    reviewDue: null,
    event: { at, type: "alliance.cancelled", summary: `Cancelled: ${reason}`, actor, data: { reason } },
  });
  if (!moved) throw new AdminRequestError(409, `alliance ${allianceId} changed meanwhile; look and retry`);
  if (alliance.formationExecutionArn) {
    try {
      await sfn.send(
        new StopExecutionCommand({
          executionArn: alliance.formationExecutionArn,
          error: "AllianceCancelled",
          cause: reason,
        }),
      );
    } catch (error) {
      // A formation that had finished (a rejected charter returned it to DRAFT) has nothing to stop.
      if (!(error instanceof Error && error.name === "ExecutionDoesNotExist")) throw error;
    }
  }
  const open = (await listRequests(allianceId)).filter((r) => r.status === "OPEN");
  for (const request of open)
    await closeRequest({ request, status: "CANCELLED", reason: `the alliance was cancelled: ${reason}` });
  const { draft } = await loadVersion(allianceId, alliance.version);
  // Partners heard of it only once its formation asked them something; the organiser always.
  const asked = alliance.status === "FORMING" || alliance.formationExecutionArn !== undefined;
  await notify(
    { id: allianceId, draft },
    [...(asked ? allEmails(draft) : []), ...organiserEmails(draft)],
    allianceCancelled({ allianceName: draft.name, reason }),
    actor,
    { concernLinks: false },
  );
  return { id: allianceId, status: "CANCELLED" as const, closedLinks: open.length };
}
