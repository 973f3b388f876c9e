import { RemovalPolicy, Validations } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import {
  DefinitionBody,
  type IChainable,
  LogLevel,
  StateMachine,
  StateMachineType,
} from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import { acknowledgeWildcardResource } from "../nag";
import { ConcordFunction } from "./concord-function";
import type { ConcordMail } from "./mail";

/** What a workflow's `build` gets: where to create states, and a factory for its task functions. */
export interface WorkflowBuildContext {
  /** The construct to create the workflow's states in. */
  readonly scope: Construct;
  /**
   * Creates a task function for `entry` (repo-relative, e.g. `functions/handlers/audit-charter.ts`), already bound
   * to the table, mail and APP_URL; with `taskCallbacks`, also allowed to answer waitForTaskToken tasks
   * (only functions that call SendTaskSuccess get that grant); with `adminMail`, also given ADMIN_EMAIL.
   */
  fn(id: string, entry: string, options?: { taskCallbacks?: boolean; adminMail?: boolean }): ConcordFunction;
}

/** One lifecycle workflow (formation, realignment, escalation, exit) as the stack deploys it. */
export interface WorkflowSpec {
  /** Kebab-case id, e.g. "formation"; the state machine is named `concord-<id>`. */
  readonly id: string;
  /** Environment variable that carries the state machine ARN to its starters, e.g. FORMATION_STATE_MACHINE_ARN. */
  readonly envName: string;
  /** Builds the definition with the CDK chain API. */
  build(ctx: WorkflowBuildContext): IChainable;
}

/** Props of a deployed workflow. */
export interface ConcordWorkflowProps {
  /** The workflow to deploy. */
  readonly spec: WorkflowSpec;
  /** Concord's table, bound to every task function. */
  readonly table: ITable;
  /** Concord's mail, bound to every task function. */
  readonly mail: ConcordMail;
  /** Public base URL of the app (APP_URL), bound to every task function. */
  readonly appUrl: string;
  /** Retention of the execution log group. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/** A WorkflowSpec that breaks the naming contract. */
export class WorkflowSpecError extends Error {
  constructor(specId: string, problem: string) {
    super(`Workflow "${specId}": ${problem}`);
    this.name = "WorkflowSpecError";
  }
}

/** Prefix of every Concord state machine name. */
export const STATE_MACHINE_NAME_PREFIX = "concord-";

/**
 * A Standard state machine built from a WorkflowSpec: explicit name `concord-<id>`, every event logged with
 * execution data, X-Ray tracing on, and task functions created through the build context.
 */
export class ConcordWorkflow extends Construct {
  /** The spec this workflow was built from. */
  readonly spec: WorkflowSpec;
  /** The state machine. */
  readonly stateMachine: StateMachine;
  /** Its name, `concord-<id>`. */
  readonly stateMachineName: string;
  /** Task functions the spec created through `ctx.fn`. */
  readonly functions: readonly ConcordFunction[];

  constructor(scope: Construct, id: string, props: ConcordWorkflowProps) {
    super(scope, id);
    const { spec } = props;
    if (!/^[a-z][a-z0-9-]*$/.test(spec.id)) throw new WorkflowSpecError(spec.id, "id must be kebab-case");
    if (!/^[A-Z][A-Z0-9_]*_STATE_MACHINE_ARN$/.test(spec.envName)) {
      throw new WorkflowSpecError(
        spec.id,
        `envName "${spec.envName}" must look like FORMATION_STATE_MACHINE_ARN`,
      );
    }
    this.spec = spec;
    this.stateMachineName = `${STATE_MACHINE_NAME_PREFIX}${spec.id}`;

    // Functions and states get separate scopes so a task function and a state may share a name.
    const tasks = new Construct(this, "Tasks");
    const states = new Construct(this, "States");
    const functions: ConcordFunction[] = [];
    const answering: ConcordFunction[] = [];
    const definition = spec.build({
      scope: states,
      fn: (fnId, entry, options = {}) => {
        const fn = new ConcordFunction(tasks, fnId, { entry })
          .bindTable(props.table)
          .bindMail(props.mail)
          .bindAppUrl(props.appUrl);
        if (options.adminMail) fn.bindAdminAddress(props.mail);
        if (options.taskCallbacks) {
          fn.bindTaskCallbacks();
          answering.push(fn);
        }
        functions.push(fn);
        return fn;
      },
    });
    this.functions = functions;

    const logs = new LogGroup(this, "Logs", {
      // The /aws/vendedlogs/ prefix keeps CloudWatch's resource-policy size limit out of the way.
      logGroupName: `/aws/vendedlogs/states/${this.stateMachineName}`,
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, "StateMachine", {
      stateMachineName: this.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    for (const fn of answering) fn.bindExecutionReads(this.stateMachineName);

    Validations.of(this.stateMachine).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "X-Ray PutTraceSegments and CloudWatch Logs vended-log delivery APIs support no resource-level permissions.",
    });
    for (const fn of functions) {
      acknowledgeWildcardResource(
        this.stateMachine,
        `${fn.functionArn}:*`,
        "Invoking a task function by version or alias; the wildcard is limited to this one function.",
      );
    }
  }
}
