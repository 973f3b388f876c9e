import { type AllianceDraft, parseDraft, withContactAmendments } from "../domain";
import { config } from "../shared/config";
import {
  type AllianceRecord,
  getAlliance,
  getRevision,
  partnerStatuses,
  type RevisionRecord,
} from "../store";

/** The alliance or one of its versions is missing; the workflow fails with this name. */
export class AllianceNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AllianceNotFoundError";
  }
}

/** Loads the draft of one version, re-validated (stored data is a boundary too). */
export async function loadDraft(allianceId: string, version: number): Promise<AllianceDraft> {
  return (await loadRevision(allianceId, version)).draft;
}

/** Loads one version's record (who submitted it, what it answers) with its draft re-validated. */
export async function loadRevision(
  allianceId: string,
  version: number,
): Promise<{ revision: RevisionRecord; draft: AllianceDraft }> {
  const revision = await getRevision(allianceId, version);
  if (!revision) throw new AllianceNotFoundError(`alliance ${allianceId} has no version ${version}`);
  const parsed = parseDraft(revision.draft);
  if (!parsed.ok) {
    throw new AllianceNotFoundError(
      `alliance ${allianceId} v${version} holds an invalid draft: ${parsed.errors[0]?.message}`,
    );
  }
  return { revision, draft: parsed.draft };
}

/** Loads an alliance and the draft of one version, with the contacts as amended since (see ContactAmendment). */
export async function loadVersion(
  allianceId: string,
  version: number,
): Promise<{ alliance: AllianceRecord; draft: AllianceDraft }> {
  const [alliance, draft] = await Promise.all([getAlliance(allianceId), loadDraft(allianceId, version)]);
  if (!alliance) throw new AllianceNotFoundError(`no alliance ${allianceId}`);
  return { alliance, draft: withContactAmendments(draft, alliance.contactAmendments) };
}

/** Loads an alliance and its current version's draft (contacts as amended); undefined when there is no alliance. */
export async function loadCurrent(
  allianceId: string,
): Promise<{ alliance: AllianceRecord; draft: AllianceDraft } | undefined> {
  const alliance = await getAlliance(allianceId);
  if (!alliance) return undefined;
  const draft = await loadDraft(allianceId, alliance.version);
  return { alliance, draft: withContactAmendments(draft, alliance.contactAmendments) };
}

/** Who hears what needs the organiser: the draft's organiser, else the admin (ADMIN_EMAIL) when one is configured. */
export function organiserEmails(draft: Pick<AllianceDraft, "organiser">): string[] {
  if (draft.organiser) return [draft.organiser.email];
  const admin = config().ADMIN_EMAIL;
  return admin ? [admin] : [];
}

/** Every contact's email. */
export function allEmails(draft: AllianceDraft): string[] {
  return draft.partners.flatMap((p) => p.contacts.map((c) => c.email));
}

/** The draft's partners that have not EXITED (a leaving one still counts until its exit takes effect). */
export async function partnersInAlliance(
  allianceId: string,
  draft: AllianceDraft,
): Promise<AllianceDraft["partners"]> {
  const statuses = await partnerStatuses(allianceId);
  return draft.partners.filter((p) => statuses.get(p.id)?.status !== "EXITED");
}
