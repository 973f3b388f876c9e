import { Choice, Condition, JsonPath, Succeed, TaskInput } from "aws-cdk-lib/aws-stepfunctions";
import type { WorkflowBuildContext, WorkflowSpec } from "../infra/constructs/workflows";
import { askAndWait, lambdaTask } from "./steps";

/** State names of the realignment workflow; tests read the execution history by these. */
export const RealignmentStates = {
  prepare: "Start review",
  started: "Review started?",
  notStarted: "Review not started",
  round: "Review round",
  ask: "Request review answer",
  missed: "Review answer deadline missed",
  tally: "Tally review",
  close: "Close review",
  closed: "Review closed",
} as const;

/**
 * Realignment: mark the review running → every partner's lead answers (strategic fit, goals, one thing
 * stronger, continue or leave) → tally by the charter's rule for strategic decisions → close: next review
 * scheduled, missed answers are trust withdrawals, the summary goes to everyone. Input: `{ allianceId,
 * reviewId, cycle }`; the execution is named after the review, so a cycle never runs twice.
 */
export const realignment: WorkflowSpec = {
  id: "realignment",
  envName: "REALIGNMENT_STATE_MACHINE_ARN",
  build(ctx: WorkflowBuildContext) {
    const { scope } = ctx;
    const review = {
      allianceId: JsonPath.stringAt("$.allianceId"),
      reviewId: JsonPath.stringAt("$.reviewId"),
      cycle: JsonPath.numberAt("$.cycle"),
    };
    const prepare = lambdaTask(
      scope,
      RealignmentStates.prepare,
      ctx.fn("ReviewPrepare", "functions/handlers/review-prepare.ts"),
      { payload: TaskInput.fromObject(review), resultPath: "$.prepared" },
    );
    const round = askAndWait(ctx, {
      kind: "review",
      roundPath: "$.prepared.round",
      names: { round: RealignmentStates.round, ask: RealignmentStates.ask, missed: RealignmentStates.missed },
    });
    const tally = lambdaTask(
      scope,
      RealignmentStates.tally,
      ctx.fn("ReviewTally", "functions/handlers/review-tally.ts"),
      { payload: TaskInput.fromObject(review), resultPath: "$.tally" },
    );
    const close = lambdaTask(
      scope,
      RealignmentStates.close,
      ctx.fn("ReviewClose", "functions/handlers/review-close.ts", { adminMail: true }),
      {
        payload: TaskInput.fromObject({ ...review, tally: JsonPath.objectAt("$.tally") }),
        resultPath: "$.closed",
      },
    ).next(new Succeed(scope, RealignmentStates.closed));
    round.next(tally).next(close);
    return prepare.next(
      new Choice(scope, RealignmentStates.started)
        .when(
          Condition.booleanEquals("$.prepared.ok", false),
          new Succeed(scope, RealignmentStates.notStarted),
        )
        .otherwise(round),
    );
  },
};
