import { loadDraft, organiserEmails } from "../alliance/load";
import { suspensionAt } from "../domain";
import { formatDate } from "../mail/dates";
import { notify } from "../mail/notify";
import { deadlineMissed } from "../mail/templates";
import { nowIso } from "../shared/time";
import {
  appendTimeline,
  getOutcome,
  getRequestIn,
  type RequestRecord,
  recordMiss,
  suspensionsOf,
} from "../store";
import { ENGINE, partnerIn } from "./context";
import { type MissedTask, respondentOf } from "./payloads";
import { requestKind } from "./registry";

/** What the workflow carries on with after a recipient's deadline. */
export interface MissedResult {
  respondent: string;
  partnerId: string;
  /** False when a decision was recorded just before the deadline: it counts like any other. */
  missed: boolean;
  countedAs?: string;
  /** The partner's deadlines were suspended (force majeure): the silence counts neither way. */
  excused?: boolean;
}

/** What a silence counts as while the partner's deadlines are suspended under the force-majeure clause. */
function excusedSilence(partnerName: string, until: string) {
  return {
    countedAs: "excused (force majeure)",
    consequence: `${partnerName}'s deadlines are suspended under the force-majeure clause until ${formatDate(until)}: the silence counts neither for nor against ${partnerName}.`,
  };
}

/**
 * The deadline step of "ask and wait": the recipient's task timed out. Records what the silence counts as
 * (the kind's rule under the charter) on the outcome, closes the open links (EXPIRED) and tells the people
 * asked. A decision recorded before the deadline whose callback lost the race counts; a retried task
 * finds the miss already recorded and says the same again.
 */
export async function recordMissedDeadline(task: MissedTask): Promise<MissedResult> {
  const respondent = respondentOf(task.recipient);
  const base = { respondent, partnerId: task.recipient.partnerId };
  const [draft, outcome, suspensions] = await Promise.all([
    loadDraft(task.allianceId, task.charterVersion),
    getOutcome({ ...task, respondent }),
    suspensionsOf(task.allianceId, task.recipient.partnerId),
  ]);
  const spec = requestKind(task.kind);
  const partner = partnerIn(draft, task.recipient.partnerId);
  const suspension = suspensionAt(suspensions, outcome?.deadline ?? nowIso());
  const excused = suspension !== undefined;
  const silence = suspension
    ? excusedSilence(partner.name, suspension.until)
    : spec.silence(draft, partner.name);
  if (outcome?.status === "DECIDED") return { ...base, missed: false };
  if (outcome?.status === "MISSED")
    return {
      ...base,
      missed: true,
      countedAs: outcome.countedAs ?? silence.countedAs,
      ...(outcome.excused ? { excused: true } : {}),
    };
  const event = {
    at: nowIso(),
    type: "request.expired",
    summary: `${partner.name} did not answer by ${outcome?.deadline ?? "the deadline"}; counted as ${silence.countedAs}`,
    actor: ENGINE,
    data: {
      kind: task.kind,
      instance: task.instance,
      partnerId: partner.id,
      countedAs: silence.countedAs,
      ...(suspension ? { excusedBy: suspension.escalationId } : {}),
    },
  };
  if (!outcome) {
    // The ask never opened (its task timed out before the request was written): nobody holds a link.
    await appendTimeline(task.allianceId, event);
    return { ...base, missed: true, countedAs: silence.countedAs, ...(excused ? { excused } : {}) };
  }
  const requests = await Promise.all(outcome.requestIds.map((id) => getRequestIn(task.allianceId, id)));
  const open = requests.filter((r): r is RequestRecord => r?.status === "OPEN");
  const recorded = await recordMiss({
    outcome,
    openRequests: open,
    countedAs: silence.countedAs,
    excused,
    event: { ...event, ...(open[0] ? { requestId: open[0].requestId } : {}) },
  });
  if (!recorded) return recordMissedDeadline(task);
  const missedEmail = (to: "asked" | "organiser") =>
    deadlineMissed({
      allianceName: draft.name,
      words: spec.words,
      partnerName: partner.name,
      consequence: silence.consequence,
      to,
    });
  const mailing = { id: task.allianceId, draft };
  await notify(
    mailing,
    open.map((r) => r.contactEmail),
    missedEmail("asked"),
    ENGINE,
    {
      concernLinks: !spec.whileForming,
    },
  );
  // The organiser hears of it too, in words for someone who held no link.
  await notify(mailing, organiserEmails(draft), missedEmail("organiser"), ENGINE, { concernLinks: false });
  return { ...base, missed: true, countedAs: silence.countedAs, ...(excused ? { excused } : {}) };
}
