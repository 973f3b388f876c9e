import { recordAcknowledgements } from "../alliance/acknowledgements";
import { allEmails, loadVersion, partnersInAlliance } from "../alliance/load";
import { addMonths, broughtForward, checkInFinding, reviewRulesOf } from "../domain";
import { notify } from "../mail/notify";
import { reviewBroughtForward } from "../mail/templates";
import { decisionsOf } from "../requests";
import { now, nowIso } from "../shared/time";
import {
  appendTimeline,
  closeCheckInRecord,
  getCheckIn,
  scheduleCheckIn,
  transitionAlliance,
  unscheduleCheckIns,
} from "../store";
import type { CheckInInput } from "./inputs";

const SYSTEM = { kind: "system", id: "check-in" } as const;

/**
 * Closes a check-in: the average health score onto the timeline, each acknowledgement a trust deposit, the review
 * brought forward (and everyone told why) when the average falls below the charter's threshold, the next check-in
 * scheduled. Repeated (a retried task), it changes nothing twice: deposits have fixed ids, the review moves only
 * when it is later than the new date, the schedule only while this check-in is the running one.
 */
export async function closeCheckIn(
  input: CheckInInput,
): Promise<{ average?: number; alarm: boolean; nextReviewAt?: string }> {
  const record = await getCheckIn(input.allianceId, input.checkInId);
  if (!record) throw new Error(`no check-in ${input.checkInId}`);
  const { alliance, draft } = await loadVersion(input.allianceId, record.charterVersion);
  const rules = reviewRulesOf(draft.charter.review);
  const threshold = rules.checkIns?.threshold ?? 0;
  const answers = await decisionsOf(input.allianceId, input.checkInId, "check-in");
  const nameOf = (partnerId: string) => draft.partners.find((p) => p.id === partnerId)?.name ?? partnerId;
  const finding = checkInFinding(
    [...answers.values()].map((a) => a.health),
    (await partnersInAlliance(input.allianceId, draft)).length,
    threshold,
  );
  const at = nowIso();

  await recordAcknowledgements(
    input.allianceId,
    input.checkInId,
    "check-in",
    draft,
    `health check-in ${input.cycle}`,
  );

  const closedNow = await closeCheckInRecord(input.allianceId, input.checkInId, {
    closedAt: at,
    answered: finding.answered,
    asked: finding.asked,
    alarm: finding.alarm,
    ...(finding.average === undefined ? {} : { average: finding.average }),
  });
  if (closedNow) {
    await appendTimeline(input.allianceId, {
      at,
      type: "checkin.closed",
      summary:
        finding.average === undefined
          ? `Health check-in ${input.cycle} closed: no partner answered`
          : `Health check-in ${input.cycle} closed: average health ${finding.average.toFixed(2)}/5 from ${finding.answered} of ${finding.asked} partners`,
      actor: SYSTEM,
      data: {
        checkInId: input.checkInId,
        ...(finding.average === undefined ? {} : { average: finding.average }),
        scores: Object.fromEntries([...answers].map(([partnerId, a]) => [partnerId, a.health])),
        comments: Object.fromEntries(
          [...answers].flatMap(([partnerId, a]) => (a.comment ? [[partnerId, a.comment]] : [])),
        ),
      },
    });
  }

  let nextReviewAt = alliance.nextReviewAt;
  if (
    finding.alarm &&
    finding.average !== undefined &&
    alliance.status === "ACTIVE" &&
    !alliance.reviewRunning
  ) {
    const soon = broughtForward(alliance.nextReviewAt, now());
    if (soon !== alliance.nextReviewAt) {
      const moved = await transitionAlliance({
        allianceId: input.allianceId,
        from: ["ACTIVE"],
        to: "ACTIVE",
        set: { nextReviewAt: soon },
        reviewDue: soon,
        event: {
          at,
          type: "review.brought-forward",
          summary: `Realignment review brought forward to ${soon.slice(0, 10)}: health check-in ${input.cycle} averaged ${finding.average.toFixed(2)}, below the charter's ${threshold}`,
          actor: SYSTEM,
          data: {
            checkInId: input.checkInId,
            average: finding.average,
            threshold,
            from: alliance.nextReviewAt,
            to: soon,
          },
        },
      });
      if (moved) {
        nextReviewAt = soon;
        await notify(
          { id: input.allianceId, draft },
          allEmails({ ...draft, partners: await partnersInAlliance(input.allianceId, draft) }),
          reviewBroughtForward({
            allianceName: draft.name,
            average: finding.average,
            threshold,
            answered: finding.answered,
            asked: finding.asked,
            reviewDate: soon,
            comments: [...answers].flatMap(([partnerId, a]) =>
              a.comment ? [{ partnerName: nameOf(partnerId), comment: a.comment }] : [],
            ),
          }),
          SYSTEM,
        );
      }
    }
  }

  // The charter in force now decides the next check-in (a new version may have changed or stopped them).
  const current = await loadVersion(input.allianceId, alliance.version);
  const everyMonths = reviewRulesOf(current.draft.charter.review).checkIns?.everyMonths;
  if (everyMonths === undefined || alliance.status !== "ACTIVE") await unscheduleCheckIns(input.allianceId);
  else await scheduleCheckIn(input.allianceId, addMonths(now(), everyMonths), input.checkInId);
  return {
    ...(finding.average === undefined ? {} : { average: finding.average }),
    alarm: finding.alarm,
    ...(nextReviewAt ? { nextReviewAt } : {}),
  };
}
