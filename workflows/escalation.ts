import { Choice, Condition, JsonPath, Pass, Succeed, TaskInput } from "aws-cdk-lib/aws-stepfunctions";
import type { WorkflowBuildContext, WorkflowSpec } from "../infra/constructs/workflows";
import { askAndWait, lambdaTask } from "./steps";

/** State names of the escalation workflow; tests read the execution history by these. */
export const EscalationStates = {
  open: "Open rung",
  round: "Rung round",
  ask: "Request rung decision",
  missed: "Rung decision missed",
  close: "Close rung",
  outcome: "Rung outcome",
  moveUp: "Move up a rung",
  asked: "Rung asked?",
  resolved: "Concern resolved",
  exhausted: "Past the last rung",
  closed: "Escalation closed",
} as const;

/**
 * The escalation ladder, one loop over the charter's rungs (never a state per rung): open the rung (everyone told, its
 * participants asked) → the rung's round (each partner's participants answer: resolve in writing, escalate with why,
 * or abstain; the round closes early once its outcome can no longer change) → close the rung (its verdict by the
 * rung's decision rule and the minority veto) → resolved, or the next rung, or past the last rung the charter's
 * afterLastRung. Input: `{ allianceId, escalationId, rung }` (the rung to start at); the execution is named after the
 * escalation. Withdrawing stops the execution (see the admin API).
 */
export const escalation: WorkflowSpec = {
  id: "escalation",
  envName: "ESCALATION_STATE_MACHINE_ARN",
  build(ctx: WorkflowBuildContext) {
    const { scope } = ctx;
    const payload = TaskInput.fromObject({
      allianceId: JsonPath.stringAt("$.allianceId"),
      escalationId: JsonPath.stringAt("$.escalationId"),
      rung: JsonPath.numberAt("$.rung"),
    });
    const open = lambdaTask(
      scope,
      EscalationStates.open,
      ctx.fn("EscalationRungOpen", "functions/handlers/escalation-rung-open.ts"),
      { payload, resultPath: "$.opened" },
    );
    const round = askAndWait(ctx, {
      kind: "rung-decision",
      roundPath: "$.opened.round",
      names: { round: EscalationStates.round, ask: EscalationStates.ask, missed: EscalationStates.missed },
    });
    const close = lambdaTask(
      scope,
      EscalationStates.close,
      ctx.fn("EscalationRungClose", "functions/handlers/escalation-rung-close.ts", { adminMail: true }),
      { payload, resultPath: "$.closed" },
    );
    // The loop's one variable: $.rung becomes the rung the closing task names.
    const moveUp = new Pass(scope, EscalationStates.moveUp, {
      inputPath: "$.closed.rung",
      resultPath: "$.rung",
    });
    const nextRung = new Choice(scope, EscalationStates.outcome)
      .when(Condition.stringEquals("$.closed.outcome", "next"), moveUp.next(open))
      .when(
        Condition.stringEquals("$.closed.outcome", "resolved"),
        new Succeed(scope, EscalationStates.resolved),
      )
      .when(
        Condition.stringEquals("$.closed.outcome", "exhausted"),
        new Succeed(scope, EscalationStates.exhausted),
      )
      .otherwise(new Succeed(scope, EscalationStates.closed));
    open.next(
      new Choice(scope, EscalationStates.asked)
        .when(Condition.isPresent("$.opened.round"), round.next(close))
        .otherwise(close),
    );
    close.next(nextRung);
    return open;
  },
};
