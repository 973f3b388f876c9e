import { allEmails, loadVersion } from "../alliance/load";
import { notifyOnce, onceMarker } from "../mail/notify";
import { exitStatus } from "../mail/templates";
import { hasMarker, readOutcomes } from "../store";
import { exitOf } from "./division";
import { EXIT_SYSTEM, type ExitInput } from "./inputs";

/**
 * Halfway through the notice period: everyone is told where the exit stands (when it takes effect, whether the
 * leaving partner acknowledged, how the assets divide). Once, behind a marker; nothing for a cancelled exit.
 */
export async function sendExitStatus(input: ExitInput): Promise<{ sent: boolean }> {
  const exit = await exitOf(input);
  if (exit.status !== "NOTICE") return { sent: false };
  const { alliance, draft } = await loadVersion(input.allianceId, exit.charterVersion);
  const marker = onceMarker("exitStatus", exit.exitId);
  // Checked before the outcome is read: a retry after the send reads nothing.
  if (hasMarker(alliance, marker)) return { sent: false };
  const leaving = draft.partners.find((p) => p.id === exit.partnerId);
  const [acknowledgement] = leaving
    ? await readOutcomes(input.allianceId, exit.exitId, "exit-acknowledgement")
    : [];
  await notifyOnce(
    alliance,
    draft,
    marker,
    allEmails(draft),
    exitStatus({
      allianceName: draft.name,
      ...(leaving ? { leaving: leaving.name } : {}),
      effectiveDate: exit.effectiveDate,
      acknowledged:
        acknowledgement === undefined
          ? undefined
          : acknowledgement.status === "DECIDED"
            ? "yes"
            : acknowledgement.status === "MISSED"
              ? acknowledgement.excused
                ? "excused"
                : "missed"
              : "pending",
      division: exit.division,
    }),
    EXIT_SYSTEM,
  );
  return { sent: true };
}
