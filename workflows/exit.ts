import { Duration } from "aws-cdk-lib";
import {
  Choice,
  Condition,
  Errors,
  IntegrationPattern,
  JsonPath,
  Map as MapState,
  Succeed,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
} from "aws-cdk-lib/aws-stepfunctions";
import { LambdaInvoke } from "aws-cdk-lib/aws-stepfunctions-tasks";
import { DIVISION_DECISION_REMINDER_DAYS } from "../functions/exit/inputs";
import type { WorkflowBuildContext, WorkflowSpec } from "../infra/constructs/workflows";
import { askAndWait, lambdaTask, retryTransient } from "./steps";

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
  propose: "Propose asset division",
  divisionAsked: "Division to approve?",
  divisionRound: "Asset division round",
  divisionAsk: "Request asset division answer",
  divisionMissed: "Asset division answer missed",
  settle: "Settle asset division",
  contested: "Division contested?",
  decision: "Await admin's division decision",
  remind: "Remind admin of division",
  windDown: "Set wind-down obligations",
  obligations: "Obligations",
  obligationRound: "Obligation round",
  obligationAsk: "Request obligation confirmation",
  obligationMissed: "Obligation not confirmed",
  nonDisparagementAsked: "Non-disparagement to acknowledge?",
  nonDisparagementRound: "Non-disparagement round",
  nonDisparagementAsk: "Request non-disparagement acknowledgement",
  nonDisparagementMissed: "Non-disparagement not acknowledged",
  complete: "Complete exit",
  completed: "Exit completed",
} as const;

/**
 * Exit wind-down: the notice to every partner → the leaving partner acknowledges (a missed deadline is recorded and
 * the exit goes on) → halfway, a status email to everyone → the notice period, a real Wait until the effective date →
 * the partners approve or contest the division of the shared assets (contested: the admin decides through the admin
 * API; the workflow waits, reminding them) → each wind-down obligation confirmed by its owner through a link (a Map of
 * rounds, one per obligation) → the non-disparagement clause acknowledged when the charter has it → the partner EXITED
 * (or the alliance DISSOLVED), its requests closed, the record mailed. Input: `{ allianceId, exitId, effectiveDate }`;
 * the execution is named after the exit. Cancelling stops the execution (see the admin API).
 */
export const exit: WorkflowSpec = {
  id: "exit",
  envName: "EXIT_STATE_MACHINE_ARN",
  build(ctx: WorkflowBuildContext) {
    const { scope } = ctx;
    const input = {
      allianceId: JsonPath.stringAt("$.allianceId"),
      exitId: JsonPath.stringAt("$.exitId"),
      effectiveDate: JsonPath.stringAt("$.effectiveDate"),
    };
    const payload = TaskInput.fromObject(input);
    const task = (
      name: string,
      id: string,
      entry: string,
      resultPath: string,
      options: { adminMail?: boolean; taskCallbacks?: boolean } = {},
    ) =>
      lambdaTask(scope, name, ctx.fn(id, `functions/handlers/${entry}.ts`, options), { payload, resultPath });

    const notice = task(ExitStates.notice, "ExitNotice", "exit-notice", "$.notice");
    const round = askAndWait(ctx, {
      kind: "exit-acknowledgement",
      roundPath: "$.notice.round",
      names: { round: ExitStates.round, ask: ExitStates.ask, missed: ExitStates.missed },
    });
    const noticePeriod = new Wait(scope, ExitStates.noticePeriod, {
      time: WaitTime.timestampPath("$.effectiveDate"),
    });
    const status = task(ExitStates.status, "ExitStatus", "exit-status", JsonPath.DISCARD);
    const midNotice = new Choice(scope, ExitStates.midNoticeDue)
      .when(
        Condition.isPresent("$.notice.midNoticeAt"),
        new Wait(scope, ExitStates.midNotice, { time: WaitTime.timestampPath("$.notice.midNoticeAt") })
          .next(status)
          .next(noticePeriod),
      )
      .otherwise(noticePeriod);
    round.next(midNotice);

    // The asset division: every partner approves or contests; contested, the admin decides.
    const propose = task(ExitStates.propose, "ExitDivision", "exit-division", "$.division");
    const divisionRound = askAndWait(ctx, {
      kind: "asset-division",
      roundPath: "$.division.round",
      names: {
        round: ExitStates.divisionRound,
        ask: ExitStates.divisionAsk,
        missed: ExitStates.divisionMissed,
      },
    });
    const settle = task(ExitStates.settle, "ExitDivisionSettle", "exit-division-settle", "$.settled", {
      adminMail: true,
    });
    const decision = retryTransient(
      new LambdaInvoke(scope, ExitStates.decision, {
        lambdaFunction: ctx.fn("ExitDivisionAwait", "functions/handlers/exit-division-await.ts", {
          taskCallbacks: true,
        }),
        integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: TaskInput.fromObject({ ...input, taskToken: JsonPath.taskToken }),
        taskTimeout: Timeout.duration(Duration.days(DIVISION_DECISION_REMINDER_DAYS)),
        resultPath: JsonPath.DISCARD,
      }),
    );
    const remind = task(ExitStates.remind, "ExitDivisionRemind", "exit-division-remind", JsonPath.DISCARD, {
      adminMail: true,
    });
    decision.addCatch(remind, { errors: [Errors.TIMEOUT], resultPath: JsonPath.DISCARD });
    remind.next(decision);

    // The wind-down: one round per obligation, then the non-disparagement clause, then the exit completes.
    const windDown = task(ExitStates.windDown, "ExitWindDown", "exit-wind-down", "$.windDown");
    const obligations = new MapState(scope, ExitStates.obligations, {
      itemsPath: "$.windDown.obligations",
      itemSelector: { "allianceId.$": "$.allianceId", "round.$": "$$.Map.Item.Value" },
      resultPath: JsonPath.DISCARD,
    }).itemProcessor(
      askAndWait(ctx, {
        kind: "wind-down-obligation",
        roundPath: "$.round",
        names: {
          round: ExitStates.obligationRound,
          ask: ExitStates.obligationAsk,
          missed: ExitStates.obligationMissed,
        },
      }),
    );
    const nonDisparagement = askAndWait(ctx, {
      kind: "non-disparagement",
      roundPath: "$.windDown.nonDisparagement",
      names: {
        round: ExitStates.nonDisparagementRound,
        ask: ExitStates.nonDisparagementAsk,
        missed: ExitStates.nonDisparagementMissed,
      },
    });
    // Completing answers the waiting tasks of the partner that left (a review's, a check-in's): they go on without it.
    const complete = task(ExitStates.complete, "ExitComplete", "exit-complete", "$.completed", {
      taskCallbacks: true,
    }).next(new Succeed(scope, ExitStates.completed));

    noticePeriod.next(propose);
    propose.next(
      new Choice(scope, ExitStates.divisionAsked)
        .when(Condition.isPresent("$.division.round"), divisionRound.next(settle))
        .otherwise(settle),
    );
    settle.next(
      new Choice(scope, ExitStates.contested)
        .when(Condition.booleanEquals("$.settled.contested", true), decision.next(windDown))
        .otherwise(windDown),
    );
    windDown
      .next(obligations)
      .next(
        new Choice(scope, ExitStates.nonDisparagementAsked)
          .when(Condition.isPresent("$.windDown.nonDisparagement"), nonDisparagement.next(complete))
          .otherwise(complete),
      );
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
