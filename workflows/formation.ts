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
} from "aws-cdk-lib/aws-stepfunctions";
import { LambdaInvoke } from "aws-cdk-lib/aws-stepfunctions-tasks";
import type { WorkflowBuildContext, WorkflowSpec } from "../infra/constructs/workflows";

/** State names of the formation workflow; tests read the execution history by these. */
export const FormationStates = {
  prepare: "Validate and audit draft",
  charterComplete: "Charter complete?",
  auditFailed: "Return draft with audit findings",
  collectInterestMaps: "Collect interest maps",
  requestInterestMap: "Request interest map",
  interestMapMissed: "Interest map deadline missed",
  lightTouch: "Light-touch mode?",
  approvalRound: "Charter approval round",
  requestApproval: "Request charter approval",
  approvalMissed: "Approval deadline missed",
  tally: "Tally charter approval",
  approved: "Charter approved?",
  activate: "Activate alliance",
  rejected: "Return draft with comments",
  active: "Alliance active",
  returned: "Returned to draft",
} as const;

/**
 * Formation: validate the draft → audit the charter → interest maps from every partner → charter approval
 * round by the charter's own rule → ACTIVE with the first review scheduled; a rejection (or an incomplete
 * charter) returns the alliance to DRAFT for a revised submission. Input: `{ allianceId, version }`.
 */
export const formation: WorkflowSpec = {
  id: "formation",
  envName: "FORMATION_STATE_MACHINE_ARN",
  build(ctx: WorkflowBuildContext) {
    const { scope } = ctx;
    const prepareFn = ctx.fn("FormationPrepare", "functions/handlers/formation-prepare.ts");
    const requestFn = ctx.fn("FormationRequest", "functions/handlers/formation-request.ts");
    const missedFn = ctx.fn("FormationMissed", "functions/handlers/formation-missed.ts");
    const tallyFn = ctx.fn("FormationTally", "functions/handlers/formation-tally.ts");
    const activateFn = ctx.fn("FormationActivate", "functions/handlers/formation-activate.ts");
    const returnFn = ctx.fn("FormationReturnToDraft", "functions/handlers/formation-return-to-draft.ts");

    const retryTransient = <T extends LambdaInvoke>(task: T): T => {
      task.addRetry({
        errors: [
          "ThrottlingException",
          "ProvisionedThroughputExceededException",
          "TransactionConflictException",
        ],
        interval: Duration.seconds(1),
        maxAttempts: 4,
        backoffRate: 2,
      });
      return task;
    };

    const prepare = retryTransient(
      new LambdaInvoke(scope, FormationStates.prepare, {
        lambdaFunction: prepareFn,
        payloadResponseOnly: true,
        resultPath: "$.prepared",
      }),
    );

    const returned = new Succeed(scope, FormationStates.returned);
    const auditFailed = retryTransient(
      new LambdaInvoke(scope, FormationStates.auditFailed, {
        lambdaFunction: returnFn,
        payloadResponseOnly: true,
        payload: TaskInput.fromObject({
          allianceId: JsonPath.stringAt("$.allianceId"),
          version: JsonPath.numberAt("$.version"),
          reason: "audit",
        }),
        resultPath: JsonPath.DISCARD,
      }),
    ).next(returned);

    /** One partner request inside a Map iteration: mail a link, wait for the partner, or note the miss. */
    const partnerRound = (
      kind: "interest-map" | "charter-approval",
      requestName: string,
      missedName: string,
    ) => {
      const request = new LambdaInvoke(scope, requestName, {
        lambdaFunction: requestFn,
        integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: TaskInput.fromObject({
          taskToken: JsonPath.taskToken,
          allianceId: JsonPath.stringAt("$.allianceId"),
          version: JsonPath.numberAt("$.version"),
          partnerId: JsonPath.stringAt("$.partnerId"),
          kind,
        }),
        taskTimeout: Timeout.at("$.deadlineSeconds"),
        resultPath: "$.response",
      });
      const missed = retryTransient(
        new LambdaInvoke(scope, missedName, {
          lambdaFunction: missedFn,
          payloadResponseOnly: true,
          payload: TaskInput.fromObject({
            allianceId: JsonPath.stringAt("$.allianceId"),
            version: JsonPath.numberAt("$.version"),
            partnerId: JsonPath.stringAt("$.partnerId"),
            kind,
          }),
          resultPath: "$.response",
        }),
      );
      request.addCatch(missed, { errors: [Errors.TIMEOUT], resultPath: "$.timeout" });
      return request;
    };

    const perPartner = (name: string) =>
      new MapState(scope, name, {
        itemsPath: "$.prepared.partnerIds",
        itemSelector: {
          "allianceId.$": "$.allianceId",
          "version.$": "$.version",
          "partnerId.$": "$$.Map.Item.Value",
          "deadlineSeconds.$": "$.prepared.deadlineSeconds",
        },
        resultPath: JsonPath.DISCARD,
      });

    const collectInterestMaps = perPartner(FormationStates.collectInterestMaps).itemProcessor(
      partnerRound("interest-map", FormationStates.requestInterestMap, FormationStates.interestMapMissed),
    );
    const approvalRound = perPartner(FormationStates.approvalRound).itemProcessor(
      partnerRound("charter-approval", FormationStates.requestApproval, FormationStates.approvalMissed),
    );

    const tally = retryTransient(
      new LambdaInvoke(scope, FormationStates.tally, {
        lambdaFunction: tallyFn,
        payloadResponseOnly: true,
        payload: TaskInput.fromObject({
          allianceId: JsonPath.stringAt("$.allianceId"),
          version: JsonPath.numberAt("$.version"),
        }),
        resultPath: "$.tally",
      }),
    );
    const activate = retryTransient(
      new LambdaInvoke(scope, FormationStates.activate, {
        lambdaFunction: activateFn,
        payloadResponseOnly: true,
        payload: TaskInput.fromObject({
          allianceId: JsonPath.stringAt("$.allianceId"),
          version: JsonPath.numberAt("$.version"),
        }),
        resultPath: "$.activated",
      }),
    ).next(new Succeed(scope, FormationStates.active));
    const rejected = retryTransient(
      new LambdaInvoke(scope, FormationStates.rejected, {
        lambdaFunction: returnFn,
        payloadResponseOnly: true,
        payload: TaskInput.fromObject({
          allianceId: JsonPath.stringAt("$.allianceId"),
          version: JsonPath.numberAt("$.version"),
          reason: "rejected",
        }),
        resultPath: JsonPath.DISCARD,
      }),
    ).next(returned);

    approvalRound
      .next(tally)
      .next(
        new Choice(scope, FormationStates.approved)
          .when(Condition.stringEquals("$.tally.outcome", "approved"), activate)
          .otherwise(rejected),
      );

    return prepare.next(
      new Choice(scope, FormationStates.charterComplete)
        .when(Condition.booleanEquals("$.prepared.ok", false), auditFailed)
        .otherwise(
          // Light-touch alliances (one-page agreement) skip the interest-map round: fewer steps, same audit trail.
          new Choice(scope, FormationStates.lightTouch)
            .when(Condition.stringEquals("$.prepared.mode", "light-touch"), approvalRound)
            .otherwise(collectInterestMaps.next(approvalRound)),
        ),
    );
  },
};
