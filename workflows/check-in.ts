import { Choice, Condition, JsonPath, Succeed, TaskInput } from "aws-cdk-lib/aws-stepfunctions";
import type { WorkflowBuildContext, WorkflowSpec } from "../infra/constructs/workflows";
import { askAndWait, lambdaTask } from "./steps";

/** State names of the check-in workflow; tests read the execution history by these. */
export const CheckInStates = {
  prepare: "Start check-in",
  started: "Check-in started?",
  notStarted: "Check-in not started",
  round: "Check-in round",
  ask: "Request check-in answer",
  missed: "Check-in deadline missed",
  close: "Close check-in",
  closed: "Check-in closed",
} as const;

/**
 * Health check-in: mark it running → every partner's lead scores the relationship (a week to answer, a reminder)
 * → close: the average on the timeline, acknowledgements as trust deposits, the review brought forward when the
 * average is below the charter's threshold, the next check-in scheduled. Input: `{ allianceId, checkInId, cycle }`;
 * the execution is named after the check-in, so a cycle never runs twice.
 */
export const checkIn: WorkflowSpec = {
  id: "check-in",
  envName: "CHECK_IN_STATE_MACHINE_ARN",
  build(ctx: WorkflowBuildContext) {
    const { scope } = ctx;
    const payload = TaskInput.fromObject({
      allianceId: JsonPath.stringAt("$.allianceId"),
      checkInId: JsonPath.stringAt("$.checkInId"),
      cycle: JsonPath.numberAt("$.cycle"),
    });
    const prepare = lambdaTask(
      scope,
      CheckInStates.prepare,
      ctx.fn("CheckInPrepare", "functions/handlers/check-in-prepare.ts"),
      { payload, resultPath: "$.prepared" },
    );
    const round = askAndWait(ctx, {
      kind: "check-in",
      roundPath: "$.prepared.round",
      names: { round: CheckInStates.round, ask: CheckInStates.ask, missed: CheckInStates.missed },
    });
    const close = lambdaTask(
      scope,
      CheckInStates.close,
      ctx.fn("CheckInClose", "functions/handlers/check-in-close.ts"),
      { payload, resultPath: "$.closed" },
    ).next(new Succeed(scope, CheckInStates.closed));
    round.next(close);
    return prepare.next(
      new Choice(scope, CheckInStates.started)
        .when(Condition.booleanEquals("$.prepared.ok", false), new Succeed(scope, CheckInStates.notStarted))
        .otherwise(round),
    );
  },
};
