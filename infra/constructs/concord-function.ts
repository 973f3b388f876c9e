import { join } from "node:path";
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, type CfnFunction, Runtime } from "aws-cdk-lib/aws-lambda";
import {
  type BundlingOptions,
  LogLevel,
  NodejsFunction,
  type NodejsFunctionProps,
  OutputFormat,
} from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import type { Construct } from "constructs";
import { acknowledgeWildcardResource } from "../nag";
import { HandlerEntryError, projectRoot, repoRelativeEntry } from "../paths";
import type { ConcordMail } from "./mail";

/** Metadata key on every CfnFunction: repo-relative TypeScript entry the local cloud imports in-process. */
export const ENTRY_METADATA_KEY = "concord:entry";
/** Metadata key on every CfnFunction: the exported handler name. */
export const HANDLER_METADATA_KEY = "concord:handler";

/** Props of the house Lambda function; runtime, architecture, bundling, role and logs are fixed by the house. */
export interface ConcordFunctionProps
  extends Omit<
    NodejsFunctionProps,
    | "entry"
    | "handler"
    | "runtime"
    | "architecture"
    | "bundling"
    | "projectRoot"
    | "depsLockFilePath"
    | "code"
    | "role"
    | "logGroup"
    | "logRetention"
    | "logRetentionRole"
    | "logRetentionRetryOptions"
  > {
  /** Repo-relative TypeScript entry, e.g. `functions/handlers/admin-http.ts`. */
  readonly entry: string;
  /** Exported handler name. @default "handler" */
  readonly handler?: string;
  /** How long the function's log group keeps events. @default RetentionDays.ONE_MONTH */
  readonly logGroupRetention?: RetentionDays;
}

// esbuild's ESM output cannot `require()` Node built-ins from bundled CommonJS dependencies unless a
// `require` exists in module scope; this banner provides one.
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * How every Concord function is bundled: one self-contained, minified, tree-shaken ES module (plus its source
 * map) that needs nothing beside it but Node's built-ins. Exported so the bench can build the same bundles with
 * only what is left external changed.
 */
export const CONCORD_BUNDLING: BundlingOptions = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: "node24",
  // Nothing is left to the Lambda runtime, the AWS SDK included (NodejsFunction's default leaves `@aws-sdk/*`
  // and `@smithy/*` to it). A function then runs the SDK version package-lock.json pins and the tests ran, not
  // whichever minor version the runtime ships in that Region (AWS lists none), and the local cloud runs the very
  // bundle with nothing beside it. On Lambda one file also starts faster than the runtime's copy, which Node
  // resolves and reads file by file (aws/aws-cdk#25492); on a developer machine, with that copy in the page
  // cache, both start alike (`npm run bench -- bundles` measures both ways).
  externalModules: [],
  // Prefer dependencies' ES module builds (the SDK's dist-es): esbuild tree-shakes those, not CommonJS.
  mainFields: ["module", "main"],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  // Stack traces need the mappings, not the sources: without them the map is a third the size, and that much
  // less for Node to read and parse at start (the functions run with NODE_OPTIONS=--enable-source-maps).
  sourcesContent: false,
  esbuildArgs: { "--tree-shaking": "true" },
  // esbuild's per-file size listing is noise in `cdk synth`; warnings and errors still show.
  logLevel: LogLevel.WARNING,
};

const ENV_NAME_PATTERN = /^[A-Z][A-Z0-9_]*_STATE_MACHINE_ARN$/;

/** An environment variable name for a state machine ARN that breaks the `<WORKFLOW>_STATE_MACHINE_ARN` contract. */
export class StateMachineEnvNameError extends Error {
  constructor(envName: string) {
    super(`State machine environment variable "${envName}" must look like FORMATION_STATE_MACHINE_ARN`);
    this.name = "StateMachineEnvNameError";
  }
}

/**
 * Concord's Lambda function: Node.js 24 on ARM, bundled by the local esbuild into one self-contained, minified
 * ES module with a source map (AWS SDK included, see CONCORD_BUNDLING), its own log group with retention, and a
 * role that only holds what the bind helpers grant.
 * Each `bind*` helper sets the environment variable and the matching least-privilege grant in one call.
 */
export class ConcordFunction extends NodejsFunction {
  /** Repo-relative TypeScript entry of the handler. */
  readonly entryPath: string;
  /** Exported handler name. */
  readonly handlerName: string;
  /** The execution role (created here so no AWS managed policy is attached). */
  readonly serviceRole: Role;

  constructor(scope: Construct, id: string, props: ConcordFunctionProps) {
    const { entry, handler = "handler", logGroupRetention = RetentionDays.ONE_MONTH, ...rest } = props;
    const entryPath = repoRelativeEntry(entry);
    if (!/^[A-Za-z_$][\w$]*$/.test(handler)) {
      throw new HandlerEntryError(entry, `names handler "${handler}", which is not an export name`);
    }
    // Siblings rather than children: both must exist before NodejsFunction's constructor runs.
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: logGroupRetention,
      // Function logs are operational only; the alliance's permanent record is the timeline in DynamoDB.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const serviceRole = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `Execution role of ${id}`,
    });
    logGroup.grantWrite(serviceRole);

    super(scope, id, {
      ...rest,
      memorySize: rest.memorySize ?? 256,
      timeout: rest.timeout ?? Duration.seconds(15),
      entry: join(projectRoot, entryPath),
      handler,
      projectRoot,
      depsLockFilePath: join(projectRoot, "package-lock.json"),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      role: serviceRole,
      logGroup,
      environment: { NODE_OPTIONS: "--enable-source-maps", ...rest.environment },
      bundling: CONCORD_BUNDLING,
    });

    this.entryPath = entryPath;
    this.handlerName = handler;
    this.serviceRole = serviceRole;
    const cfnFunction = this.node.defaultChild as CfnFunction;
    cfnFunction.addMetadata(ENTRY_METADATA_KEY, entryPath);
    cfnFunction.addMetadata(HANDLER_METADATA_KEY, handler);
  }

  /** Sets TABLE_NAME and grants read/write on the table and its indexes. */
  bindTable(table: ITable): this {
    this.addEnvironment("TABLE_NAME", table.tableName);
    table.grantReadWriteData(this);
    acknowledgeWildcardResource(
      this.serviceRole,
      `${table.tableArn}/index/*`,
      "Queries the Concord table's own secondary indexes; the wildcard covers only this table's indexes.",
    );
    return this;
  }

  /** Sets MAIL_FROM and grants ses:SendEmail/SendRawEmail on the sender identity (and its configuration set). */
  bindMail(mail: ConcordMail): this {
    this.addEnvironment("MAIL_FROM", mail.senderAddress);
    mail.grantSend(this);
    return this;
  }

  /** Sets ADMIN_EMAIL, where what needs an admin is mailed (sending is bindMail's grant). */
  bindAdminAddress(mail: ConcordMail): this {
    this.addEnvironment("ADMIN_EMAIL", mail.adminAddress);
    return this;
  }

  /** Sets `envName` (e.g. FORMATION_STATE_MACHINE_ARN) and grants starting and describing its executions. */
  bindStateMachine(envName: string, stateMachine: StateMachine): this {
    if (!ENV_NAME_PATTERN.test(envName)) throw new StateMachineEnvNameError(envName);
    this.addEnvironment(envName, stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(this);
    return this.bindExecutionReads(stateMachine.stateMachineName);
  }

  /**
   * Grants states:DescribeExecution on the executions of the state machine named `stateMachineName`: a
   * function that answers task tokens reads whether the execution still runs when a task no longer waits.
   * Pass the literal name (e.g. "concord-formation"): a task function of that very machine would otherwise
   * depend on it, and the machine on the function.
   */
  bindExecutionReads(stateMachineName: string): this {
    const executions = `${executionArnPrefix(this, stateMachineName)}:*`;
    this.addToRolePolicy(
      new PolicyStatement({ actions: ["states:DescribeExecution"], resources: [executions] }),
    );
    acknowledgeWildcardResource(
      this.serviceRole,
      executions,
      "DescribeExecution is granted on the executions of one named state machine; execution names are not known in advance.",
    );
    return this;
  }

  /** Grants states:RedriveExecution on the executions of the state machine named `stateMachineName` (retrying them). */
  bindExecutionRedrives(stateMachineName: string): this {
    const executions = `${executionArnPrefix(this, stateMachineName)}:*`;
    this.addToRolePolicy(
      new PolicyStatement({ actions: ["states:RedriveExecution"], resources: [executions] }),
    );
    acknowledgeWildcardResource(
      this.serviceRole,
      executions,
      "RedriveExecution is granted on the executions of one named state machine (an admin retries a workflow that stopped); execution names are not known in advance.",
    );
    return this;
  }

  /** Grants states:StopExecution on the executions of the state machine named `stateMachineName` (cancelling them). */
  bindExecutionStops(stateMachineName: string): this {
    const executions = `${executionArnPrefix(this, stateMachineName)}:*`;
    this.addToRolePolicy(new PolicyStatement({ actions: ["states:StopExecution"], resources: [executions] }));
    acknowledgeWildcardResource(
      this.serviceRole,
      executions,
      "StopExecution is granted on the executions of one named state machine (an admin cancels an exit or withdraws an escalation); execution names are not known in advance.",
    );
    return this;
  }

  /** Grants states:SendTaskSuccess/Failure/Heartbeat, which answer waitForTaskToken tasks. */
  bindTaskCallbacks(): this {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ["states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"],
        // These actions support no resource-level permissions (Service Authorization Reference), so a
        // state machine ARN here would deny every callback; the task token itself is the capability.
        resources: ["*"],
      }),
    );
    Validations.of(this.serviceRole).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "states:SendTask* support no resource-level permissions; the unguessable task token is what scopes the call.",
    });
    return this;
  }

  /** Sets APP_URL, the public base URL (no trailing slash) used in partner links. */
  bindAppUrl(url: string): this {
    this.addEnvironment("APP_URL", url);
    return this;
  }
}

// Execution ARNs replace the state machine ARN's `stateMachine` segment with `execution`:
// arn:<partition>:states:<region>:<account>:execution:<stateMachineName>:<executionName>.
function executionArnPrefix(scope: Construct, stateMachineName: string): string {
  return Stack.of(scope).formatArn({
    service: "states",
    resource: "execution",
    resourceName: stateMachineName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
