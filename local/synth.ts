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
  const template = synthesizeTemplate(options.workflows);
  return {
    template,
    tables: tablesFromTemplate(template, naming),
    stateMachines: stateMachinesFromTemplate(template, naming),
    functions: functionsFromTemplate(template, naming),
  };
}

function synthesizeTemplate(workflows: ConcordStackProps["workflows"]): CfnTemplate {
  const outdir = mkdtempSync(join(tmpdir(), "concord-synth-"));
  try {
    const app = new App({
      outdir,
      context: cdkJsonContext(),
      postCliContext: SKIP_BUNDLING_CONTEXT,
      // Speed only: this assembly has no Lambda code and is never deployed, so skipping the check is safe.
      builtinCloudFormationValidation: false,
      analyticsReporting: false,
      treeMetadata: false,
    });
    const stack = new ConcordStack(app, LOCAL_STACK_NAME, workflows ? { workflows } : {});
    const template: unknown = app.synth().getStackByName(stack.stackName).template;
    return TemplateSchema.parse(template) as CfnTemplate;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
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
      return {
        logicalId,
        name,
        arn: `arn:aws:lambda:${naming.region}:${naming.accountId}:function:${name}`,
        entry: metadata.data[ENTRY_METADATA_KEY],
        handler: metadata.data[HANDLER_METADATA_KEY],
        environment: environment.data,
      };
    });
}

function resolveString(value: unknown, template: CfnTemplate, naming: LocalNaming, where: string): string {
  const resolved = resolveIntrinsics(value, template, naming);
  if (typeof resolved !== "string") throw new LocalTemplateError(`${where} does not resolve to a string`);
  return resolved;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
}
