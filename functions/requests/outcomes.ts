import { readOutcomes } from "../store";
import { type DecisionOf, type RequestKind, requestKind } from "./registry";

/**
 * The decisions a workflow instance received for one kind, by respondent (a partner id), each parsed by
 * its kind's schema. Missed and still-open outcomes are left out: the caller applies the charter's rule
 * for silence.
 */
export async function decisionsOf<K extends RequestKind>(
  allianceId: string,
  instance: string,
  kind: K,
): Promise<Map<string, DecisionOf<K>>> {
  const spec = requestKind(kind);
  const decided = new Map<string, DecisionOf<K>>();
  for (const outcome of await readOutcomes(allianceId, instance, kind)) {
    if (outcome.status !== "DECIDED") continue;
    decided.set(outcome.respondent, spec.decision.parse(outcome.decision) as DecisionOf<K>);
  }
  return decided;
}
