import { SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { sfn } from "../shared/clients";
import { now, nowIso } from "../shared/time";
import { type Actor, appendTimeline, markResumed, type RequestRecord, unresumedDecisions } from "../store";

// Step Functions' answers that mean the task no longer waits: the decision can no longer count.
const CLOSED_TASK_ERRORS = new Set(["TaskTimedOut", "TaskDoesNotExist", "InvalidToken"]);

/** How long a recorded decision may wait for its SendTaskSuccess before the sweep retries it. */
export const RESUME_GRACE_MS = 5 * 60_000;

/**
 * Tells the waiting workflow of a recorded decision (SendTaskSuccess with the task token kept server-side).
 * "closed" when Step Functions had already closed the task: the answer is noted on the timeline as late.
 * Any other failure is thrown; the decision stays in the retry index and the sweep tries again.
 */
export async function resumeWorkflow(request: RequestRecord, actor: Actor): Promise<"resumed" | "closed"> {
  try {
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: request.taskToken,
        output: JSON.stringify({ partnerId: request.partnerId, ...(request.decision as object) }),
      }),
    );
  } catch (error) {
    if (!(error instanceof Error && CLOSED_TASK_ERRORS.has(error.name))) throw error;
    await appendTimeline(request.allianceId, {
      at: nowIso(),
      type: "request.late",
      summary: `${request.partnerId}'s answer reached the workflow after it had moved on; it was not counted`,
      actor,
      requestId: request.requestId,
    });
    await markResumed(request, nowIso());
    return "closed";
  }
  await markResumed(request, nowIso());
  return "resumed";
}

/**
 * Retries decisions that were recorded but never reached their workflow (the partner handler failed between
 * the two steps), so a partner's answer is never stranded until the deadline.
 */
export async function resumeStalledDecisions(): Promise<{ resumed: number; closed: number }> {
  const counts = { resumed: 0, closed: 0 };
  for (const request of await unresumedDecisions(new Date(now() - RESUME_GRACE_MS).toISOString())) {
    counts[await resumeWorkflow(request, { kind: "system", id: "reminders" })]++;
  }
  return counts;
}
