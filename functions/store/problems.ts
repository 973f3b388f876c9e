import { keys } from "./keys";
import type { ProblemRecord, TimelineEvent } from "./records";
import { queryPrefix, table, transactUnlessConditionFails } from "./table";
import { timelinePut } from "./timeline";

/**
 * Records a stopped execution on its alliance with its timeline entry, in one write. False when this very stop is
 * recorded already (the event delivered twice): nothing is written then.
 */
export function recordProblem(problem: ProblemRecord, event: TimelineEvent): Promise<boolean> {
  const { name } = table();
  return transactUnlessConditionFails([
    {
      Put: {
        TableName: name,
        Item: { ...keys.problem(problem.allianceId, problem.executionName), ...problem },
        ConditionExpression: "attribute_not_exists(pk) OR stoppedAt <> :at",
        ExpressionAttributeValues: { ":at": problem.stoppedAt },
      },
    },
    timelinePut(problem.allianceId, event),
  ]);
}

/** The alliance's executions that stopped and wait for an admin, oldest first by name. */
export function listProblems(allianceId: string): Promise<ProblemRecord[]> {
  return queryPrefix<ProblemRecord>(allianceId, keys.problemPrefix);
}

/** Clears a problem (retried, or found running again) with its timeline entry; false when it was cleared already. */
export function clearProblem(problem: ProblemRecord, event: TimelineEvent): Promise<boolean> {
  const { name } = table();
  return transactUnlessConditionFails([
    {
      Delete: {
        TableName: name,
        Key: keys.problem(problem.allianceId, problem.executionName),
        ConditionExpression: "stoppedAt = :at",
        ExpressionAttributeValues: { ":at": problem.stoppedAt },
      },
    },
    timelinePut(problem.allianceId, event),
  ]);
}
