import { allEmails, loadVersion } from "../alliance/load";
import { notify } from "../mail/notify";
import { exitCompleted } from "../mail/templates";
import { nowIso } from "../shared/time";
import {
  closeRequest,
  completeExitRecord,
  getExit,
  hasMarker,
  listRequests,
  markAllianceOnce,
  partnerStatuses,
  readOutcomes,
  unscheduleCheckIns,
} from "../store";
import type { ExitInput } from "./inputs";

const SYSTEM = { kind: "system", id: "exit" } as const;

/**
 * The effective date has come: the partner is EXITED (a dissolution: every partner), its open requests close with a
 * clear "closed" page, the alliance is DISSOLVED when fewer than two partners remain (its schedules stop), and
 * everyone gets the record of the exit. Repeated (a retried task), the state changes once and the record mails until
 * the alliance marks it sent.
 */
export async function completeExit(
  input: ExitInput,
): Promise<{ status: "COMPLETED" | "CANCELLED"; dissolved: boolean }> {
  const exit = await getExit(input.allianceId, input.exitId);
  if (!exit) throw new Error(`no exit ${input.exitId}`);
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
      actor: SYSTEM,
      data: { exitId: exit.exitId, partnerId: exit.partnerId, dissolved: dissolve },
    },
  });

  // Its open requests (the leaving partner's; on dissolution everyone's) close with a page that says why.
  const closing = (await listRequests(input.allianceId)).filter(
    (r) => r.status === "OPEN" && (dissolve || exitedPartners.includes(r.partnerId)),
  );
  for (const request of closing) {
    await closeRequest({
      request,
      status: "CANCELLED",
      reason: dissolve
        ? `the alliance was dissolved on ${at.slice(0, 10)}`
        : `${leaving?.name ?? request.partnerId} left the alliance on ${at.slice(0, 10)}`,
    });
  }
  if (dissolve) await unscheduleCheckIns(input.allianceId);

  const marker = `exitRecord_${exit.exitId.replace(/-/g, "_")}`;
  if (!hasMarker(alliance, marker)) {
    const acknowledgement = leaving
      ? ((await readOutcomes(input.allianceId, exit.exitId, "exit-acknowledgement")).map((o) =>
          o.status === "DECIDED"
            ? `acknowledged by ${o.decidedBy?.name ?? leaving.name} on ${(o.decidedAt ?? "").slice(0, 10)}${(o.decision as { nonDisparagement?: boolean } | undefined)?.nonDisparagement ? ", with the non-disparagement clause" : ""}`
            : o.status === "MISSED"
              ? `not acknowledged by the deadline (${o.deadline.slice(0, 10)})`
              : "not yet acknowledged",
        )[0] ?? "not asked")
      : "none asked (a dissolution)";
    await notify(
      input.allianceId,
      allEmails(draft),
      exitCompleted({
        allianceName: draft.name,
        ...(leaving ? { leaving: leaving.name } : {}),
        effectiveDate: exit.effectiveDate,
        reason: exit.reason,
        acknowledgement,
        division: exit.division,
        dissolved: dissolve,
        remaining: stillIn.map((p) => p.name),
      }),
      SYSTEM,
    );
    await markAllianceOnce(input.allianceId, marker, nowIso());
  }
  return { status: "COMPLETED", dissolved: dissolve };
}
