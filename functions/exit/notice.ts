import { allEmails, loadVersion } from "../alliance/load";
import { notifyOnce, onceMarker } from "../mail/notify";
import { exitNotice } from "../mail/templates";
import type { Round } from "../requests";
import { now } from "../shared/time";
import { exitOf } from "./division";
import { EXIT_SYSTEM, type ExitInput } from "./inputs";

/** The longest the leaving partner has to acknowledge (never past the effective date). */
const ACKNOWLEDGE_DAYS = 14;

/** Whether the exit still runs, the acknowledgement round (absent for a dissolution), and when to send the status. */
export interface ExitNotice {
  ok: boolean;
  round?: Round;
  /** Halfway through a notice of MID_NOTICE_MIN_DAYS or more: when everyone gets a status email. */
  midNoticeAt?: string;
}

/** A notice this long or longer gets a status email halfway through. */
const MID_NOTICE_MIN_DAYS = 4;

/**
 * Gives the notice: every partner is emailed what happens and when (once: a retry finds the marker), and the leaving
 * partner's lead is asked to acknowledge it, within 14 days or by the effective date, whichever comes first; a notice
 * of four days or more also says when to send everyone a status email halfway through.
 * ok: false when the exit was cancelled before its notice went out.
 */
export async function giveExitNotice(input: ExitInput): Promise<ExitNotice> {
  const exit = await exitOf(input);
  if (exit.status !== "NOTICE") return { ok: false };
  const { alliance, draft } = await loadVersion(input.allianceId, exit.charterVersion);
  const leaving = draft.partners.find((p) => p.id === exit.partnerId);
  await notifyOnce(
    alliance,
    draft,
    onceMarker("exitNotice", exit.exitId),
    allEmails(draft),
    exitNotice({
      allianceName: draft.name,
      ...(leaving ? { leaving: leaving.name } : {}),
      reason: exit.reason,
      effectiveDate: exit.effectiveDate,
      noticeDays: draft.charter.exitTerms?.noticePeriodDays ?? 0,
      forceMajeure: exit.forceMajeure,
      division: exit.division,
    }),
    EXIT_SYSTEM,
  );
  const started = Date.parse(exit.startedAt);
  const effective = Date.parse(exit.effectiveDate);
  const midNotice =
    effective - started >= MID_NOTICE_MIN_DAYS * 86_400_000
      ? { midNoticeAt: `${new Date(started + (effective - started) / 2).toISOString().slice(0, 19)}Z` }
      : {};
  if (!leaving) return { ok: true, ...midNotice };
  const untilEffective = Math.floor((Date.parse(exit.effectiveDate) - now()) / 1000);
  const deadlineSeconds = Math.max(3600, Math.min(ACKNOWLEDGE_DAYS * 86_400, untilEffective));
  return {
    ok: true,
    ...midNotice,
    round: {
      instance: exit.exitId,
      charterVersion: exit.charterVersion,
      deadlineSeconds,
      remindBeforeSeconds: Math.min(2 * 86_400, Math.floor(deadlineSeconds / 2)),
      recipients: [{ who: "lead", partnerId: leaving.id }],
    },
  };
}
