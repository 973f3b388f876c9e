import { Duration } from "aws-cdk-lib";
import {
  Errors,
  IntegrationPattern,
  JitterType,
  JsonPath,
  Map as MapState,
  Pass,
  TaskInput,
  Timeout,
} from "aws-cdk-lib/aws-stepfunctions";
import { LambdaInvoke, type LambdaInvokeProps } from "aws-cdk-lib/aws-stepfunctions-tasks";
import type { Construct } from "constructs";
import { DEADLINE_EXTENDED_ERROR } from "../functions/requests/payloads";
import type { RequestKind } from "../functions/requests/registry";
import type { ConcordFunction } from "../infra/constructs/concord-function";
import type { WorkflowBuildContext } from "../infra/constructs/workflows";

// The steps every workflow is built from. Handlers report transient dependency failures as
// TransientDependencyError (functions/shared/task.ts); "Sandbox.Timedout" is a task that ran out of time,
// which a hung connection can cause. Every task is idempotent, so a retry is always safe.
const TRANSIENT_ERRORS = ["TransientDependencyError", "Sandbox.Timedout"];

/**
 * Retries transient failures with exponential backoff and full jitter: six retries, each waiting a random
 * time up to 2, 4, 8, 16, 32 and 60 s (about a minute in all on average, two at most), long enough
 * for a dependency that restarts or throttles (seen: DynamoDB unreachable for a second failed a whole
 * formation). Lambda service errors keep the CDK's own retry.
 */
export function retryTransient<T extends LambdaInvoke>(task: T): T {
  task.addRetry({
    errors: TRANSIENT_ERRORS,
    interval: Duration.seconds(2),
    maxAttempts: 6,
    backoffRate: 2,
    maxDelay: Duration.seconds(60),
    jitterStrategy: JitterType.FULL,
  });
  return task;
}

/** A Lambda task whose result (the handler's return value) lands at `resultPath`, retried when transient. */
export function lambdaTask(
  scope: Construct,
  name: string,
  fn: ConcordFunction,
  props: Omit<LambdaInvokeProps, "lambdaFunction" | "payloadResponseOnly"> = {},
): LambdaInvoke {
  return retryTransient(
    new LambdaInvoke(scope, name, { ...props, lambdaFunction: fn, payloadResponseOnly: true }),
  );
}

/** The state an "ask" task's extension passes through before it asks again (tests read the history by it). */
export function deadlineExtendedState(askState: string): string {
  return `${askState}: deadline extended`;
}

/** Props of one "ask and wait" step. */
export interface AskAndWaitProps {
  /** The request kind asked for, e.g. "charter-approval". */
  readonly kind: RequestKind;
  /** JSONPath of the round the previous step prepared (a RoundSchema: instance, recipients, deadline, reminder). */
  readonly roundPath: string;
  /** State names: the Map, its waitForTaskToken task, and the task that records a missed deadline. */
  readonly names: { readonly round: string; readonly ask: string; readonly missed: string };
}

// One pair of engine functions per workflow: its own log group and role, shared by all its rounds.
const engineFunctions = new WeakMap<
  WorkflowBuildContext,
  { open: ConcordFunction; missed: ConcordFunction }
>();

function engineOf(ctx: WorkflowBuildContext) {
  let fns = engineFunctions.get(ctx);
  if (!fns) {
    fns = {
      open: ctx.fn("RequestOpen", "functions/handlers/request-open.ts", { taskCallbacks: true }),
      missed: ctx.fn("RequestMissed", "functions/handlers/request-missed.ts"),
    };
    engineFunctions.set(ctx, fns);
  }
  return fns;
}

/**
 * "Ask and wait": a Map over the round's recipients; for each, a waitForTaskToken task that opens the
 * request and mails the link (the workflow waits until someone decides), with the deadline taken from the
 * round as the task's timeout; on the deadline, a task that records what silence counts as; when an admin extends
 * the deadline, the same request is asked again with the new timeout. Results are
 * discarded: the decisions are read back from their outcome records by the step after.
 */
export function askAndWait(ctx: WorkflowBuildContext, props: AskAndWaitProps): MapState {
  const { scope } = ctx;
  const engine = engineOf(ctx);
  const round = props.roundPath;
  // What each recipient's ask starts from: the Map's item selector.
  const itemFields: Record<string, string> = {
    "allianceId.$": "$.allianceId",
    "instance.$": `${round}.instance`,
    "charterVersion.$": `${round}.charterVersion`,
    "deadlineSeconds.$": `${round}.deadlineSeconds`,
    "remindBeforeSeconds.$": `${round}.remindBeforeSeconds`,
    "recipient.$": "$$.Map.Item.Value",
  };
  const item = {
    allianceId: JsonPath.stringAt("$.allianceId"),
    kind: props.kind,
    instance: JsonPath.stringAt("$.instance"),
    charterVersion: JsonPath.numberAt("$.charterVersion"),
    recipient: JsonPath.objectAt("$.recipient"),
  };
  const ask = retryTransient(
    new LambdaInvoke(scope, props.names.ask, {
      lambdaFunction: engine.open,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({
        ...item,
        taskToken: JsonPath.taskToken,
        executionArn: JsonPath.stringAt("$$.Execution.Id"),
        deadlineSeconds: JsonPath.numberAt("$.deadlineSeconds"),
        remindBeforeSeconds: JsonPath.numberAt("$.remindBeforeSeconds"),
      }),
      taskTimeout: Timeout.at("$.deadlineSeconds"),
      resultPath: "$.response",
    }),
  );
  const missed = lambdaTask(scope, props.names.missed, engine.missed, {
    payload: TaskInput.fromObject(item),
    resultPath: "$.response",
  });
  ask.addCatch(missed, { errors: [Errors.TIMEOUT], resultPath: "$.timeout" });
  // An admin gave the round more time: the task is failed with the new timeout in seconds as its Cause (a running
  // task's timeout cannot move), and the same request is asked again (found open, not mailed twice).
  // Every field of the item as it was (one list: the item selector's), but the deadline.
  const sameItem = Object.fromEntries(
    Object.keys(itemFields).map((field) => [field, `$.${field.slice(0, -2)}`]),
  );
  const extended = new Pass(scope, deadlineExtendedState(props.names.ask), {
    parameters: { ...sameItem, "deadlineSeconds.$": "States.StringToJson($.extension.Cause)" },
  });
  ask.addCatch(extended, { errors: [DEADLINE_EXTENDED_ERROR], resultPath: "$.extension" });
  extended.next(ask);
  return new MapState(scope, props.names.round, {
    itemsPath: `${round}.recipients`,
    itemSelector: itemFields,
    resultPath: JsonPath.DISCARD,
  }).itemProcessor(ask);
}
