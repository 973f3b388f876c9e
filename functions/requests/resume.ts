import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
} from "@aws-sdk/client-sfn";
import { sfn } from "../shared/clients";
import { now, nowIso } from "../shared/time";
import {
  type Actor,
  closeRequest,
  getRequestIn,
  markResumed,
  type RequestRecord,
  unresumedDecisions,
} from "../store";
import { SWEEP } from "./context";

// Step Functions' answers that mean the task no longer waits for this token.
const CLOSED_TASK_ERRORS: ReadonlySet<string> = new Set(["TaskTimedOut", "TaskDoesNotExist", "InvalidToken"]);

/** How long a recorded decision may wait for its SendTaskSuccess before the sweep retries it. */
export const RESUME_GRACE_MS = 5 * 60_000;

/** What became of a recorded decision: delivered now, already taken by its workflow, or its workflow stopped. */
export type Delivery = "resumed" | "taken" | "stopped";

/**
 * Tells the waiting workflow of a recorded decision (SendTaskSuccess with the task token kept server-side).
 *
 * The outcome record, not the callback, is what a workflow counts: a decision is recorded only while its
 * outcome is open and before the deadline (a conditional write); the deadline step of "ask and wait" finds a
 * recorded decision and counts it, and a retried ask hands it to its new task. So when Step Functions says
 * the task no longer waits but the execution still runs (or finished), the workflow has taken or will take
 * the decision: "taken". Only when the execution itself stopped (failed, aborted, timed out) did the answer
 * not count: "stopped". Each is written once on the timeline. Any other failure is thrown; the decision
 * stays in the retry index and the sweep tries again.
 */
export async function resumeWorkflow(request: RequestRecord, actor: Actor): Promise<Delivery> {
  const output = {
    respondent: request.respondent,
    partnerId: request.partnerId,
    ...(request.decision as object),
  };
  let { closed } = await answerTask(request.taskToken, output);
  if (closed) {
    // The task was asked again (a retry, a deadline extension) between reading the request and answering it: the
    // request now carries the new task's token, and that task may have looked before this decision was recorded.
    const current = await getRequestIn(request.allianceId, request.requestId);
    if (current && current.taskToken !== request.taskToken)
      ({ closed } = await answerTask(current.taskToken, output));
  }
  if (closed) {
    const execution = await executionStatus(request);
    const stopped = execution !== undefined && execution !== "RUNNING" && execution !== "SUCCEEDED";
    await markResumed(request, nowIso(), {
      at: nowIso(),
      type: stopped ? "request.stranded" : "request.delivered",
      summary: stopped
        ? `${request.contactName}'s answer for ${request.partnerId} is recorded, but its workflow had stopped (${execution}) and did not count it`
        : `${request.contactName}'s answer for ${request.partnerId} is recorded and counts once: the workflow had already taken it, or takes it from the record`,
      actor,
      requestId: request.requestId,
      data: { stepFunctions: closed, ...(execution ? { execution } : {}) },
    });
    return stopped ? "stopped" : "taken";
  }
  await markResumed(request, nowIso());
  return "resumed";
}

/**
 * Answers a waiting task (SendTaskSuccess with `output`). `closed` names Step Functions' answer when the task no
 * longer waits for this token (it timed out, its execution ended, or another answer came first); any other failure
 * is thrown.
 */
export async function answerTask(taskToken: string, output: object): Promise<{ closed?: string }> {
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return {};
  } catch (error) {
    if (error instanceof Error && CLOSED_TASK_ERRORS.has(error.name)) return { closed: error.name };
    throw error;
  }
}

/**
 * Fails a waiting task with `error` (SendTaskFailure; the state's Catch decides what follows). `closed` names Step
 * Functions' answer when the task no longer waits for this token; any other failure is thrown.
 */
export async function failTask(
  taskToken: string,
  error: string,
  cause: string,
): Promise<{ closed?: string }> {
  try {
    await sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }));
    return {};
  } catch (failure) {
    if (failure instanceof Error && CLOSED_TASK_ERRORS.has(failure.name)) return { closed: failure.name };
    throw failure;
  }
}

/**
 * Withdraws an open request whose respondent is gone (its partner left the alliance): the request is CANCELLED with
 * the reason its link then shows, and its waiting task is answered `{ withdrawn: true }`, so the round goes on without
 * waiting for the deadline (the step after counts only the partners still in). False when it was no longer open.
 */
export async function withdrawRequest(request: RequestRecord, reason: string): Promise<boolean> {
  // Answered first: a crash before the close leaves the request OPEN, so a retry finds it and does both again.
  await answerTask(request.taskToken, { withdrawn: true, partnerId: request.partnerId, reason });
  return closeRequest({ request, status: "CANCELLED", reason });
}

/** The status of the execution waiting for `request` (undefined when the request does not name one). */
async function executionStatus(request: RequestRecord): Promise<string | undefined> {
  return (await executionOf(request))?.status;
}

/** The execution waiting for `request`, as Step Functions describes it (undefined when the request names none). */
export async function executionOf(
  request: Pick<RequestRecord, "executionArn">,
): Promise<{ status?: string; startDate?: Date } | undefined> {
  if (!request.executionArn) return undefined;
  const { status, startDate } = await sfn.send(
    new DescribeExecutionCommand({ executionArn: request.executionArn }),
  );
  return { ...(status ? { status } : {}), ...(startDate ? { startDate } : {}) };
}

/**
 * Retries decisions that were recorded but never confirmed as delivered (the partner handler failed or died
 * between the two steps), so a partner's answer is never stranded until the deadline.
 */
export async function resumeStalledDecisions(): Promise<Record<Delivery, number>> {
  const counts = { resumed: 0, taken: 0, stopped: 0 };
  for (const request of await unresumedDecisions(new Date(now() - RESUME_GRACE_MS).toISOString())) {
    counts[await resumeWorkflow(request, SWEEP)]++;
  }
  return counts;
}
