import { z } from "zod";
import { FunctionError } from "./lambda/host";

/** What POST /local/faults takes: the next `count` task invocations of the function whose name contains `function` fail. */
export const TaskFaultSchema = z
  .object({
    function: z.string().min(1, "function must name (part of) a function's logical id or name"),
    count: z.number().int().min(1).max(100).default(1),
  })
  .strict();

/**
 * Faults injected into workflow tasks, for tests and for trying out how Concord reports a failed workflow: the
 * next invocations a state machine makes of a matching function fail with `InjectedFault` (not a transient error,
 * so no Retry catches it) before the function runs.
 */
export class TaskFaults {
  private readonly pending = new Map<string, number>();

  add(fault: z.output<typeof TaskFaultSchema>): void {
    this.pending.set(fault.function, (this.pending.get(fault.function) ?? 0) + fault.count);
  }

  list(): { function: string; count: number }[] {
    return [...this.pending].map(([fn, count]) => ({ function: fn, count }));
  }

  clear(): void {
    this.pending.clear();
  }

  /** Throws the injected failure when one is pending for this function (and counts it used). */
  take(fn: { logicalId: string; name: string }): void {
    for (const [match, count] of this.pending) {
      if (!fn.logicalId.includes(match) && !fn.name.includes(match)) continue;
      if (count <= 1) this.pending.delete(match);
      else this.pending.set(match, count - 1);
      throw new FunctionError({
        errorType: "InjectedFault",
        errorMessage: `a fault injected through /local/faults for ${fn.logicalId}`,
        trace: [],
      });
    }
  }
}
