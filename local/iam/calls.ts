import type { LocalNaming } from "../cfn";
import type { AuthorizationCheck } from "./policies";

/** The parts of an HTTP request to an AWS API that authorization reads; header names lowercase, as node gives them. */
export interface ApiRequest {
  method: string;
  /** Path and query, e.g. `/` or `/v2/email/outbound-emails`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One API call as IAM sees it. */
export interface ApiCall {
  /** The API operation, e.g. "TransactWriteItems" or "SendEmail". */
  operation: string;
  /** Every (action, resource) pair AWS authorizes for the call, in request order; all must be allowed. */
  checks: AuthorizationCheck[];
  /**
   * Set when the request cannot be read (body not JSON, no table named): then `checks` is empty and the caller
   * forwards the request, so the service answers with its own validation error as AWS would.
   */
  unreadable?: string;
}

/** DynamoDB's JSON 1.0 protocol: `X-Amz-Target: DynamoDB_20120810.<Operation>`, a JSON body. */
export function dynamoDbCall(request: Pick<ApiRequest, "headers" | "body">, naming: LocalNaming): ApiCall {
  const operation = operationOf(request.headers, "DynamoDB_20120810.");
  if (operation === undefined) return unreadable("(none)", "no DynamoDB_20120810 X-Amz-Target header");
  const body = parseObject(request.body);
  if (!body) return unreadable(operation, "body is not a JSON object");
  // TableName may also be the table's ARN.
  const table = (name: string) =>
    name.startsWith("arn:") ? name : `arn:aws:dynamodb:${naming.region}:${naming.accountId}:table/${name}`;
  const on = (action: string, resource: string): AuthorizationCheck => ({
    action: `dynamodb:${action}`,
    resource,
  });

  switch (operation) {
    case "Query":
    case "Scan": {
      if (typeof body.TableName !== "string") return unreadable(operation, "no TableName");
      const index = typeof body.IndexName === "string" ? `/index/${body.IndexName}` : "";
      return { operation, checks: [on(operation, `${table(body.TableName)}${index}`)] };
    }
    case "BatchGetItem":
    case "BatchWriteItem":
      return {
        operation,
        checks: Object.keys(objectOf(body.RequestItems) ?? {}).map((name) => on(operation, table(name))),
      };
    case "TransactWriteItems":
    case "TransactGetItems": {
      const checks: AuthorizationCheck[] = [];
      for (const item of Array.isArray(body.TransactItems) ? body.TransactItems : []) {
        for (const [kind, action] of Object.entries(TRANSACT_ACTIONS)) {
          const part = objectOf(objectOf(item)?.[kind]);
          if (part && typeof part.TableName === "string") checks.push(on(action, table(part.TableName)));
        }
      }
      return { operation, checks: unique(checks) };
    }
    case "ExecuteStatement":
    case "BatchExecuteStatement":
    case "ExecuteTransaction": {
      const listed = operation === "BatchExecuteStatement" ? body.Statements : body.TransactStatements;
      const statements =
        operation === "ExecuteStatement"
          ? [body.Statement]
          : (Array.isArray(listed) ? listed : []).map((entry: unknown) => objectOf(entry)?.Statement);
      const checks: AuthorizationCheck[] = [];
      for (const statement of statements) {
        const target = typeof statement === "string" ? partiQlTarget(statement) : undefined;
        if (!target)
          return unreadable(operation, `cannot read the PartiQL statement ${JSON.stringify(statement)}`);
        const index = target.index === undefined ? "" : `/index/${target.index}`;
        checks.push(on(`PartiQL${target.verb}`, `${table(target.table)}${index}`));
      }
      return { operation, checks: unique(checks) };
    }
    default: {
      const resource =
        typeof body.TableName === "string"
          ? table(body.TableName)
          : typeof body.ResourceArn === "string"
            ? body.ResourceArn
            : "*";
      return { operation, checks: [on(operation, resource)] };
    }
  }
}

// What IAM authorizes for each kind of transaction item (DynamoDB Developer Guide, "Using IAM with DynamoDB
// transactions"): the underlying item operation, and dynamodb:ConditionCheckItem for ConditionCheck.
const TRANSACT_ACTIONS: Record<string, string> = {
  Put: "PutItem",
  Update: "UpdateItem",
  Delete: "DeleteItem",
  ConditionCheck: "ConditionCheckItem",
  Get: "GetItem",
};

const NAME = `"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_]*)`;
const PARTIQL: { verb: "Select" | "Insert" | "Update" | "Delete"; pattern: RegExp }[] = [
  {
    verb: "Select",
    pattern: new RegExp(
      String.raw`^\s*(?:EXISTS\s*\(\s*)?SELECT\b[\s\S]*?\bFROM\s+(?:${NAME})(?:\s*\.\s*(?:${NAME}))?`,
      "i",
    ),
  },
  { verb: "Insert", pattern: new RegExp(String.raw`^\s*INSERT\s+INTO\s+(?:${NAME})`, "i") },
  { verb: "Update", pattern: new RegExp(String.raw`^\s*UPDATE\s+(?:${NAME})`, "i") },
  { verb: "Delete", pattern: new RegExp(String.raw`^\s*DELETE\s+FROM\s+(?:${NAME})`, "i") },
];

/**
 * The verb and table (and index) of a PartiQL statement, which IAM authorizes as dynamodb:PartiQL<Verb> on the
 * table or index (DynamoDB Developer Guide, "IAM security policies with PartiQL for DynamoDB").
 */
export function partiQlTarget(
  statement: string,
): { verb: "Select" | "Insert" | "Update" | "Delete"; table: string; index?: string } | undefined {
  for (const { verb, pattern } of PARTIQL) {
    const match = pattern.exec(statement);
    if (!match) continue;
    const name = (quoted: string | undefined, bare: string | undefined) =>
      quoted === undefined ? bare : quoted.replaceAll('""', '"');
    const table = name(match[1], match[2]);
    const index = name(match[3], match[4]);
    if (table === undefined) return undefined;
    return index === undefined ? { verb, table } : { verb, table, index };
  }
  return undefined;
}

/**
 * Step Functions' JSON 1.0 protocol (`X-Amz-Target: AWSStepFunctions.<Operation>`): `states:<Operation>` on the
 * state machine or execution the call names; SendTask*, ListStateMachines and ListActivities support no
 * resource-level permissions, so they are checked on `*` (Service Authorization Reference).
 */
export function stepFunctionsCall(request: Pick<ApiRequest, "headers" | "body">): ApiCall {
  const operation = operationOf(request.headers, "AWSStepFunctions.");
  if (operation === undefined) return unreadable("(none)", "no AWSStepFunctions X-Amz-Target header");
  const body = parseObject(request.body);
  if (!body) return unreadable(operation, "body is not a JSON object");
  const check = (resource: string): ApiCall => ({
    operation,
    checks: [{ action: `states:${operation}`, resource }],
  });
  const field = SFN_RESOURCE_FIELD[operation];
  if (field === null) return check("*");
  if (field !== undefined) {
    const arn = body[field];
    return typeof arn === "string" ? check(arn) : unreadable(operation, `no ${field}`);
  }
  const arn = SFN_ARN_FIELDS.map((key) => body[key]).find((value) => typeof value === "string");
  return check(typeof arn === "string" ? arn : "*");
}

// The request field holding the resource each operation is authorized on; null: no resource-level permissions.
const SFN_RESOURCE_FIELD: Record<string, string | null> = {
  StartExecution: "stateMachineArn",
  StartSyncExecution: "stateMachineArn",
  DescribeStateMachine: "stateMachineArn",
  DescribeExecution: "executionArn",
  StopExecution: "executionArn",
  GetExecutionHistory: "executionArn",
  DescribeStateMachineForExecution: "executionArn",
  RedriveExecution: "executionArn",
  SendTaskSuccess: null,
  SendTaskFailure: null,
  SendTaskHeartbeat: null,
  ListStateMachines: null,
  ListActivities: null,
};
// Where any other operation names its resource (ListExecutions: a state machine or a map run), else `*`.
const SFN_ARN_FIELDS = ["stateMachineArn", "executionArn", "mapRunArn", "activityArn", "resourceArn"];

function operationOf(headers: ApiRequest["headers"], prefix: string): string | undefined {
  const target = headers["x-amz-target"];
  const value = Array.isArray(target) ? target[0] : target;
  return value?.startsWith(prefix) && value.length > prefix.length ? value.slice(prefix.length) : undefined;
}

function unreadable(operation: string, reason: string): ApiCall {
  return { operation, checks: [], unreadable: reason };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    return objectOf(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function unique(checks: AuthorizationCheck[]): AuthorizationCheck[] {
  const seen = new Set<string>();
  return checks.filter((check) => {
    const key = `${check.action} ${check.resource}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
