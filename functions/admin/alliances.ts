import { randomBytes } from "node:crypto";
import { ExecutionAlreadyExists, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { loadVersion } from "../alliance/load";
import { auditMode, type FieldError, parseDraft } from "../domain";
import { interestMapsOf } from "../formation/outcome";
import { sfn } from "../shared/clients";
import { config } from "../shared/config";
import { nowIso } from "../shared/time";
import {
  type Actor,
  type AllianceRecord,
  addRevision,
  createAlliance,
  getAlliance,
  listAlliances,
  listRequests,
  readTimeline,
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

/** Creates a DRAFT alliance from a validated draft and starts its formation. */
export async function createAllianceFromDraft(body: unknown, actor: Actor) {
  const draft = parseOrThrow(body);
  const id = newAllianceId(draft.name);
  const at = nowIso();
  const { mode } = auditMode(draft);
  const alliance: AllianceRecord = {
    id,
    name: draft.name,
    status: "DRAFT",
    mode,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await createAlliance({
    alliance,
    revision: { allianceId: id, version: 1, draft, submittedAt: at, submittedBy: actor },
    event: {
      at,
      type: "alliance.created",
      summary: `Alliance "${draft.name}" created with ${draft.partners.length} partners (charter v1)`,
      actor,
      data: { version: 1, partners: draft.partners.map((p) => p.id) },
    },
  });
  const executionArn = await startFormation(id, 1, actor);
  return { id, status: "DRAFT", version: 1, mode, executionArn };
}

/** Adds a revised draft (a new charter version) to a DRAFT alliance and starts its formation. */
export async function reviseAlliance(allianceId: string, body: unknown, actor: Actor) {
  const alliance = await getAlliance(allianceId);
  if (!alliance) throw new AdminRequestError(404, `no alliance ${allianceId}`);
  if (alliance.status !== "DRAFT") {
    throw new AdminRequestError(
      409,
      `alliance ${allianceId} is ${alliance.status}; only a DRAFT takes a revision`,
    );
  }
  const draft = parseOrThrow(body);
  const version = alliance.version + 1;
  const at = nowIso();
  const { mode } = auditMode(draft);
  try {
    await addRevision({
      allianceId,
      expectedVersion: alliance.version,
      revision: { allianceId, version, draft, submittedAt: at, submittedBy: actor },
      name: draft.name,
      mode,
      event: {
        at,
        type: "alliance.revised",
        summary: `Revised draft submitted as charter v${version}`,
        actor,
        data: { version },
      },
    });
  } catch (error) {
    if (error instanceof Error && error.name === "AllianceStateError")
      throw new AdminRequestError(409, error.message);
    throw error;
  }
  const executionArn = await startFormation(allianceId, version, actor);
  return { id: allianceId, status: "DRAFT", version, mode, executionArn };
}

/** Alliances, newest first. */
export async function listAllAlliances() {
  const alliances = await listAlliances();
  return {
    alliances: alliances.map((a) => ({
      id: a.id,
      name: a.name,
      status: a.status,
      mode: a.mode,
      version: a.version,
      createdAt: a.createdAt,
      ...(a.nextReviewAt ? { nextReviewAt: a.nextReviewAt } : {}),
    })),
  };
}

/** One alliance: status, partners, pending requests with deadlines, interest maps and the timeline. */
export async function showAlliance(allianceId: string) {
  const alliance = await getAlliance(allianceId);
  if (!alliance) throw new AdminRequestError(404, `no alliance ${allianceId}`);
  const [{ draft }, requests, timeline, interestMaps] = await Promise.all([
    loadVersion(allianceId, alliance.version),
    listRequests(allianceId),
    readTimeline(allianceId),
    interestMapsOf(allianceId, alliance.version),
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
    auditFindings: alliance.auditFindings ?? [],
    purpose: draft.purpose,
    goals: draft.goals,
    partners: draft.partners.map((p) => ({
      id: p.id,
      name: p.name,
      sizeClass: p.sizeClass,
      votingWeight: p.votingWeight,
      contacts: p.contacts,
    })),
    interestMaps,
    pendingRequests: requests
      .filter((r) => r.status === "OPEN")
      .map((r) => ({
        requestId: r.requestId,
        kind: r.kind,
        instance: r.instance,
        version: r.charterVersion,
        partnerId: r.partnerId,
        contact: r.contactEmail,
        createdAt: r.createdAt,
        deadline: r.deadline,
        ...(r.remindAt ? { remindAt: r.remindAt } : {}),
        ...(r.remindedAt ? { remindedAt: r.remindedAt } : {}),
      })),
    timeline,
  };
}
