import { loadDraft, loadRevision } from "../alliance/load";
import { charterChanges } from "../mail/charter-summary";
import type { RevisionView } from "../mail/templates";
import { formationVersionOf } from "./inputs";

/**
 * What a revised charter's approval round shows beside the charter: what changed since the version the partners
 * last voted on, and each comment they left on it with the organiser's answer. Undefined for a first version, or a
 * version that follows no vote (nothing to compare with). Two reads, only for a revision.
 */
export async function revisionView(round: {
  allianceId: string;
  instance: string;
}): Promise<RevisionView | undefined> {
  const version = formationVersionOf(round.instance);
  if (version === undefined || version === 1) return undefined;
  const { revision, draft } = await loadRevision(round.allianceId, version);
  const seen = revision.answersTo;
  if (seen === undefined) return undefined;
  const earlier = await loadDraft(round.allianceId, seen.version);
  const nameOf = (partnerId: string) =>
    (
      earlier.partners.find((partner) => partner.id === partnerId) ??
      draft.partners.find((p) => p.id === partnerId)
    )?.name ?? partnerId;
  return {
    version,
    since: seen.version,
    changes: charterChanges(earlier, draft),
    comments: seen.comments.map(({ partnerId, vote, comment, answer }) => ({
      partnerName: nameOf(partnerId),
      vote,
      comment,
      ...(answer === undefined ? {} : { answer }),
    })),
  };
}
