import { Choice, Condition, JsonPath, Succeed, TaskInput } from "aws-cdk-lib/aws-stepfunctions";
import type { WorkflowBuildContext, WorkflowSpec } from "../infra/constructs/workflows";
import { askAndWait, lambdaTask } from "./steps";

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
    const allianceVersion = TaskInput.fromObject({
      allianceId: JsonPath.stringAt("$.allianceId"),
      version: JsonPath.numberAt("$.version"),
    });
    const returnTo = (reason: "audit" | "rejected") =>
      TaskInput.fromObject({
        allianceId: JsonPath.stringAt("$.allianceId"),
        version: JsonPath.numberAt("$.version"),
        reason,
      });
    const returnFn = ctx.fn("FormationReturnToDraft", "functions/handlers/formation-return-to-draft.ts");
    const returned = new Succeed(scope, FormationStates.returned);

    // Prepare computes the round once, from the charter: who is asked, the deadline and the reminder.
    const prepare = lambdaTask(
      scope,
      FormationStates.prepare,
      ctx.fn("FormationPrepare", "functions/handlers/formation-prepare.ts"),
      { resultPath: "$.prepared" },
    );
    const auditFailed = lambdaTask(scope, FormationStates.auditFailed, returnFn, {
      payload: returnTo("audit"),
      resultPath: JsonPath.DISCARD,
    }).next(returned);
    const collectInterestMaps = askAndWait(ctx, {
      kind: "interest-map",
      roundPath: "$.prepared.round",
      names: {
        round: FormationStates.collectInterestMaps,
        ask: FormationStates.requestInterestMap,
        missed: FormationStates.interestMapMissed,
      },
    });
    const approvalRound = askAndWait(ctx, {
      kind: "charter-approval",
      roundPath: "$.prepared.round",
      names: {
        round: FormationStates.approvalRound,
        ask: FormationStates.requestApproval,
        missed: FormationStates.approvalMissed,
      },
    });
    const tally = lambdaTask(
      scope,
      FormationStates.tally,
      ctx.fn("FormationTally", "functions/handlers/formation-tally.ts"),
      { payload: allianceVersion, resultPath: "$.tally" },
    );
    const activate = lambdaTask(
      scope,
      FormationStates.activate,
      ctx.fn("FormationActivate", "functions/handlers/formation-activate.ts"),
      { payload: allianceVersion, resultPath: "$.activated" },
    ).next(new Succeed(scope, FormationStates.active));
    const rejected = lambdaTask(scope, FormationStates.rejected, returnFn, {
      payload: returnTo("rejected"),
      resultPath: JsonPath.DISCARD,
    }).next(returned);

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
