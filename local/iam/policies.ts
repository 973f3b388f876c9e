import { z } from "zod";
import { type CfnTemplate, IntrinsicResolutionError, type LocalNaming, resolveIntrinsics } from "../cfn";
import { compileWildcards, matchesWildcards, type WildcardSet } from "./wildcards";

/** The outcome of AWS's identity-policy evaluation: an explicit Deny wins, then any Allow, else implicit deny. */
export type Decision = "allow" | "explicit-deny" | "implicit-deny";

/** One (action, resource) pair AWS authorizes for an API call, e.g. dynamodb:PutItem on a table ARN. */
export interface AuthorizationCheck {
  action: string;
  resource: string;
}

/** A policy document attached to a role, under the name errors report. */
export interface NamedPolicy {
  name: string;
  document: unknown;
}

/** One statement compiled for evaluation: its patterns became Sets and RegExps once. */
export interface CompiledStatement {
  readonly actions: WildcardSet;
  readonly notAction: boolean;
  readonly resources: WildcardSet;
  readonly notResource: boolean;
}

/** A role's effective identity policies, compiled once and evaluated on every AWS call. */
export interface RolePolicies {
  readonly arn: string;
  readonly name: string;
  /** Names of the policies that make up the role's permissions (inline, attached and managed). */
  readonly policyNames: readonly string[];
  readonly denies: readonly CompiledStatement[];
  readonly allows: readonly CompiledStatement[];
}

/** A role's policies hold something the local cloud does not evaluate; the message names role, policy and statement. */
export class IamPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IamPolicyError";
  }
}

/**
 * AWS managed policies the local cloud knows, keyed by what follows `policy/` in their ARN, with the statements of
 * their current default version (AWS Managed Policy Reference).
 */
const AWS_MANAGED_POLICIES: Record<string, unknown> = {
  "service-role/AWSLambdaBasicExecutionRole": {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: "*",
      },
    ],
  },
  AWSXRayDaemonWriteAccess: xrayWrite(),
  AWSXrayWriteOnlyAccess: xrayWrite(),
};

function xrayWrite(): unknown {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: [
          "xray:PutTraceSegments",
          "xray:PutTelemetryRecords",
          "xray:GetSamplingRules",
          "xray:GetSamplingTargets",
          "xray:GetSamplingStatisticSummaries",
        ],
        Resource: ["*"],
      },
    ],
  };
}

/**
 * Every AWS::IAM::Role of the template by its ARN (`arn:aws:iam::<account>:role/<RoleName or logical id>`, as
 * cfn.ts resolves `Fn::GetAtt Role.Arn`), with its inline Policies, the AWS::IAM::Policy, ManagedPolicy and
 * RolePolicy resources attached to it, and its ManagedPolicyArns. Throws IamPolicyError on anything it would have
 * to guess: a Condition, a Principal, a permissions boundary, an unknown managed policy, an unreadable statement.
 */
export function rolesFromTemplate(template: CfnTemplate, naming: LocalNaming): Map<string, RolePolicies> {
  const resolve = (where: string, value: unknown): unknown => {
    try {
      return dropNoValue(resolveIntrinsics(value, template, naming));
    } catch (error) {
      if (error instanceof IntrinsicResolutionError) throw new IamPolicyError(`${where}: ${error.message}`);
      throw error;
    }
  };
  const resources = Object.entries(template.Resources);
  const roleIds = resources.filter(([, resource]) => resource.Type === "AWS::IAM::Role").map(([id]) => id);
  const roleIdByName = new Map(roleIds.map((id) => [resolve(`role ${id}`, { Ref: id }), id]));
  const attached = new Map<string, NamedPolicy[]>(roleIds.map((id) => [id, []]));
  const attachedManaged = new Map<string, Set<string>>(roleIds.map((id) => [id, new Set()]));

  const managedPolicy = (logicalId: string): NamedPolicy => {
    const properties = template.Resources[logicalId]?.Properties ?? {};
    const name = properties.ManagedPolicyName ?? logicalId;
    return {
      name: String(resolve(`managed policy ${logicalId}`, name)),
      document: resolve(`managed policy ${logicalId}`, properties.PolicyDocument),
    };
  };
  const attachManaged = (roleId: string, logicalId: string) => {
    const seen = attachedManaged.get(roleId);
    if (seen?.has(logicalId)) return;
    seen?.add(logicalId);
    attached.get(roleId)?.push(managedPolicy(logicalId));
  };
  const rolesNamed = (where: string, names: unknown): string[] => {
    const list = resolve(where, names ?? []);
    if (!Array.isArray(list)) throw new IamPolicyError(`${where}: Roles is not a list`);
    return list.flatMap((name) => {
      const id = roleIdByName.get(name);
      return id ? [id] : [];
    });
  };

  for (const roleId of roleIds) {
    const properties = template.Resources[roleId]?.Properties ?? {};
    const where = `role ${roleId}`;
    if (properties.PermissionsBoundary !== undefined) {
      throw new IamPolicyError(`${where}: a PermissionsBoundary is not evaluated by the local cloud`);
    }
    const inline = resolve(where, properties.Policies ?? []);
    if (!Array.isArray(inline)) throw new IamPolicyError(`${where}: Policies is not a list`);
    for (const [index, policy] of inline.entries()) {
      const parsed = InlinePolicySchema.safeParse(policy);
      if (!parsed.success) throw new IamPolicyError(`${where}, Policies[${index}]: ${issues(parsed.error)}`);
      attached.get(roleId)?.push({ name: parsed.data.PolicyName, document: parsed.data.PolicyDocument });
    }
    const managedArns = properties.ManagedPolicyArns ?? [];
    if (!Array.isArray(managedArns)) throw new IamPolicyError(`${where}: ManagedPolicyArns is not a list`);
    for (const entry of managedArns) {
      const ref = (entry as { Ref?: unknown } | null)?.Ref;
      if (typeof ref === "string" && template.Resources[ref]?.Type === "AWS::IAM::ManagedPolicy") {
        attachManaged(roleId, ref);
        continue;
      }
      const arn = resolve(where, entry);
      const awsManaged =
        typeof arn === "string" ? /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn)?.[1] : undefined;
      const document = awsManaged === undefined ? undefined : AWS_MANAGED_POLICIES[awsManaged];
      if (document !== undefined) {
        attached.get(roleId)?.push({ name: String(arn), document });
        continue;
      }
      const local = typeof arn === "string" ? customerManagedPolicyId(arn, template) : undefined;
      if (!local) {
        throw new IamPolicyError(
          `${where}: managed policy ${String(arn)} is unknown to the local cloud (known AWS managed policies: ` +
            `${Object.keys(AWS_MANAGED_POLICIES).join(", ")}; or an AWS::IAM::ManagedPolicy of the template)`,
        );
      }
      attachManaged(roleId, local);
    }
  }

  for (const [logicalId, resource] of resources) {
    const properties = resource.Properties ?? {};
    const where = `policy ${logicalId}`;
    if (resource.Type === "AWS::IAM::Policy") {
      const roles = rolesNamed(where, properties.Roles);
      if (roles.length === 0) continue;
      const name = String(resolve(where, properties.PolicyName ?? logicalId));
      const document = resolve(where, properties.PolicyDocument);
      for (const roleId of roles) attached.get(roleId)?.push({ name, document });
    } else if (resource.Type === "AWS::IAM::ManagedPolicy") {
      for (const roleId of rolesNamed(where, properties.Roles)) attachManaged(roleId, logicalId);
    } else if (resource.Type === "AWS::IAM::RolePolicy") {
      const [roleId] = rolesNamed(where, [properties.RoleName]);
      if (!roleId) continue;
      attached.get(roleId)?.push({
        name: String(resolve(where, properties.PolicyName ?? logicalId)),
        document: resolve(where, properties.PolicyDocument),
      });
    }
  }

  return new Map(
    roleIds.map((roleId) => {
      const arn = resolve(`role ${roleId}`, { "Fn::GetAtt": [roleId, "Arn"] });
      return [String(arn), compileRole(String(arn), attached.get(roleId) ?? [])];
    }),
  );
}

/** Compiles a role's policy documents (already free of intrinsics); throws IamPolicyError as rolesFromTemplate does. */
export function compileRole(roleArn: string, policies: readonly NamedPolicy[]): RolePolicies {
  const name = roleNameOf(roleArn);
  const denies: CompiledStatement[] = [];
  const allows: CompiledStatement[] = [];
  for (const policy of policies) {
    const where = `role ${name}, policy ${policy.name}`;
    const document = DocumentSchema.safeParse(policy.document);
    if (!document.success) throw new IamPolicyError(`${where}: ${issues(document.error)}`);
    const { Version, Statement } = document.data;
    const statements = Array.isArray(Statement) ? Statement : [Statement];
    for (const [index, raw] of statements.entries()) {
      const compiled = compileStatement(raw, Version, `${where}, Statement[${index}]`);
      (compiled.effect === "Deny" ? denies : allows).push(compiled.statement);
    }
  }
  return { arn: roleArn, name, policyNames: policies.map((policy) => policy.name), denies, allows };
}

/** Evaluates `action` on `resource` for the role: explicit Deny wins, then any Allow, else implicit deny. */
export function evaluate(role: RolePolicies, action: string, resource: string): Decision {
  const lowerAction = action.toLowerCase();
  for (const statement of role.denies) {
    if (applies(statement, lowerAction, resource)) return "explicit-deny";
  }
  for (const statement of role.allows) {
    if (applies(statement, lowerAction, resource)) return "allow";
  }
  return "implicit-deny";
}

/** The first check of an API call the role may not make, with why; undefined when every check is allowed. */
export function firstDenied(
  role: RolePolicies,
  checks: readonly AuthorizationCheck[],
): { check: AuthorizationCheck; decision: Exclude<Decision, "allow"> } | undefined {
  for (const check of checks) {
    const decision = evaluate(role, check.action, check.resource);
    if (decision !== "allow") return { check, decision };
  }
  return undefined;
}

/**
 * AWS's access denied message for an identity-policy decision (IAM User Guide, "Troubleshoot access denied error
 * messages"), as DynamoDB and Step Functions return it. SES words its own; see sesAccessDeniedMessage.
 */
export function accessDeniedMessage(
  principalArn: string,
  action: string,
  resource: string,
  decision: Exclude<Decision, "allow">,
): string {
  const reason =
    decision === "explicit-deny"
      ? "with an explicit deny in an identity-based policy"
      : `because no identity-based policy allows the ${action} action`;
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${reason}`;
}

/** The STS ARN a role session acts as, e.g. `arn:aws:sts::000000000000:assumed-role/RoleName/FunctionName`. */
export function assumedRoleArn(roleArn: string, sessionName: string): string {
  const match = /^arn:([^:]+):iam::(\d*):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!match) throw new IamPolicyError(`not a role ARN: ${roleArn}`);
  const [, partition, account, name] = match;
  return `arn:${partition}:sts::${account}:assumed-role/${name}/${sessionName}`;
}

function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf("/") + 1);
}

function applies(statement: CompiledStatement, lowerAction: string, resource: string): boolean {
  return (
    matchesWildcards(statement.actions, lowerAction) !== statement.notAction &&
    matchesWildcards(statement.resources, resource) !== statement.notResource
  );
}

const Patterns = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const StatementSchema = z.strictObject({
  Sid: z.string().optional(),
  Effect: z.enum(["Allow", "Deny"]),
  Action: Patterns.optional(),
  NotAction: Patterns.optional(),
  Resource: Patterns.optional(),
  NotResource: Patterns.optional(),
  Condition: z.record(z.string(), z.unknown()).optional(),
  Principal: z.unknown().optional(),
  NotPrincipal: z.unknown().optional(),
});
const DocumentSchema = z.strictObject({
  Version: z.enum(["2012-10-17", "2008-10-17"]).optional(),
  Id: z.string().optional(),
  Statement: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]),
});
const InlinePolicySchema = z.object({ PolicyName: z.string().min(1), PolicyDocument: z.unknown() });
const ACTION_PATTERN = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;

function compileStatement(
  raw: unknown,
  version: string | undefined,
  where: string,
): { effect: "Allow" | "Deny"; statement: CompiledStatement } {
  const parsed = StatementSchema.safeParse(raw);
  if (!parsed.success) throw new IamPolicyError(`${where}: ${issues(parsed.error)}`);
  const statement = parsed.data;
  if (statement.Principal !== undefined || statement.NotPrincipal !== undefined) {
    throw new IamPolicyError(`${where}: an identity-based policy may not name a Principal`);
  }
  if (statement.Condition !== undefined && Object.keys(statement.Condition).length > 0) {
    throw new IamPolicyError(
      `${where}: Condition (${Object.keys(statement.Condition).join(", ")}) is not evaluated by the local cloud`,
    );
  }
  const actions = exactlyOne(statement.Action, statement.NotAction, "Action", where);
  const resources = exactlyOne(statement.Resource, statement.NotResource, "Resource", where);
  const badAction = actions.patterns.find((action) => !ACTION_PATTERN.test(action));
  if (badAction !== undefined) throw new IamPolicyError(`${where}: "${badAction}" is not a service:action`);
  if (version === "2012-10-17") {
    const variable = resources.patterns.find((resource) => resource.includes("${"));
    if (variable !== undefined) {
      throw new IamPolicyError(
        `${where}: policy variables (${variable}) are not evaluated by the local cloud`,
      );
    }
  }
  return {
    effect: statement.Effect,
    statement: {
      actions: compileWildcards(actions.patterns, true),
      notAction: actions.negated,
      resources: compileWildcards(resources.patterns, false),
      notResource: resources.negated,
    },
  };
}

function exactlyOne(
  plain: string | string[] | undefined,
  negated: string | string[] | undefined,
  element: "Action" | "Resource",
  where: string,
): { patterns: string[]; negated: boolean } {
  if ((plain === undefined) === (negated === undefined)) {
    throw new IamPolicyError(`${where}: needs exactly one of ${element} and Not${element}`);
  }
  const value = plain ?? negated ?? [];
  return { patterns: Array.isArray(value) ? value : [value], negated: plain === undefined };
}

function customerManagedPolicyId(arn: string, template: CfnTemplate): string | undefined {
  const name = /^arn:[^:]+:iam::\d+:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
  if (name === undefined) return undefined;
  return Object.entries(template.Resources).find(
    ([id, resource]) =>
      resource.Type === "AWS::IAM::ManagedPolicy" && (resource.Properties?.ManagedPolicyName ?? id) === name,
  )?.[0];
}

// CloudFormation drops `Ref: AWS::NoValue` from lists; resolveIntrinsics leaves an undefined in its place.
function dropNoValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(dropNoValue);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, dropNoValue(item)]));
}

function issues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
}
