import { allEmails, loadDraft, loadVersion, organiserEmails } from "../alliance/load";
import {
  type AllianceDraft,
  addMonths,
  alignmentGaps,
  auditCharter,
  auditMode,
  firstReviewDate,
  missingVoteCountsAs,
  reviewCadenceOf,
  reviewRulesOf,
  tallyVotes,
  type Vote,
} from "../domain";
import { notify } from "../mail/notify";
import { auditFailed, charterSummary, returnedToDraft, welcome } from "../mail/templates";
import { decisionsOf } from "../requests";
import { now, nowIso } from "../shared/time";
import {
  appendTimeline,
  hasMarker,
  markAllianceOnce,
  type RejectionComment,
  scheduleCheckIn,
  transitionAlliance,
} from "../store";
import { type FormationInput, formationInstance } from "./inputs";

// While the alliance forms there is no ladder: its emails carry no "raise a concern" link.
const FORMING = { concernLinks: false } as const;

const SYSTEM = { kind: "system", id: "formation" } as const;

/** The partners' votes on this version (in partner order) and the comments that came with them. */
async function votesOf(input: FormationInput, draft: AllianceDraft) {
  const stored = await decisionsOf(input.allianceId, formationInstance(input.version), "charter-approval");
  const votes: Vote[] = [];
  const comments: RejectionComment[] = [];
  for (const partner of draft.partners) {
    const entry = stored.get(partner.id);
    if (!entry) continue;
    votes.push({ partnerId: partner.id, vote: entry.vote });
    if (entry.comment) comments.push({ partnerId: partner.id, vote: entry.vote, comment: entry.comment });
  }
  return { votes, comments };
}

/** The approval round's result under the charter's own rule (a critical decision: the minority veto applies). */
async function countApproval(input: FormationInput, draft: AllianceDraft) {
  const { votes, comments } = await votesOf(input, draft);
  const { approval, minorityVeto } = draft.charter;
  const tally = tallyVotes(approval.rule, draft.partners, votes, {
    critical: true,
    ...(minorityVeto ? { minorityVeto } : {}),
    deadlinePassed: true,
    missingVotesCountAs: missingVoteCountsAs(approval.onMissedDeadline),
  });
  return { tally, votes, comments };
}

/** Counts the approval round and records the result on the timeline. */
export async function tallyApproval(input: FormationInput) {
  const draft = await loadDraft(input.allianceId, input.version);
  const { tally, votes, comments } = await countApproval(input, draft);
  const outcome = tally.outcome === "approved" ? "approved" : "rejected";
  await appendTimeline(input.allianceId, {
    at: nowIso(),
    type: outcome === "approved" ? "charter.approved" : "charter.rejected",
    summary: `Charter v${input.version} ${outcome}: ${tally.reason}`,
    actor: SYSTEM,
    data: {
      version: input.version,
      votes,
      approveWeight: tally.approveWeight,
      totalWeight: tally.totalWeight,
      // What the partners said with their votes stays on the record (`alliances show`), approved or not.
      ...(comments.length > 0 ? { comments } : {}),
    },
  });
  return { outcome, reason: tally.reason, comments };
}

/** FORMING → ACTIVE with the first review scheduled from the cadence; the welcome email goes out once. */
export async function activateAlliance(
  input: FormationInput,
): Promise<{ status: "ACTIVE"; nextReviewAt: string }> {
  const { alliance, draft } = await loadVersion(input.allianceId, input.version);
  const nextReviewAt =
    alliance.nextReviewAt ??
    firstReviewDate(now(), reviewCadenceOf(draft.charter.review), draft.expectedDurationMonths);
  if (alliance.status !== "ACTIVE") {
    const moved = await transitionAlliance({
      allianceId: input.allianceId,
      from: ["FORMING"],
      to: "ACTIVE",
      version: input.version,
      set: { activatedAt: nowIso(), nextReviewAt, formedVersion: input.version },
      remove: ["lastRejection"],
      reviewDue: nextReviewAt,
      event: {
        at: nowIso(),
        type: "alliance.active",
        summary: `${draft.name} is ACTIVE on charter v${input.version}; first review due ${nextReviewAt.slice(0, 10)}`,
        actor: SYSTEM,
        data: { version: input.version, nextReviewAt },
      },
    });
    if (!moved) throw new Error(`alliance ${input.allianceId} was not FORMING at version ${input.version}`);
  }
  // The first health check-in, as the charter sets them (a retry sets the same schedule again, harmlessly).
  const checkIns = reviewRulesOf(draft.charter.review).checkIns;
  if (checkIns) await scheduleCheckIn(input.allianceId, addMonths(now(), checkIns.everyMonths));
  // The marker is only ever set below, after the emails, so the record read above tells whether they went out.
  const marker = `welcomeSent_v${input.version}`;
  if (!hasMarker(alliance, marker)) {
    const [maps, { comments }] = await Promise.all([
      interestMapsOf(input.allianceId, input.version),
      votesOf(input, draft),
    ]);
    const report = alignmentGaps(draft.partners, maps, draft.goals);
    const nameOf = (id: string) => draft.partners.find((p) => p.id === id)?.name ?? id;
    await notify(
      { id: input.allianceId, draft },
      [...allEmails(draft), ...organiserEmails(draft)],
      welcome({
        allianceName: draft.name,
        purpose: draft.purpose,
        charterSummary: charterSummary(draft),
        nextReviewDate: nextReviewAt,
        partners: draft.partners.map((p) => ({ name: p.name, interestMap: maps[p.id] })),
        gaps: report.gaps,
        sharedGoals: report.sharedGoals,
        mode: auditMode(draft).mode,
        // The approval page says comments go to the other partners: here they do.
        comments: comments.map((c) => ({ ...c, partnerName: nameOf(c.partnerId) })),
      }),
      SYSTEM,
    );
    await markAllianceOnce(input.allianceId, marker, nowIso());
  }
  return { status: "ACTIVE", nextReviewAt };
}

/**
 * Returns the alliance to DRAFT: after an incomplete charter (reason "audit": the findings go to the leads)
 * or a rejected approval round (reason "rejected": every contact gets the partners' comments). The admin
 * then resubmits a revised draft as a new charter version.
 */
export async function returnToDraft(input: FormationInput & { reason: "audit" | "rejected" }): Promise<void> {
  const { alliance, draft } = await loadVersion(input.allianceId, input.version);
  const at = nowIso();
  if (input.reason === "audit") {
    const audit = auditCharter(draft);
    const findings = audit.findings.map(({ area, severity, message }) => ({ area, severity, message }));
    const missing = findings.filter((f) => f.severity === "missing");
    await transitionAlliance({
      allianceId: input.allianceId,
      from: ["DRAFT"],
      to: "DRAFT",
      version: input.version,
      set: { mode: audit.mode, auditFindings: findings },
      event: {
        at,
        type: "charter.audit-failed",
        summary: `Charter v${input.version} is missing ${missing.length} part(s): ${missing.map((f) => f.area).join(", ")}`,
        actor: SYSTEM,
        data: { version: input.version, findings },
      },
    });
    const marker = `auditNoticeSent_v${input.version}`;
    if (!hasMarker(alliance, marker)) {
      await notify(
        { id: input.allianceId, draft },
        organiserEmails(draft),
        auditFailed({ allianceName: draft.name, findings }),
        SYSTEM,
        FORMING,
      );
      await markAllianceOnce(input.allianceId, marker, at);
    }
    return;
  }
  const { tally, comments } = await countApproval(input, draft);
  const reason = tally.reason;
  if (alliance.status === "FORMING") {
    await transitionAlliance({
      allianceId: input.allianceId,
      from: ["FORMING"],
      to: "DRAFT",
      version: input.version,
      set: { lastRejection: { at, version: input.version, comments, reason } },
      event: {
        at,
        type: "alliance.returned-to-draft",
        summary: `Charter v${input.version} not approved (${reason}); back to DRAFT for a revision`,
        actor: SYSTEM,
        data: { version: input.version, comments },
      },
    });
  }
  const marker = `returnNoticeSent_v${input.version}`;
  if (!hasMarker(alliance, marker)) {
    const names = new Map(draft.partners.map((p) => [p.id, p.name]));
    await notify(
      { id: input.allianceId, draft },
      [...allEmails(draft), ...organiserEmails(draft)],
      returnedToDraft({
        mode: auditMode(draft).mode,
        allianceName: draft.name,
        version: input.version,
        reason,
        comments: comments.map((c) => ({
          partnerName: names.get(c.partnerId) ?? c.partnerId,
          vote: c.vote,
          comment: c.comment,
        })),
      }),
      SYSTEM,
      FORMING,
    );
    await markAllianceOnce(input.allianceId, marker, at);
  }
}

/** The interest maps partners shared in a version's formation, by partner id. */
export async function interestMapsOf(allianceId: string, version: number) {
  const stored = await decisionsOf(allianceId, formationInstance(version), "interest-map");
  return Object.fromEntries([...stored].map(([partnerId, decision]) => [partnerId, decision.interestMap]));
}
