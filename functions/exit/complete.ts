import { allEmails, loadVersion } from "../alliance/load";
import { notifyOnce, onceMarker } from "../mail/notify";
import { exitCompleted } from "../mail/templates";
import { withdrawRequest } from "../requests";
import { nowIso } from "../shared/time";
import {
  closeRequest,
  completeExitRecord,
  listRequests,
  type OutcomeRecord,
  partnerStatuses,
  readOutcomes,
  unscheduleCheckIns,
} from "../store";
import { exitOf, settlementInWords } from "./division";
import { EXIT_SYSTEM, type ExitInput } from "./inputs";
import { obligationStatuses } from "./wind-down";

/**
 * The wind-down is done: the partner is EXITED (a dissolution: every partner), its open requests close with a
 * clear "closed" page, the alliance is DISSOLVED when fewer than two partners remain (its schedules stop), and
 * everyone gets the record of the exit. Repeated (a retried task), the state changes once and the record mails until
 * the alliance marks it sent.
 */
export async function completeExit(
  input: ExitInput,
): Promise<{ status: "COMPLETED" | "CANCELLED"; dissolved: boolean }> {
  const exit = await exitOf(input);
  if (exit.status === "CANCELLED") return { status: "CANCELLED", dissolved: false };
  const { alliance, draft } = await loadVersion(input.allianceId, exit.charterVersion);
  const statuses = await partnerStatuses(input.allianceId);
  const dissolving = exit.partnerId === "all";
  const leaving = draft.partners.find((p) => p.id === exit.partnerId);
  const stillIn = draft.partners.filter(
    (p) => statuses.get(p.id)?.status !== "EXITED" && p.id !== exit.partnerId,
  );
  const dissolve = dissolving || stillIn.length < 2;
  const exitedPartners = dissolving
    ? draft.partners.filter((p) => statuses.get(p.id)?.status !== "EXITED").map((p) => p.id)
    : [exit.partnerId];
  const at = nowIso();
  await completeExitRecord({
    exit,
    exitedPartners,
    dissolve: dissolve && alliance.status === "ACTIVE",
    at,
    event: {
      at,
      type: dissolve ? "alliance.dissolved" : "partner.exited",
      summary: dissolving
        ? `${draft.name} is DISSOLVED: ${exit.reason}`
        : `${leaving?.name ?? exit.partnerId} has EXITED the alliance${dissolve ? "; fewer than two partners remain, so it is DISSOLVED" : ""}`,
      actor: EXIT_SYSTEM,
      data: { exitId: exit.exitId, partnerId: exit.partnerId, dissolved: dissolve },
    },
  });

  // Its open requests (the leaving partner's; on dissolution everyone's) close with a page that says why. While the
  // alliance goes on, a round waiting for the partner that left (a review, a check-in) goes on without it now.
  const closing = (await listRequests(input.allianceId)).filter(
    (r) => r.status === "OPEN" && (dissolve || exitedPartners.includes(r.partnerId)),
  );
  for (const request of closing) {
    if (dissolve) {
      await closeRequest({
        request,
        status: "CANCELLED",
        reason: `the alliance was dissolved on ${at.slice(0, 10)}`,
      });
    } else {
      await withdrawRequest(
        request,
        `${leaving?.name ?? request.partnerId} left the alliance on ${at.slice(0, 10)}`,
      );
    }
  }
  if (dissolve) await unscheduleCheckIns(input.allianceId);

  const nameOf = (id: string) => draft.partners.find((p) => p.id === id)?.name ?? id;
  const acknowledged = (o: OutcomeRecord | undefined, what: string) =>
    o === undefined
      ? "not asked"
      : o.status === "DECIDED"
        ? `${what} by ${o.decidedBy?.name ?? nameOf(o.partnerId)} for ${nameOf(o.partnerId)} on ${(o.decidedAt ?? "").slice(0, 10)}`
        : o.status === "MISSED"
          ? `not ${what} by ${nameOf(o.partnerId)} by the deadline (${o.deadline.slice(0, 10)})${o.excused ? ", excused under force majeure" : ""}`
          : `not yet ${what} by ${nameOf(o.partnerId)}`;
  const [acknowledgement] = leaving
    ? await readOutcomes(input.allianceId, exit.exitId, "exit-acknowledgement")
    : [];
  const obligations = (await obligationStatuses(exit)).map(
    (o) =>
      `${o.what}: ${o.status === "DONE" ? `done, confirmed by ${o.confirmedBy ?? nameOf(o.owner)} on ${(o.confirmedAt ?? "").slice(0, 10)}` : `not confirmed by its due date (${o.dueDate.slice(0, 10)})${o.status === "EXCUSED" ? ", excused under the force-majeure clause" : ""}`}`,
  );
  const nonDisparagement = draft.charter.exitTerms?.nonDisparagement
    ? (await readOutcomes(input.allianceId, exit.exitId, "non-disparagement"))
        .map((o) => acknowledged(o, "acknowledged"))
        .join("; ") || "not asked"
    : undefined;
  const settlement = exit.divisionSettlement;
  await notifyOnce(
    alliance,
    draft,
    onceMarker("exitRecord", exit.exitId),
    allEmails(draft),
    exitCompleted({
      allianceName: draft.name,
      ...(leaving ? { leaving: leaving.name } : {}),
      effectiveDate: exit.effectiveDate,
      reason: exit.reason,
      acknowledgement: leaving ? acknowledged(acknowledgement, "acknowledged") : "none asked (a dissolution)",
      division: exit.division,
      ...(exit.divisionDecision
        ? { settled: `decided by the admin: ${exit.divisionDecision.resolution}` }
        : settlement
          ? { settled: settlementInWords(settlement, nameOf) }
          : {}),
      obligations,
      ...(nonDisparagement !== undefined ? { nonDisparagement } : {}),
      dissolved: dissolve,
      remaining: stillIn.map((p) => p.name),
    }),
    EXIT_SYSTEM,
    // The partner that left can no longer raise a concern: its copy carries no link that would only say so.
    leaving ? { noConcernLinkFor: [leaving.id] } : {},
  );
  return { status: "COMPLETED", dissolved: dissolve };
}
