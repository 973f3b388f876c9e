import { type OutcomeRecord, readOutcomes } from "../store";
import { type DecisionOf, type RequestKind, requestKind } from "./registry";

/**
 * How a workflow instance's round of one kind stands, in one read: the decisions by respondent (a partner id), each
 * parsed by its kind's schema, and the respondents whose silence is excused (their deadlines were suspended under the
 * force-majeure clause: they count neither way). Missed and still-open outcomes are in neither: the caller applies the
 * charter's rule for silence.
 */
export async function roundOf<K extends RequestKind>(
  allianceId: string,
  instance: string,
  kind: K,
): Promise<{ decisions: Map<string, DecisionOf<K>>; excused: Set<string> }> {
  const spec = requestKind(kind);
  const decisions = new Map<string, DecisionOf<K>>();
  const excused = new Set<string>();
  for (const outcome of await readOutcomes(allianceId, instance, kind)) {
    if (outcome.status === "DECIDED")
      decisions.set(outcome.respondent, spec.decision.parse(outcome.decision) as DecisionOf<K>);
    else if (outcome.excused) excused.add(outcome.respondent);
  }
  return { decisions, excused };
}

/** The decisions of a round by respondent (see roundOf). */
export async function decisionsOf<K extends RequestKind>(
  allianceId: string,
  instance: string,
  kind: K,
): Promise<Map<string, DecisionOf<K>>> {
  return (await roundOf(allianceId, instance, kind)).decisions;
}

/**
 * Where one asked-for decision stands, in the caller's word for an answer and for a wait: `answered` once decided,
 * MISSED or EXCUSED (the partner's deadlines were suspended: force majeure) once the deadline passed, else `waiting`.
 */
export function outcomeState<A extends string, W extends string>(
  outcome: Pick<OutcomeRecord, "status" | "excused"> | undefined,
  words: { answered: A; waiting: W },
): A | W | "MISSED" | "EXCUSED" {
  if (outcome?.status === "DECIDED") return words.answered;
  if (outcome?.status === "MISSED") return outcome.excused ? "EXCUSED" : "MISSED";
  return words.waiting;
}
