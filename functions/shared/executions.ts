import { ExecutionAlreadyExists, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { sfn } from "./clients";

/** What a claimed start did: started the execution, found it started already, or found the claim held elsewhere. */
export type ClaimedStart = "started" | "exists" | "not-claimed";

/**
 * Starts a scheduled or admin-started workflow instance (a review, a check-in) under a claim: `claim` takes the
 * alliance's one slot for it (false: another start holds it, nothing is started); the execution is named after the
 * instance, so a start that raced an earlier one finds it ("exists"); when the start fails otherwise, `release` gives
 * the slot back before the error goes on, so the next sweep tries again.
 */
export async function claimAndStart(spec: {
  claim: () => Promise<boolean>;
  release: () => Promise<void>;
  stateMachineArn: string;
  name: string;
  input: unknown;
}): Promise<ClaimedStart> {
  if (!(await spec.claim())) return "not-claimed";
  try {
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: spec.stateMachineArn,
        name: spec.name,
        input: JSON.stringify(spec.input),
      }),
    );
    return "started";
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return "exists";
    await spec.release();
    throw error;
  }
}
