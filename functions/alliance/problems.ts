import * as z from "zod";
import { notify } from "../mail/notify";
import { workflowStopped } from "../mail/templates";
import { config } from "../shared/config";
import { now } from "../shared/time";
import { type Actor, type ProblemRecord, recordProblem } from "../store";
import { loadCurrent, organiserEmails } from "./load";

/** Step Functions' status-change event (EventBridge), as the rule on Concord's state machines delivers it. */
export const ExecutionStatusChangeSchema = z.object({
  "detail-type": z.literal("Step Functions Execution Status Change"),
  source: z.literal("aws.states"),
  detail: z.object({
    executionArn: z.string().min(1),
    stateMachineArn: z.string().min(1),
    name: z.string().min(1),
    status: z.enum(["FAILED", "TIMED_OUT", "ABORTED"]),
    stopDate: z.number().nullish(),
    /** The execution's input as JSON text (null when it was too large to include). */
    input: z.string().nullish(),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  }),
});
export type ExecutionStatusChange = z.infer<typeof ExecutionStatusChangeSchema>;

/** Stops Concord makes itself (an admin cancels an exit or withdraws a concern): not problems. */
const DELIBERATE_STOPS = new Set(["ExitCancelled", "EscalationWithdrawn", "AllianceCancelled"]);

const SYSTEM: Actor = { kind: "system", id: "workflows" };

/** "concord-formation" → "formation". */
export function workflowOf(stateMachineArn: string): string {
  const name = stateMachineArn.split(":").at(-1) ?? stateMachineArn;
  return name.replace(/^concord-/, "");
}

/**
 * An execution of a Concord workflow failed, timed out or was stopped from outside: the alliance it belongs to
 * (its input names it) shows the problem and its timeline the error, and the organiser (and the admin) are mailed
 * what to do. Once per stop: the same event delivered again changes nothing. Deliberate stops are ignored.
 */
export async function recordExecutionProblem(
  event: ExecutionStatusChange,
): Promise<{ recorded: boolean; reason?: string }> {
  const { detail } = event;
  if (detail.status === "ABORTED" && DELIBERATE_STOPS.has(detail.error ?? ""))
    return { recorded: false, reason: `a deliberate stop (${detail.error})` };
  const allianceId = allianceIdOf(detail.input);
  if (allianceId === undefined) return { recorded: false, reason: "its input names no alliance" };
  const current = await loadCurrent(allianceId);
  if (!current) return { recorded: false, reason: `no alliance ${allianceId}` };
  // A workflow of a cancelled alliance that stops (racing the cancellation) is no problem.
  if (current.alliance.status === "CANCELLED")
    return { recorded: false, reason: "the alliance is cancelled" };
  const workflow = workflowOf(detail.stateMachineArn);
  const stoppedAt = new Date(detail.stopDate ?? now()).toISOString();
  const problem: ProblemRecord = {
    allianceId,
    executionArn: detail.executionArn,
    executionName: detail.name,
    workflow,
    status: detail.status,
    ...(detail.error ? { error: detail.error } : {}),
    ...(detail.cause ? { cause: detail.cause.slice(0, 2000) } : {}),
    stoppedAt,
  };
  const recorded = await recordProblem(problem, {
    at: stoppedAt,
    type: "workflow.stopped",
    summary: `The ${workflow} (${detail.name}) ${detail.status === "FAILED" ? "failed" : detail.status === "TIMED_OUT" ? "timed out" : "was stopped"}${detail.error ? `: ${detail.error}` : ""}`,
    actor: SYSTEM,
    data: {
      executionArn: detail.executionArn,
      status: detail.status,
      error: detail.error,
      cause: problem.cause,
    },
  });
  if (!recorded) return { recorded: false, reason: "recorded already" };
  const admin = config().ADMIN_EMAIL;
  await notify(
    { id: allianceId, draft: current.draft },
    [...organiserEmails(current.draft), ...(admin ? [admin] : [])],
    workflowStopped({
      allianceName: current.draft.name,
      allianceId,
      workflow,
      status: detail.status,
      ...(detail.error ? { error: detail.error } : {}),
      ...(problem.cause ? { cause: problem.cause } : {}),
    }),
    SYSTEM,
  );
  return { recorded: true };
}

function allianceIdOf(input: string | null | undefined): string | undefined {
  if (!input) return undefined;
  try {
    const parsed = JSON.parse(input) as { allianceId?: unknown };
    return typeof parsed.allianceId === "string" ? parsed.allianceId : undefined;
  } catch {
    return undefined;
  }
}
