import { loadVersion } from "../alliance/load";
import { auditCharter } from "../domain";
import type { Round } from "../requests";
import { nowIso } from "../shared/time";
import { transitionAlliance } from "../store";
import { type FormationInput, formationInstance } from "./inputs";

const SYSTEM = { kind: "system", id: "formation" } as const;

/** What the workflow needs after the audit: go or no-go, the mode, and the round of asking (who, how long). */
export interface Prepared {
  ok: boolean;
  mode: "full" | "light-touch";
  /** Both formation rounds (interest maps, charter approval) ask every partner's lead on the charter's terms. */
  round: Round;
}

/**
 * Validates the draft of this version and audits its charter. A complete charter moves the alliance
 * DRAFT → FORMING; an incomplete one leaves it a DRAFT with the findings (the workflow then says so).
 * Idempotent: a retry after the transition finds the alliance already FORMING at this version.
 */
export async function prepareFormation(input: FormationInput): Promise<Prepared> {
  const { alliance, draft } = await loadVersion(input.allianceId, input.version);
  const audit = auditCharter(draft);
  const { responseDeadlineDays, reminderDaysBeforeDeadline } = draft.charter.approval;
  const round: Round = {
    instance: formationInstance(input.version),
    charterVersion: input.version,
    deadlineSeconds: responseDeadlineDays * 86_400,
    remindBeforeSeconds: reminderDaysBeforeDeadline * 86_400,
    recipients: draft.partners.map((p) => ({ who: "lead", partnerId: p.id })),
  };
  const findings = audit.findings.map(({ area, severity, message }) => ({ area, severity, message }));
  if (audit.ok && !(alliance.status === "FORMING" && alliance.version === input.version)) {
    const moved = await transitionAlliance({
      allianceId: input.allianceId,
      from: ["DRAFT"],
      to: "FORMING",
      version: input.version,
      set: { mode: audit.mode, auditFindings: findings },
      event: {
        at: nowIso(),
        type: "formation.started",
        summary: `Charter v${input.version} passed the audit (${audit.modeReason}) — formation started`,
        actor: SYSTEM,
        data: { version: input.version, mode: audit.mode, findings },
      },
    });
    if (!moved) throw new Error(`alliance ${input.allianceId} is not a DRAFT at version ${input.version}`);
  }
  return { ok: audit.ok, mode: audit.mode, round };
}
