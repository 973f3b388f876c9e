import { SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { sfn } from "../shared/clients";
import { now, nowIso } from "../shared/time";
import { type Actor, markResumed, type RequestRecord, unresumedDecisions } from "../store";

// Step Functions' answers that mean the task no longer waits for this token.
const CLOSED_TASK_ERRORS = new Set(["TaskTimedOut", "TaskDoesNotExist", "InvalidToken"]);

/** How long a recorded decision may wait for its SendTaskSuccess before the sweep retries it. */
export const RESUME_GRACE_MS = 5 * 60_000;

/**
 * Tells the waiting workflow of a recorded decision (SendTaskSuccess with the task token kept server-side).
 *
 * The outcome record, not the callback, is what a workflow counts: a decision is recorded only while its
 * outcome is open and before the deadline (a conditional write), and the deadline step of "ask and wait"
 * finds a recorded decision and counts it. So when Step Functions says the task no longer waits, the workflow
 * has already taken the decision (an earlier SendTaskSuccess went through, the retried task delivered it, or
 * the deadline step found it): "taken", written once on the timeline. Any other failure is thrown; the
 * decision stays in the retry index and the sweep tries again.
 */
export async function resumeWorkflow(request: RequestRecord, actor: Actor): Promise<"resumed" | "taken"> {
  try {
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: request.taskToken,
        output: JSON.stringify({
          respondent: request.respondent,
          partnerId: request.partnerId,
          ...(request.decision as object),
        }),
      }),
    );
  } catch (error) {
    if (!(error instanceof Error && CLOSED_TASK_ERRORS.has(error.name))) throw error;
    await markResumed(request, nowIso(), {
      at: nowIso(),
      type: "request.delivered",
      summary: `${request.contactName}'s answer for ${request.partnerId} had already reached the workflow; it counts once`,
      actor,
      requestId: request.requestId,
      data: { stepFunctions: error.name },
    });
    return "taken";
  }
  await markResumed(request, nowIso());
  return "resumed";
}

/**
 * Retries decisions that were recorded but never confirmed as delivered (the partner handler failed or died
 * between the two steps), so a partner's answer is never stranded until the deadline.
 */
export async function resumeStalledDecisions(): Promise<{ resumed: number; taken: number }> {
  const counts = { resumed: 0, taken: 0 };
  for (const request of await unresumedDecisions(new Date(now() - RESUME_GRACE_MS).toISOString())) {
    counts[await resumeWorkflow(request, { kind: "system", id: "reminders" })]++;
  }
  return counts;
}
