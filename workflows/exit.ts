import {
  Choice,
  Condition,
  JsonPath,
  Succeed,
  TaskInput,
  Wait,
  WaitTime,
} from "aws-cdk-lib/aws-stepfunctions";
import type { WorkflowBuildContext, WorkflowSpec } from "../infra/constructs/workflows";
import { askAndWait, lambdaTask } from "./steps";

/** State names of the exit workflow; tests read the execution history by these. */
export const ExitStates = {
  notice: "Give exit notice",
  running: "Exit still running?",
  cancelled: "Exit cancelled",
  acknowledge: "Acknowledgement asked?",
  round: "Acknowledgement round",
  ask: "Request exit acknowledgement",
  missed: "Exit acknowledgement missed",
  midNoticeDue: "Mid-notice status due?",
  midNotice: "Until mid-notice",
  status: "Send exit status",
  noticePeriod: "Notice period",
  complete: "Complete exit",
  completed: "Exit completed",
} as const;

/**
 * Exit wind-down: the notice to every partner → the leaving partner acknowledges (a missed deadline is recorded and
 * the exit goes on) → halfway, a status email to everyone → the notice period, a real Wait until the effective
 * date → the partner EXITED (or the alliance
 * DISSOLVED), its requests closed, the record mailed. Input: `{ allianceId, exitId, effectiveDate }`; the execution
 * is named after the exit. Cancelling stops the execution (see the admin API).
 */
export const exit: WorkflowSpec = {
  id: "exit",
  envName: "EXIT_STATE_MACHINE_ARN",
  build(ctx: WorkflowBuildContext) {
    const { scope } = ctx;
    const payload = TaskInput.fromObject({
      allianceId: JsonPath.stringAt("$.allianceId"),
      exitId: JsonPath.stringAt("$.exitId"),
      effectiveDate: JsonPath.stringAt("$.effectiveDate"),
    });
    const notice = lambdaTask(
      scope,
      ExitStates.notice,
      ctx.fn("ExitNotice", "functions/handlers/exit-notice.ts"),
      {
        payload,
        resultPath: "$.notice",
      },
    );
    const round = askAndWait(ctx, {
      kind: "exit-acknowledgement",
      roundPath: "$.notice.round",
      names: { round: ExitStates.round, ask: ExitStates.ask, missed: ExitStates.missed },
    });
    const noticePeriod = new Wait(scope, ExitStates.noticePeriod, {
      time: WaitTime.timestampPath("$.effectiveDate"),
    });
    const complete = lambdaTask(
      scope,
      ExitStates.complete,
      ctx.fn("ExitComplete", "functions/handlers/exit-complete.ts"),
      { payload, resultPath: "$.completed" },
    ).next(new Succeed(scope, ExitStates.completed));
    const status = lambdaTask(
      scope,
      ExitStates.status,
      ctx.fn("ExitStatus", "functions/handlers/exit-status.ts"),
      {
        payload,
        resultPath: JsonPath.DISCARD,
      },
    );
    const midNotice = new Choice(scope, ExitStates.midNoticeDue)
      .when(
        Condition.isPresent("$.notice.midNoticeAt"),
        new Wait(scope, ExitStates.midNotice, { time: WaitTime.timestampPath("$.notice.midNoticeAt") })
          .next(status)
          .next(noticePeriod),
      )
      .otherwise(noticePeriod);
    round.next(midNotice);
    noticePeriod.next(complete);
    return notice.next(
      new Choice(scope, ExitStates.running)
        .when(Condition.booleanEquals("$.notice.ok", false), new Succeed(scope, ExitStates.cancelled))
        .otherwise(
          new Choice(scope, ExitStates.acknowledge)
            .when(Condition.isPresent("$.notice.round"), round)
            .otherwise(midNotice),
        ),
    );
  },
};
