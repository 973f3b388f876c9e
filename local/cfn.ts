/** How the local cloud names what CloudFormation would name (region, account and stack name for ARNs). */
export interface LocalNaming {
  region: string;
  accountId: string;
  stackName: string;
}

/** The parts of a synthesized CloudFormation template the local cloud reads. */
export type CfnTemplate = {
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }
  >;
  Parameters?: Record<string, { Default?: unknown }>;
};

/** A state machine of the template with its definition resolved to plain ASL JSON. */
export interface LocalStateMachineSpec {
  logicalId: string;
  name: string;
  arn: string;
  definition: Record<string, unknown>;
}

/** An intrinsic function or reference the local cloud cannot resolve. */
export class IntrinsicResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IntrinsicResolutionError";
  }
}

/** Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select and Fn::Split anywhere inside `value`. */
export function resolveIntrinsics(value: unknown, template: CfnTemplate, naming: LocalNaming): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, template, naming));
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value);
  const [only] = entries;
  if (entries.length === 1 && only && (only[0] === "Ref" || only[0].startsWith("Fn::"))) {
    return resolveIntrinsic(only[0], only[1], template, naming);
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, resolveIntrinsics(item, template, naming)]));
}

/** Reads every AWS::StepFunctions::StateMachine of the template, with its DefinitionString resolved to ASL. */
export function stateMachinesFromTemplate(
  template: CfnTemplate,
  naming: LocalNaming,
): LocalStateMachineSpec[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === "AWS::StepFunctions::StateMachine")
    .map(([logicalId, resource]) => {
      const name = resourceName(logicalId, template, naming);
      return {
        logicalId,
        name,
        arn: `arn:aws:states:${naming.region}:${naming.accountId}:stateMachine:${name}`,
        definition: stateMachineDefinition(logicalId, resource.Properties ?? {}, template, naming),
      };
    });
}

function stateMachineDefinition(
  logicalId: string,
  properties: Record<string, unknown>,
  template: CfnTemplate,
  naming: LocalNaming,
): Record<string, unknown> {
  let text: string;
  if (properties.DefinitionString !== undefined) {
    const resolved = resolveIntrinsics(properties.DefinitionString, template, naming);
    if (typeof resolved !== "string") {
      throw new IntrinsicResolutionError(
        `state machine ${logicalId}: DefinitionString did not resolve to a string`,
      );
    }
    text = resolved;
  } else if (properties.Definition !== undefined) {
    text = JSON.stringify(resolveIntrinsics(properties.Definition, template, naming));
  } else {
    throw new IntrinsicResolutionError(
      `state machine ${logicalId}: has neither DefinitionString nor Definition (DefinitionS3Location is not supported locally)`,
    );
  }
  const substitutions = resolveIntrinsics(properties.DefinitionSubstitutions ?? {}, template, naming);
  if (substitutions && typeof substitutions === "object") {
    for (const [key, replacement] of Object.entries(substitutions)) {
      text = text.replaceAll(`\${${key}}`, String(replacement));
    }
  }
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw new IntrinsicResolutionError(
      `state machine ${logicalId}: definition is not JSON (${(error as Error).message})`,
    );
  }
  if (!definition || typeof definition !== "object" || Array.isArray(definition)) {
    throw new IntrinsicResolutionError(`state machine ${logicalId}: definition is not a JSON object`);
  }
  const asl = definition as Record<string, unknown>;
  if (typeof asl.StartAt !== "string" || !asl.States || typeof asl.States !== "object") {
    throw new IntrinsicResolutionError(`state machine ${logicalId}: definition lacks StartAt or States`);
  }
  return asl;
}

function resolveIntrinsic(fn: string, args: unknown, template: CfnTemplate, naming: LocalNaming): unknown {
  switch (fn) {
    case "Ref":
      if (typeof args !== "string")
        throw new IntrinsicResolutionError(`Ref expects a logical id, got ${show(args)}`);
      return resolveRef(args, template, naming);
    case "Fn::GetAtt": {
      const parts =
        typeof args === "string" ? splitOnce(args, ".") : resolveIntrinsics(args, template, naming);
      if (!Array.isArray(parts) || parts.length !== 2 || !parts.every((p) => typeof p === "string")) {
        throw new IntrinsicResolutionError(`Fn::GetAtt expects [logicalId, attribute], got ${show(args)}`);
      }
      return resolveGetAtt(parts[0] as string, parts[1] as string, template, naming);
    }
    case "Fn::Join": {
      const resolved = resolveIntrinsics(args, template, naming);
      if (!Array.isArray(resolved) || typeof resolved[0] !== "string" || !Array.isArray(resolved[1])) {
        throw new IntrinsicResolutionError(`Fn::Join expects [delimiter, [values]], got ${show(args)}`);
      }
      return resolved[1].map((part) => scalar("Fn::Join", part)).join(resolved[0]);
    }
    case "Fn::Sub":
      return resolveSub(args, template, naming);
    case "Fn::Select": {
      const resolved = resolveIntrinsics(args, template, naming);
      if (!Array.isArray(resolved) || !Array.isArray(resolved[1])) {
        throw new IntrinsicResolutionError(`Fn::Select expects [index, [values]], got ${show(args)}`);
      }
      const index = Number(resolved[0]);
      if (!Number.isInteger(index) || index < 0 || index >= resolved[1].length) {
        throw new IntrinsicResolutionError(`Fn::Select index ${show(resolved[0])} is out of range`);
      }
      return resolved[1][index];
    }
    case "Fn::Split": {
      const resolved = resolveIntrinsics(args, template, naming);
      if (!Array.isArray(resolved) || typeof resolved[0] !== "string" || typeof resolved[1] !== "string") {
        throw new IntrinsicResolutionError(`Fn::Split expects [delimiter, string], got ${show(args)}`);
      }
      return resolved[1].split(resolved[0]);
    }
    default:
      throw new IntrinsicResolutionError(
        `intrinsic ${fn} is not supported by the local cloud (${show(args)})`,
      );
  }
}

function resolveSub(args: unknown, template: CfnTemplate, naming: LocalNaming): string {
  let text: unknown;
  let variables: Record<string, unknown> = {};
  if (typeof args === "string") {
    text = args;
  } else if (Array.isArray(args) && args.length === 2 && args[1] && typeof args[1] === "object") {
    text = args[0];
    variables = resolveIntrinsics(args[1], template, naming) as Record<string, unknown>;
  }
  if (typeof text !== "string") {
    throw new IntrinsicResolutionError(
      `Fn::Sub expects a string or [string, {variables}], got ${show(args)}`,
    );
  }
  return text.replace(/\$\{([^}]*)\}/g, (_match, name: string) => {
    if (name.startsWith("!")) return `\${${name.slice(1)}}`;
    if (name in variables) return scalar("Fn::Sub", variables[name]);
    const dot = name.indexOf(".");
    if (dot > 0 && !name.startsWith("AWS::")) {
      return scalar("Fn::Sub", resolveGetAtt(name.slice(0, dot), name.slice(dot + 1), template, naming));
    }
    return scalar("Fn::Sub", resolveRef(name, template, naming));
  });
}

function resolveRef(logicalId: string, template: CfnTemplate, naming: LocalNaming): unknown {
  switch (logicalId) {
    case "AWS::Region":
      return naming.region;
    case "AWS::AccountId":
      return naming.accountId;
    case "AWS::Partition":
      return "aws";
    case "AWS::URLSuffix":
      return "amazonaws.com";
    case "AWS::StackName":
      return naming.stackName;
    case "AWS::StackId":
      return `arn:aws:cloudformation:${naming.region}:${naming.accountId}:stack/${naming.stackName}/local`;
    case "AWS::NoValue":
      return undefined;
  }
  const parameter = template.Parameters?.[logicalId];
  if (parameter) {
    if (parameter.Default === undefined) {
      throw new IntrinsicResolutionError(`Ref ${logicalId}: the parameter has no Default to use locally`);
    }
    return parameter.Default;
  }
  const resource = template.Resources[logicalId];
  if (!resource) throw new IntrinsicResolutionError(`Ref ${logicalId}: no such logical id in the template`);
  const name = resourceName(logicalId, template, naming);
  switch (resource.Type) {
    case "AWS::StepFunctions::StateMachine":
    case "AWS::SNS::Topic":
      return resourceArn(logicalId, template, naming);
    default:
      return name;
  }
}

function resolveGetAtt(
  logicalId: string,
  attribute: string,
  template: CfnTemplate,
  naming: LocalNaming,
): unknown {
  const resource = template.Resources[logicalId];
  if (!resource) {
    throw new IntrinsicResolutionError(
      `Fn::GetAtt ${logicalId}.${attribute}: no such logical id in the template`,
    );
  }
  if (attribute === "Arn") return resourceArn(logicalId, template, naming);
  if (attribute === "Name" || attribute === "QueueName" || attribute === "TopicName") {
    return resourceName(logicalId, template, naming);
  }
  throw new IntrinsicResolutionError(
    `Fn::GetAtt ${logicalId}.${attribute}: attribute not supported locally for ${resource.Type}`,
  );
}

/** The physical name the local cloud gives a resource: its explicit name property, else the logical id. */
function resourceName(logicalId: string, template: CfnTemplate, naming: LocalNaming): string {
  const resource = template.Resources[logicalId];
  if (!resource) throw new IntrinsicResolutionError(`no such logical id in the template: ${logicalId}`);
  const property = NAME_PROPERTY[resource.Type];
  const explicit = property ? resource.Properties?.[property] : undefined;
  if (explicit === undefined) return logicalId;
  return scalar(`${logicalId}.${property}`, resolveIntrinsics(explicit, template, naming));
}

function resourceArn(logicalId: string, template: CfnTemplate, naming: LocalNaming): string {
  const resource = template.Resources[logicalId];
  const name = resourceName(logicalId, template, naming);
  const { region, accountId } = naming;
  switch (resource?.Type) {
    case "AWS::Lambda::Function":
      return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
    case "AWS::StepFunctions::StateMachine":
      return `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
    case "AWS::DynamoDB::Table":
      return `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
    case "AWS::IAM::Role":
      return `arn:aws:iam::${accountId}:role/${name}`;
    case "AWS::SQS::Queue":
      return `arn:aws:sqs:${region}:${accountId}:${name}`;
    case "AWS::SNS::Topic":
      return `arn:aws:sns:${region}:${accountId}:${name}`;
    case "AWS::Events::Rule":
      return `arn:aws:events:${region}:${accountId}:rule/${name}`;
    case "AWS::Logs::LogGroup":
      return `arn:aws:logs:${region}:${accountId}:log-group:${name}:*`;
    default:
      throw new IntrinsicResolutionError(
        `Fn::GetAtt ${logicalId}.Arn: ARN of ${resource?.Type} not supported locally`,
      );
  }
}

const NAME_PROPERTY: Record<string, string> = {
  "AWS::Lambda::Function": "FunctionName",
  "AWS::StepFunctions::StateMachine": "StateMachineName",
  "AWS::DynamoDB::Table": "TableName",
  "AWS::IAM::Role": "RoleName",
  "AWS::SQS::Queue": "QueueName",
  "AWS::SNS::Topic": "TopicName",
  "AWS::Events::Rule": "Name",
  "AWS::Logs::LogGroup": "LogGroupName",
  "AWS::SES::EmailIdentity": "EmailIdentity",
  "AWS::SES::ConfigurationSet": "Name",
};

function scalar(where: string, value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new IntrinsicResolutionError(`${where}: expected a string, got ${show(value)}`);
}

function splitOnce(text: string, separator: string): string[] {
  const index = text.indexOf(separator);
  return index < 0 ? [text] : [text.slice(0, index), text.slice(index + 1)];
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
