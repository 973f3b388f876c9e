import { loadDraft } from "../alliance/load";
import { alignmentGaps, InterestMapSchema } from "../domain";
import type { InterestMapsView } from "../mail/templates";
import { readOutcomes } from "../store";
import { formationVersionOf } from "./inputs";

/**
 * The interest maps the partners shared in a formation, side by side with the alignment report, as every partner
 * reads them before approving the charter. Undefined when none was shared (a light-touch formation asks none).
 */
export async function interestMapsView(round: {
  allianceId: string;
  instance: string;
}): Promise<InterestMapsView | undefined> {
  const version = formationVersionOf(round.instance);
  if (version === undefined) return undefined;
  const outcomes = await readOutcomes(round.allianceId, round.instance, "interest-map");
  const maps = Object.fromEntries(
    outcomes
      .filter((o) => o.status === "DECIDED")
      .flatMap((o) => {
        const parsed = InterestMapSchema.safeParse((o.decision as { interestMap?: unknown }).interestMap);
        return parsed.success ? [[o.partnerId, parsed.data] as const] : [];
      }),
  );
  if (Object.keys(maps).length === 0) return undefined;
  const draft = await loadDraft(round.allianceId, version);
  const report = alignmentGaps(draft.partners, maps, draft.goals);
  return {
    partners: draft.partners.map((p) => ({ name: p.name, interestMap: maps[p.id] })),
    gaps: report.gaps,
    sharedGoals: report.sharedGoals,
  };
}
