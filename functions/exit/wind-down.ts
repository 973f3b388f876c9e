import { allEmails, loadVersion, partnersInAlliance } from "../alliance/load";
import { type AssetTransfer, DEFAULT_WIND_DOWN_DAYS, windDownObligations } from "../domain";
import { notifyOnce, onceMarker } from "../mail/notify";
import { windDownStarted } from "../mail/templates";
import { outcomeState, type Round } from "../requests";
import { now, nowIso } from "../shared/time";
import { advanceExit, type ExitRecord, readOutcomesUnder } from "../store";
import { exitOf } from "./division";
import { EXIT_SYSTEM, type ExitInput, obligationInstance } from "./inputs";

const DAY_S = 86_400;
/** How long a leaving partner has to acknowledge the non-disparagement clause. */
const NON_DISPARAGEMENT_DAYS = 7;

/** The transfers a settled division makes: the admin's, when they decided them, else the plan's. */
export function settledTransfers(exit: ExitRecord): AssetTransfer[] {
  return (
    exit.divisionDecision?.transfers ??
    exit.division.flatMap((d) => (d.transfers ?? []).map((t) => ({ asset: d.asset, ...t })))
  );
}

/**
 * The division is settled: the exit moves to OBLIGATIONS with its wind-down obligations (each transfer, and the
 * leaver's confidential information; see windDownObligations), all due when the charter's wind-down period ends.
 * Everyone gets the list; each obligation's owner is asked to confirm it through a link (one round per obligation),
 * and then the leaving partners to acknowledge the non-disparagement clause when the charter has it.
 */
export async function prepareWindDown(
  input: ExitInput,
): Promise<{ obligations: Round[]; nonDisparagement?: Round }> {
  let exit = await exitOf(input);
  const { alliance, draft } = await loadVersion(input.allianceId, exit.charterVersion);
  const terms = draft.charter.exitTerms;
  const inAlliance = await partnersInAlliance(input.allianceId, draft);
  const leaving = exit.partnerId === "all" ? inAlliance : inAlliance.filter((p) => p.id === exit.partnerId);
  if (exit.status === "ASSET_DIVISION") {
    const due = new Date(now() + (terms?.windDownDays ?? DEFAULT_WIND_DOWN_DAYS) * DAY_S * 1000);
    const obligations = windDownObligations(
      settledTransfers(exit).filter((t) => inAlliance.some((p) => p.id === t.from)),
      leaving,
      draft.partners,
      `${due.toISOString().slice(0, 19)}Z`,
    );
    await advanceExit({
      exit,
      from: "ASSET_DIVISION",
      to: "OBLIGATIONS",
      fields: { obligations },
      event: {
        at: nowIso(),
        type: "exit.obligations",
        summary: `The asset division is settled; ${obligations.length} wind-down obligation(s) are due by ${obligations[0]?.dueDate.slice(0, 10) ?? "—"}`,
        actor: EXIT_SYSTEM,
        data: { exitId: exit.exitId },
      },
    });
    exit = await exitOf(input);
  }
  if (exit.status !== "OBLIGATIONS") return { obligations: [] };
  const obligations = exit.obligations ?? [];
  const leaver = draft.partners.find((p) => p.id === exit.partnerId);
  await notifyOnce(
    alliance,
    draft,
    onceMarker("exitObligations", exit.exitId),
    allEmails(draft),
    windDownStarted({ allianceName: draft.name, ...(leaver ? { leaving: leaver.name } : {}), obligations }),
    EXIT_SYSTEM,
  );
  const rounds: Round[] = obligations.map((o) => {
    const deadlineSeconds = Math.max(3600, Math.floor((Date.parse(o.dueDate) - now()) / 1000));
    return {
      instance: obligationInstance(exit.exitId, o.id),
      charterVersion: exit.charterVersion,
      deadlineSeconds,
      remindBeforeSeconds: Math.min(3 * DAY_S, Math.floor(deadlineSeconds / 2)),
      recipients: [{ who: "lead", partnerId: o.owner }],
    };
  });
  return {
    obligations: rounds,
    ...(terms?.nonDisparagement === true && leaving.length > 0
      ? {
          nonDisparagement: {
            instance: exit.exitId,
            charterVersion: exit.charterVersion,
            deadlineSeconds: NON_DISPARAGEMENT_DAYS * DAY_S,
            remindBeforeSeconds: 2 * DAY_S,
            recipients: leaving.map((p) => ({ who: "lead" as const, partnerId: p.id })),
          },
        }
      : {}),
  };
}

/** Where one wind-down obligation stands: confirmed (when, by whom), missed or excused at its due date, or open. */
export type ObligationStatus = NonNullable<ExitRecord["obligations"]>[number] & {
  /** EXCUSED: not confirmed by its due date while its owner's deadlines were suspended (force majeure). */
  status: "DONE" | "MISSED" | "EXCUSED" | "OPEN";
  confirmedAt?: string;
  confirmedBy?: string;
};

/** Every obligation of the exit with where it stands, read in one query over its obligation rounds. */
export async function obligationStatuses(exit: ExitRecord): Promise<ObligationStatus[]> {
  const outcomes = await readOutcomesUnder(exit.allianceId, obligationInstance(exit.exitId, "ob-"));
  return (exit.obligations ?? []).map((o) => {
    const outcome = outcomes.find(
      (r) => r.instance === obligationInstance(exit.exitId, o.id) && r.kind === "wind-down-obligation",
    );
    return {
      ...o,
      status: outcomeState(outcome, { answered: "DONE", waiting: "OPEN" }),
      ...(outcome?.decidedAt ? { confirmedAt: outcome.decidedAt } : {}),
      ...(outcome?.decidedBy ? { confirmedBy: outcome.decidedBy.name } : {}),
    };
  });
}
