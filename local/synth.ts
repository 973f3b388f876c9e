import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { App } from "aws-cdk-lib";
import { z } from "zod";
import { cdkJsonContext } from "../infra/app-context";
import { ConcordStack, type ConcordStackProps } from "../infra/concord-stack";
import { ENTRY_METADATA_KEY, HANDLER_METADATA_KEY } from "../infra/constructs/concord-function";
import {
  type CfnTemplate,
  type LocalNaming,
  type LocalStateMachineSpec,
  resolveIntrinsics,
  stateMachinesFromTemplate,
} from "./cfn";

/** Stack name the local cloud uses, the same as the deployed stack. */
export const LOCAL_STACK_NAME = "Concord";
/** Account id of the local cloud. */
export const LOCAL_ACCOUNT_ID = "000000000000";

/**
 * Context that makes NodejsFunction skip esbuild for every stack. An assembly synthesized with it has no
 * Lambda code and must never be deployed. The CLI refuses it as `-c`, so apps pass it as postCliContext.
 */
export const SKIP_BUNDLING_CONTEXT = { "aws:cdk:bundling-stacks": [] } as const;

/** A Lambda function of the stack, as the local cloud imports and configures it. */
export interface LocalFunctionSpec {
  logicalId: string;
  /** FunctionName if set, else the logical id. */
  name: string;
  arn: string;
  /** Repo-relative TypeScript entry, e.g. `functions/handlers/admin-http.ts`. */
  entry: string;
  /** Exported handler name. */
  handler: string;
  /** Environment with intrinsics resolved to local names (APP_URL still points at the cloud API). */
  environment: Record<string, string>;
  /** Timeout in seconds (CloudFormation's default: 3). */
  timeoutSeconds: number;
  /** Memory in MB (CloudFormation's default: 128). */
  memorySize: number;
  /** Runtime identifier, e.g. `nodejs24.x`. */
  runtime: string;
  /** The execution role's ARN. */
  roleArn: string;
  /** The function's log group name. */
  logGroupName: string;
  /** The Handler setting of the deployed code, e.g. `index.handler`. */
  handlerSetting: string;
  /** The deployed code's main file (from Handler: `index.mjs` for `index.handler`). */
  bundleFile: string;
  /** The export the deployed code's Handler names (`handler` for `index.handler`). */
  bundleExport: string;
  /** The bundled code's folder, when the stack was synthesized with bundling (`bundles` option). */
  assetDirectory?: string;
}

/** What the local cloud needs from the synthesized stack. */
export interface LocalAssembly {
  template: CfnTemplate;
  tables: CreateTableCommandInput[];
  stateMachines: LocalStateMachineSpec[];
  functions: LocalFunctionSpec[];
}

/** Options of the local synth. */
export interface LocalSynthOptions {
  /** Region the local names and ARNs use. @default process.env.AWS_REGION, else "us-east-1" */
  region?: string;
  /** Workflows to synthesize instead of the registry in workflows/index.ts (tests). */
  workflows?: ConcordStackProps["workflows"];
  /**
   * Bundle every function as `cdk synth` does for a deployment, into this (empty) folder, which is kept: each
   * function's `assetDirectory` is its deployable code. @default no bundling (sources only)
   */
  bundleInto?: string;
}

/** The stack's template has a shape the local cloud cannot use; the message names the resource and field. */
export class LocalTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LocalTemplateError";
  }
}

/**
 * Synthesizes the same ConcordStack the cloud gets, in-process and fast (no bundling, no CloudFormation
 * validation, no cdk-nag), and extracts the tables, state machines and functions the local cloud runs.
 */
export async function synthesizeForLocal(options: LocalSynthOptions = {}): Promise<LocalAssembly> {
  const region = options.region ?? process.env.AWS_REGION ?? "us-east-1";
  const naming: LocalNaming = { region, accountId: LOCAL_ACCOUNT_ID, stackName: LOCAL_STACK_NAME };
  // The synth is synchronous CPU work; yielding once lets a caller's Promise.all start its other work
  // (e.g. booting DynamoDB Local's JVM) before the synth holds the event loop.
  await new Promise((resolve) => setImmediate(resolve));
  const template = synthesizeTemplate(options.workflows, options.bundleInto);
  const functions = functionsFromTemplate(template, naming);
  if (options.bundleInto) {
    for (const fn of functions) fn.assetDirectory = assetDirectoryOf(template, fn, options.bundleInto);
  }
  return {
    template,
    tables: tablesFromTemplate(template, naming),
    stateMachines: stateMachinesFromTemplate(template, naming),
    functions,
  };
}

function synthesizeTemplate(workflows: ConcordStackProps["workflows"], bundleInto?: string): CfnTemplate {
  const outdir = bundleInto ?? mkdtempSync(join(tmpdir(), "concord-synth-"));
  try {
    const app = new App({
      outdir,
      context: cdkJsonContext(),
      ...(bundleInto ? {} : { postCliContext: SKIP_BUNDLING_CONTEXT }),
      // Speed only: this assembly is never deployed, so skipping the check is safe.
      builtinCloudFormationValidation: false,
      analyticsReporting: false,
      treeMetadata: false,
    });
    const stack = new ConcordStack(app, LOCAL_STACK_NAME, workflows ? { workflows } : {});
    const template: unknown = app.synth().getStackByName(stack.stackName).template;
    return TemplateSchema.parse(template) as CfnTemplate;
  } finally {
    if (!bundleInto) rmSync(outdir, { recursive: true, force: true });
  }
}

/** The asset folder CDK staged a function's bundle in: `asset.<hash>` for the `<hash>.zip` its Code names. */
function assetDirectoryOf(template: CfnTemplate, fn: LocalFunctionSpec, outdir: string): string {
  const code = template.Resources[fn.logicalId]?.Properties?.Code as { S3Key?: unknown } | undefined;
  if (typeof code?.S3Key !== "string" || !code.S3Key.endsWith(".zip")) {
    throw new LocalTemplateError(`function ${fn.logicalId}: Code.S3Key names no bundled asset`);
  }
  return join(outdir, `asset.${code.S3Key.slice(0, -".zip".length)}`);
}

const TemplateSchema = z.looseObject({
  Resources: z.record(
    z.string(),
    z.looseObject({
      Type: z.string(),
      Properties: z.record(z.string(), z.unknown()).optional(),
      Metadata: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  Parameters: z.record(z.string(), z.looseObject({ Default: z.unknown().optional() })).optional(),
});

const KeySchemaSchema = z
  .array(z.object({ AttributeName: z.string(), KeyType: z.enum(["HASH", "RANGE"]) }))
  .min(1);
const ProjectionSchema = z.object({
  ProjectionType: z.enum(["ALL", "KEYS_ONLY", "INCLUDE"]).optional(),
  NonKeyAttributes: z.array(z.string()).optional(),
});
const TablePropertiesSchema = z.looseObject({
  KeySchema: KeySchemaSchema,
  AttributeDefinitions: z.array(
    z.object({ AttributeName: z.string(), AttributeType: z.enum(["S", "N", "B"]) }),
  ),
  GlobalSecondaryIndexes: z
    .array(z.looseObject({ IndexName: z.string(), KeySchema: KeySchemaSchema, Projection: ProjectionSchema }))
    .optional(),
  LocalSecondaryIndexes: z
    .array(z.looseObject({ IndexName: z.string(), KeySchema: KeySchemaSchema, Projection: ProjectionSchema }))
    .optional(),
});

/** CreateTable inputs for every AWS::DynamoDB::Table (or GlobalTable) of the template, always on-demand. */
export function tablesFromTemplate(template: CfnTemplate, naming: LocalNaming): CreateTableCommandInput[] {
  return Object.entries(template.Resources)
    .filter(
      ([, resource]) =>
        resource.Type === "AWS::DynamoDB::Table" || resource.Type === "AWS::DynamoDB::GlobalTable",
    )
    .map(([logicalId, resource]) => {
      const parsed = TablePropertiesSchema.safeParse(resource.Properties ?? {});
      if (!parsed.success)
        throw new LocalTemplateError(`table ${logicalId}: ${describeIssues(parsed.error)}`);
      const properties = parsed.data;
      const tableName = resource.Properties?.TableName;
      const name =
        tableName === undefined
          ? logicalId
          : resolveString(tableName, template, naming, `${logicalId}.TableName`);
      const indexes = (list: typeof properties.GlobalSecondaryIndexes) =>
        list?.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection }));
      return {
        TableName: name,
        KeySchema: properties.KeySchema,
        AttributeDefinitions: properties.AttributeDefinitions,
        BillingMode: "PAY_PER_REQUEST",
        GlobalSecondaryIndexes: indexes(properties.GlobalSecondaryIndexes),
        LocalSecondaryIndexes: indexes(properties.LocalSecondaryIndexes),
      } satisfies CreateTableCommandInput;
    });
}

const FunctionMetadataSchema = z.looseObject({
  [ENTRY_METADATA_KEY]: z.string().min(1),
  [HANDLER_METADATA_KEY]: z.string().min(1),
});

/** Every AWS::Lambda::Function of the template with its handler location and resolved environment. */
export function functionsFromTemplate(template: CfnTemplate, naming: LocalNaming): LocalFunctionSpec[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === "AWS::Lambda::Function")
    .map(([logicalId, resource]) => {
      const metadata = FunctionMetadataSchema.safeParse(resource.Metadata ?? {});
      if (!metadata.success) {
        throw new LocalTemplateError(
          `function ${logicalId} has no ${ENTRY_METADATA_KEY}/${HANDLER_METADATA_KEY} metadata: ` +
            `only ConcordFunction handlers can run on the local cloud (${describeIssues(metadata.error)})`,
        );
      }
      const properties = resource.Properties ?? {};
      const name =
        properties.FunctionName === undefined
          ? logicalId
          : resolveString(properties.FunctionName, template, naming, `${logicalId}.FunctionName`);
      const variables = (properties.Environment as { Variables?: unknown } | undefined)?.Variables ?? {};
      const environment = z
        .record(z.string(), z.string())
        .safeParse(resolveIntrinsics(variables, template, naming));
      if (!environment.success) {
        throw new LocalTemplateError(
          `function ${logicalId}: environment does not resolve to strings (${describeIssues(environment.error)})`,
        );
      }
      const settings = FunctionSettingsSchema.safeParse(properties);
      if (!settings.success) {
        throw new LocalTemplateError(`function ${logicalId}: ${describeIssues(settings.error)}`);
      }
      const { Timeout, MemorySize, Runtime, Handler, LoggingConfig } = settings.data;
      const [file = "index", exported = "handler"] = splitLast(Handler, ".");
      const logGroup = LoggingConfig?.LogGroup;
      return {
        logicalId,
        name,
        arn: `arn:aws:lambda:${naming.region}:${naming.accountId}:function:${name}`,
        entry: metadata.data[ENTRY_METADATA_KEY],
        handler: metadata.data[HANDLER_METADATA_KEY],
        environment: environment.data,
        timeoutSeconds: Timeout,
        memorySize: MemorySize,
        runtime: Runtime,
        roleArn: resolveString(properties.Role, template, naming, `${logicalId}.Role`),
        logGroupName:
          logGroup === undefined
            ? `/aws/lambda/${name}`
            : resolveString(logGroup, template, naming, `${logicalId}.LoggingConfig.LogGroup`),
        handlerSetting: Handler,
        bundleFile: `${file}.mjs`,
        bundleExport: exported,
      };
    });
}

// The function settings the local cloud honours, with CloudFormation's defaults.
const FunctionSettingsSchema = z.looseObject({
  Timeout: z.number().int().min(1).max(900).default(3),
  MemorySize: z.number().int().min(128).max(10_240).default(128),
  Runtime: z.string().regex(/^nodejs\d+\.x$/, "Runtime must be a Node.js runtime (nodejsNN.x)"),
  Handler: z.string().regex(/^[^.]+\.[A-Za-z_$][\w$]*$/, "Handler must look like file.export"),
  LoggingConfig: z.looseObject({ LogGroup: z.unknown().optional() }).optional(),
});

function splitLast(text: string, separator: string): [string, string] {
  const at = text.lastIndexOf(separator);
  return [text.slice(0, at), text.slice(at + 1)];
}

function resolveString(value: unknown, template: CfnTemplate, naming: LocalNaming, where: string): string {
  const resolved = resolveIntrinsics(value, template, naming);
  if (typeof resolved !== "string") throw new LocalTemplateError(`${where} does not resolve to a string`);
  return resolved;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
}
