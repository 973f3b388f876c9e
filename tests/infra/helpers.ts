import { createRequire } from "node:module";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { cdkJsonContext } from "../../infra/app-context";
import { ConcordStack } from "../../infra/concord-stack";
import type { WorkflowSpec } from "../../infra/constructs/workflows";
import type { CfnTemplate, LocalNaming } from "../../local/cfn";
import { resolveIntrinsics } from "../../local/cfn";
import { SKIP_BUNDLING_CONTEXT } from "../../local/synth";

/** Local naming the infra tests resolve ARNs with. */
export const TEST_NAMING: LocalNaming = {
  region: "us-east-1",
  accountId: "000000000000",
  stackName: "Concord",
};

/** An app configured like `cdk synth` (cdk.json feature flags) but without bundling or CFN validation. */
export function fastApp(props: { outdir?: string } = {}): App {
  return new App({
    ...props,
    context: cdkJsonContext(),
    postCliContext: SKIP_BUNDLING_CONTEXT,
    builtinCloudFormationValidation: false,
    analyticsReporting: false,
    treeMetadata: false,
  });
}

/** Synthesizes ConcordStack with the given workflows (no bundling) and returns its template. */
export function synthConcord(workflows: readonly WorkflowSpec[]): Template {
  const stack = new ConcordStack(fastApp(), "Concord", { workflows });
  return Template.fromStack(stack);
}

/** A resource of a synthesized template. */
export type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
};

/** The resource with the logical id; fails the test when there is none. */
export function resourceOf(template: Template, logicalId: string): Resource {
  const resource = (template.toJSON() as { Resources: Record<string, Resource> }).Resources[logicalId];
  if (!resource) throw new Error(`no resource ${logicalId} in the template`);
  return resource;
}

/** The environment variables of the function with the logical id. */
export function environmentOf(template: Template, functionId: string): Record<string, unknown> {
  const environment = resourceOf(template, functionId).Properties.Environment as {
    Variables?: Record<string, unknown>;
  };
  return environment.Variables ?? {};
}

/** The logical id of the function whose handler entry is `entry`. */
export function functionIdByEntry(template: Template, entry: string): string {
  const functions = template.findResources("AWS::Lambda::Function") as Record<string, Resource>;
  const match = Object.entries(functions).find(([, fn]) => fn.Metadata?.["concord:entry"] === entry);
  if (!match) throw new Error(`no function with entry ${entry}`);
  return match[0];
}

/** An IAM statement with intrinsics resolved to local names, Action and Resource always arrays. */
export interface ResolvedStatement {
  Effect: string;
  Action: string[];
  Resource: string[];
}

/** Every statement of the policies attached to the function's execution role, with ARNs resolved. */
export function statementsOf(template: Template, functionId: string): ResolvedStatement[] {
  const json = template.toJSON() as CfnTemplate;
  const roleId = (resourceOf(template, functionId).Properties.Role as { "Fn::GetAtt": [string, string] })[
    "Fn::GetAtt"
  ][0];
  const attachedToRole = (roles: unknown) =>
    Array.isArray(roles) && roles.some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId }));
  const policies = Object.values(json.Resources).filter(
    (resource) => resource.Type === "AWS::IAM::Policy" && attachedToRole(resource.Properties?.Roles),
  );
  return policies.flatMap((policy) => {
    const document = resolveIntrinsics(policy.Properties?.PolicyDocument, json, TEST_NAMING) as {
      Statement: { Effect: string; Action: string | string[]; Resource: string | string[] }[];
    };
    return document.Statement.map((statement) => ({
      Effect: statement.Effect,
      Action: [statement.Action].flat(),
      Resource: [statement.Resource].flat(),
    }));
  });
}

/** Resources the function may perform `action` on, across all its statements. */
export function resourcesFor(statements: ResolvedStatement[], action: string): string[] {
  return statements
    .filter((s) => s.Effect === "Allow" && s.Action.includes(action))
    .flatMap((s) => s.Resource);
}

type AslResult = { isValid: boolean; errorsText: (separator?: string) => string };
type AslValidator = (definition: unknown) => AslResult;
// asl-validator is CommonJS without type declarations; its one export is this function.
const aslValidator = createRequire(import.meta.url)("asl-validator") as AslValidator;

/** Problems asl-validator finds in a definition; empty when it is valid ASL. */
export function aslProblems(definition: Record<string, unknown>): string[] {
  // The validator writes QueryLanguage into the states it checks; keep the caller's definition untouched.
  const result = aslValidator(structuredClone(definition));
  return result.isValid ? [] : result.errorsText("\n").split("\n");
}
