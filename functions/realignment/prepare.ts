import { loadVersion, partnersInAlliance } from "../alliance/load";
import type { Round } from "../requests";
import { nowIso } from "../shared/time";
import { appendTimeline, claimReview, getAlliance, getReview, putReview } from "../store";
import type { ReviewInput } from "./inputs";
import { buildReviewPacket } from "./packet";

const SYSTEM = { kind: "system", id: "realignment" } as const;

/** Whether the review runs, and the round of asking (every partner's lead, on the charter's terms). */
export interface PreparedReview {
  ok: boolean;
  reason?: string;
  round?: Round;
}

/**
 * Marks the review as the alliance's running one and records it. Refused (ok: false) when the alliance is not
 * ACTIVE or another review runs. Idempotent: a retry finds its own review already recorded and running.
 */
export async function prepareReview(input: ReviewInput): Promise<PreparedReview> {
  const current = await getAlliance(input.allianceId);
  if (!current) throw new Error(`no alliance ${input.allianceId}`);
  const { alliance, draft } = await loadVersion(input.allianceId, current.version);
  const existing = await getReview(input.allianceId, input.reviewId);
  if (!existing) {
    // Whoever started the execution claimed the review; claiming again is a no-op for the same review.
    if (!(await claimReview(input.allianceId, input.reviewId, input.cycle, "again"))) {
      return {
        ok: false,
        reason:
          alliance.status !== "ACTIVE"
            ? `the alliance is ${alliance.status}`
            : `review ${alliance.reviewRunning ?? "another"} is still running`,
      };
    }
    const at = nowIso();
    // The timeline entry follows the record, once: a retry finds the record and writes neither again.
    const recorded = await putReview({
      reviewId: input.reviewId,
      allianceId: input.allianceId,
      cycle: input.cycle,
      status: "RUNNING",
      startedAt: at,
      charterVersion: alliance.version,
      packet: await buildReviewPacket(alliance, draft),
    });
    if (recorded) {
      await appendTimeline(input.allianceId, {
        at,
        type: "review.started",
        summary: `Realignment review ${input.cycle} started: every partner's lead is asked for its answer`,
        actor: SYSTEM,
        data: { reviewId: input.reviewId, cycle: input.cycle },
      });
    }
  }
  const { responseDeadlineDays, reminderDaysBeforeDeadline } = draft.charter.approval;
  return {
    ok: true,
    round: {
      instance: input.reviewId,
      charterVersion: alliance.version,
      deadlineSeconds: responseDeadlineDays * 86_400,
      remindBeforeSeconds: reminderDaysBeforeDeadline * 86_400,
      // A partner that has EXITED is not asked.
      recipients: (await partnersInAlliance(input.allianceId, draft)).map((p) => ({
        who: "lead",
        partnerId: p.id,
      })),
    },
  };
}
