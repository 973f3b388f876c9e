import * as z from "zod";
import { partnersInAlliance } from "../alliance/load";
import { type AllianceDraft, decideRung, type EscalationRung, multiLine, type RungVote } from "../domain";
import { MAX_COMMENT_LENGTH } from "../pages/form-input";
import { type OutcomeRecord, readOutcomes } from "../store";

/** A rung participant's answer for its partner: resolve (with the written resolution), escalate (with why), abstain. */
export const RungDecisionSchema = z
  .strictObject({
    kind: z.literal("rung-decision"),
    choice: z.enum(["resolve", "escalate", "abstain"], {
      error: 'must be "resolve", "escalate" or "abstain"',
    }),
    text: multiLine(1, MAX_COMMENT_LENGTH).optional(),
  })
  .refine((decision) => decision.choice === "abstain" || decision.text !== undefined, {
    path: ["text"],
    message: "must say what resolves the concern, or why it goes up",
  });
export type RungDecisionAnswer = z.infer<typeof RungDecisionSchema>;

const CHOICE_WORDS = { resolve: "resolved it", escalate: "escalated it", abstain: "abstained" } as const;

/** One line of a rung's history: "Northwind Telematics escalated it: no progress". */
export function voteLine(partnerName: string, answer: Pick<RungDecisionAnswer, "choice" | "text">): string {
  return `${partnerName} ${CHOICE_WORDS[answer.choice]}${answer.text ? `: ${answer.text}` : ""}`.trim();
}

/** The partners a rung asks: those still in the alliance with a contact in one of the rung's roles. */
export async function rungPartners(
  allianceId: string,
  draft: AllianceDraft,
  rung: Pick<EscalationRung, "participants">,
): Promise<AllianceDraft["partners"]> {
  return (await partnersInAlliance(allianceId, draft)).filter((p) =>
    p.contacts.some((c) => rung.participants.includes(c.role)),
  );
}

/**
 * A rung's verdict on its outcomes so far: the partners it asks, less those whose silence is excused (force
 * majeure: their weight leaves the vote), decide by the rung's rule, with the charter's minority veto when the rung
 * applies it to a critical concern. One count for the check after each answer and for the close.
 */
export async function rungVerdict(input: {
  allianceId: string;
  draft: AllianceDraft;
  rung: EscalationRung;
  critical: boolean;
  outcomes: readonly OutcomeRecord[];
  deadlinePassed: boolean;
}) {
  const { draft, rung, outcomes } = input;
  const excused = new Set(outcomes.filter((o) => o.excused).map((o) => o.partnerId));
  return decideRung(
    rung.decision,
    (await rungPartners(input.allianceId, draft, rung)).filter((p) => !excused.has(p.id)),
    votesFrom(outcomes),
    {
      critical: input.critical,
      minorityVeto: rung.minorityVeto ? draft.charter.minorityVeto : undefined,
      deadlinePassed: input.deadlinePassed,
    },
  );
}

/** The answers among a rung's outcomes, in the order they came (any-participant: the first decisive one counts). */
export function votesFrom(outcomes: readonly OutcomeRecord[]): (RungVote & { at: string })[] {
  return outcomes
    .filter((o) => o.status === "DECIDED")
    .map((o) => {
      const answer = RungDecisionSchema.parse(o.decision);
      return {
        partnerId: o.partnerId,
        choice: answer.choice,
        ...(answer.text ? { text: answer.text } : {}),
        at: o.decidedAt ?? "",
      };
    })
    .sort((a, b) => a.at.localeCompare(b.at));
}

/** The answers given at a rung so far (see votesFrom). */
export async function rungVotes(
  allianceId: string,
  instance: string,
): Promise<(RungVote & { at: string })[]> {
  return votesFrom(await readOutcomes(allianceId, instance, "rung-decision"));
}
