import { DescribeExecutionCommand, RedriveExecutionCommand } from "@aws-sdk/client-sfn";
import * as z from "zod";
import { parseWith } from "../domain";
import { sfn } from "../shared/clients";
import { nowIso } from "../shared/time";
import { type Actor, clearProblem, listProblems, type ProblemRecord } from "../store";
import { AdminRequestError, allianceOr404, chooseNamed } from "./alliances";

/** What an admin may send to retry: which stopped execution, when the alliance has more than one. */
export const RetryWorkflowSchema = z.strictObject({
  executionName: z.string().min(1).max(80).optional(),
});

/**
 * Retries a stopped workflow of the alliance from where it stopped (Step Functions' RedriveExecution: the state that
 * failed runs again with the input it had; Concord's tasks are idempotent). The problem is cleared with a timeline
 * entry. 409 when nothing is stopped or Step Functions cannot redrive it (for example, more than 14 days after it
 * stopped); 400 naming `executionName` when the alliance has several and none is named.
 */
export async function retryWorkflow(allianceId: string, body: unknown, actor: Actor) {
  const parsed = parseWith(RetryWorkflowSchema, body ?? {});
  if (!parsed.ok) throw new AdminRequestError(400, "the retry is invalid; nothing changed", parsed.errors);
  await allianceOr404(allianceId);
  const problems = await listProblems(allianceId);
  if (problems.length === 0)
    throw new AdminRequestError(409, `no workflow of ${allianceId} has stopped; nothing to retry`);
  const problem = chooseNamed(problems, parsed.value.executionName, {
    field: "executionName",
    nameOf: (p) => p.executionName,
    one: "stopped workflow",
    many: "stopped workflows",
    message: "which workflow to retry is unclear",
  });
  try {
    await sfn.send(new RedriveExecutionCommand({ executionArn: problem.executionArn }));
  } catch (error) {
    if (!(error instanceof Error && error.name === "ExecutionNotRedrivable")) throw error;
    // Running again already (retried meanwhile) or finished: the problem is over; anything else cannot be retried.
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn: problem.executionArn }));
    if (status !== "RUNNING" && status !== "SUCCEEDED")
      throw new AdminRequestError(409, `${problem.executionName} cannot be retried: ${error.message}`);
    await clear(problem, actor, `found ${status} already`);
    return { executionName: problem.executionName, workflow: problem.workflow, status };
  }
  await clear(problem, actor, "retried from where it stopped");
  return { executionName: problem.executionName, workflow: problem.workflow, status: "RUNNING" as const };
}

function clear(problem: ProblemRecord, actor: Actor, how: string) {
  return clearProblem(problem, {
    at: nowIso(),
    type: "workflow.retried",
    summary: `The ${problem.workflow} (${problem.executionName}) ${how}`,
    actor,
    data: { executionArn: problem.executionArn },
  });
}
