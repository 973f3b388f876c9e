import { Duration, Stack } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { Pass, Succeed, TaskInput } from "aws-cdk-lib/aws-stepfunctions";
import { LambdaInvoke } from "aws-cdk-lib/aws-stepfunctions-tasks";
import type { Construct } from "constructs";
import { ConcordFunction } from "../../../infra/constructs/concord-function";
import type { WorkflowSpec } from "../../../infra/constructs/workflows";

/** State names of the isolation workflow. */
export const IsolationStates = {
  writeGranted: "Write with the table granted",
  writeUngranted: "Write without a grant",
  denied: "Denial noted",
  readVariable: "Read another function's variable",
  missing: "Missing variable noted",
  overrun: "Run past the timeout",
  timedOut: "Timeout noted",
  done: "Isolation done",
} as const;

const FUNCTIONS = "tests/local/isolation/functions";

/**
 * A workflow that exists only in tests, added to the real stack: a function with the table granted writes, one
 * given only the table's name is denied, one reads a variable only the admin API has, and one runs past its
 * timeout, whose retry and catch run as the definition says. Each failure is caught into the output.
 */
export const isolationWorkflow: WorkflowSpec = {
  id: "isolation",
  envName: "ISOLATION_STATE_MACHINE_ARN",
  build(ctx) {
    const table = tableOf(ctx.scope);
    const granted = ctx.fn("IsolationGranted", `${FUNCTIONS}/put-marker.ts`);
    const ungranted = new ConcordFunction(ctx.scope, "IsolationUngranted", {
      entry: `${FUNCTIONS}/put-marker.ts`,
      environment: { TABLE_NAME: table.tableName },
    });
    const reader = new ConcordFunction(ctx.scope, "IsolationReader", {
      entry: `${FUNCTIONS}/needs-formation-arn.ts`,
    });
    const overrun = new ConcordFunction(ctx.scope, "IsolationOverrun", {
      entry: `${FUNCTIONS}/overrun.ts`,
      timeout: Duration.seconds(1),
    });
    const invoke = (name: string, fn: ConcordFunction, resultPath: string) =>
      new LambdaInvoke(ctx.scope, name, {
        lambdaFunction: fn,
        payloadResponseOnly: true,
        payload: TaskInput.fromObject({ marker: name }),
        resultPath,
      });

    const done = new Succeed(ctx.scope, IsolationStates.done);
    const overrunTask = invoke(IsolationStates.overrun, overrun, "$.overrun")
      .addRetry({ errors: ["Sandbox.Timedout"], maxAttempts: 1, interval: Duration.seconds(1) })
      .addCatch(new Pass(ctx.scope, IsolationStates.timedOut).next(done), {
        errors: ["Sandbox.Timedout"],
        resultPath: "$.timedOut",
      });
    overrunTask.next(done);
    const readTask = invoke(IsolationStates.readVariable, reader, "$.read").addCatch(
      new Pass(ctx.scope, IsolationStates.missing).next(overrunTask),
      { resultPath: "$.missing" },
    );
    readTask.next(overrunTask);
    const ungrantedTask = invoke(IsolationStates.writeUngranted, ungranted, "$.ungranted").addCatch(
      new Pass(ctx.scope, IsolationStates.denied).next(readTask),
      { resultPath: "$.denied" },
    );
    ungrantedTask.next(readTask);
    return invoke(IsolationStates.writeGranted, granted, "$.granted").next(ungrantedTask);
  },
};

/** Concord's table, as the stack's data construct holds it. */
function tableOf(scope: Construct): ITable {
  return Stack.of(scope).node.findChild("Data").node.findChild("Table") as ITable;
}
