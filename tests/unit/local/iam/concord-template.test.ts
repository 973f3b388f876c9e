import { beforeAll, describe, expect, it } from "vitest";
import { HANDLER_ENTRIES } from "../../../../infra/concord-stack";
import { type LocalNaming, resolveIntrinsics } from "../../../../local/cfn";
import { dynamoDbCall, stepFunctionsCall } from "../../../../local/iam/calls";
import { lambdaPermissionAllows } from "../../../../local/iam/lambda-permissions";
import { evaluate, firstDenied, type RolePolicies, rolesFromTemplate } from "../../../../local/iam/policies";
import { sesCall, sesIdentitiesFromTemplate } from "../../../../local/iam/ses-calls";
import {
  LOCAL_ACCOUNT_ID,
  LOCAL_STACK_NAME,
  type LocalAssembly,
  synthesizeForLocal,
} from "../../../../local/synth";

// Concord's own synthesized stack, as the local cloud will enforce it.

const naming: LocalNaming = { region: "us-east-1", accountId: LOCAL_ACCOUNT_ID, stackName: LOCAL_STACK_NAME };
let assembly: LocalAssembly;
let roles: Map<string, RolePolicies>;

beforeAll(async () => {
  assembly = await synthesizeForLocal({ region: naming.region });
  roles = rolesFromTemplate(assembly.template, naming);
});

const functionByEntry = (entry: string) => {
  const found = assembly.functions.find((fn) => fn.entry === entry);
  if (!found) throw new Error(`no function for ${entry}`);
  return found;
};
const roleOf = (arnProperty: unknown) => {
  const role = roles.get(String(resolveIntrinsics(arnProperty, assembly.template, naming)));
  if (!role) throw new Error(`no role ${JSON.stringify(arnProperty)}`);
  return role;
};
const functionRole = (entry: string) =>
  roleOf(assembly.template.Resources[functionByEntry(entry).logicalId]?.Properties?.Role);
const formation = () => {
  const [machine] = assembly.stateMachines;
  if (!machine) throw new Error("no state machine");
  return {
    machine,
    role: roleOf(assembly.template.Resources[machine.logicalId]?.Properties?.RoleArn),
    // Every function its definition names, whether as a Task Resource or a lambda:invoke FunctionName.
    taskFunctions: [
      ...new Set(JSON.stringify(machine.definition).match(/arn:aws:lambda:[^"]*:function:[^":]+/g)),
    ],
  };
};
const tableArn = () =>
  `arn:aws:dynamodb:${naming.region}:${naming.accountId}:table/${assembly.tables[0]?.TableName}`;
const target = (value: string) => ({ "x-amz-target": value });

describe("Concord's roles on the local cloud", () => {
  it("reads a role for every function and for the state machine, refusing nothing", () => {
    for (const fn of assembly.functions) {
      expect(() => functionRole(fn.entry)).not.toThrow();
    }
    expect(formation().role.policyNames.length).toBeGreaterThan(0);
  });

  it("lets the reminder sweep answer task tokens and write transactions on the table", () => {
    const sweep = functionRole(HANDLER_ENTRIES.reminderSweep);
    const table = assembly.tables[0]?.TableName;
    const transaction = dynamoDbCall(
      {
        headers: target("DynamoDB_20120810.TransactWriteItems"),
        body: JSON.stringify({
          TransactItems: [
            { Put: { TableName: table, Item: {} } },
            { Update: { TableName: table, Key: {} } },
            { ConditionCheck: { TableName: table, Key: {} } },
            { Delete: { TableName: table, Key: {} } },
          ],
        }),
      },
      naming,
    );
    const query = dynamoDbCall(
      {
        headers: target("DynamoDB_20120810.Query"),
        body: JSON.stringify({ TableName: table, IndexName: "requests-by-deadline" }),
      },
      naming,
    );
    const callback = stepFunctionsCall({
      headers: target("AWSStepFunctions.SendTaskSuccess"),
      body: JSON.stringify({ taskToken: "token", output: "{}" }),
    });

    expect(transaction.checks).toHaveLength(4);
    expect(firstDenied(sweep, [...transaction.checks, ...query.checks, ...callback.checks])).toBeUndefined();
  });

  it("does not let the reminder sweep start a formation or touch another table", () => {
    const sweep = functionRole(HANDLER_ENTRIES.reminderSweep);

    expect(evaluate(sweep, "states:StartExecution", formation().machine.arn)).toBe("implicit-deny");
    expect(evaluate(sweep, "dynamodb:PutItem", `${tableArn()}-archive`)).toBe("implicit-deny");
    expect(evaluate(sweep, "dynamodb:DeleteTable", tableArn())).toBe("implicit-deny");
  });

  it("lets the admin API start a formation, read its executions, and answer a task token (a contested exit division)", () => {
    const admin = functionRole(HANDLER_ENTRIES.adminHttp);
    const { machine } = formation();
    const execution = machine.arn.replace(":stateMachine:", ":execution:");

    expect(evaluate(admin, "states:StartExecution", machine.arn)).toBe("allow");
    expect(evaluate(admin, "states:DescribeExecution", `${execution}:alliance-1-v1`)).toBe("allow");
    // The admin decides a contested asset division by answering the exit's waiting task; it holds no other token.
    expect(evaluate(admin, "states:SendTaskSuccess", "*")).toBe("allow");
    expect(evaluate(admin, "states:SendTaskFailure", "*")).toBe("allow");
  });

  it("lets the formation state machine invoke its task functions, and not the admin API", () => {
    const { role, taskFunctions } = formation();

    expect(taskFunctions.length).toBeGreaterThan(0);
    for (const fn of taskFunctions) {
      expect(evaluate(role, "lambda:InvokeFunction", fn)).toBe("allow");
      expect(evaluate(role, "lambda:InvokeFunction", `${fn}:$LATEST`)).toBe("allow");
    }
    expect(evaluate(role, "lambda:InvokeFunction", functionByEntry(HANDLER_ENTRIES.adminHttp).arn)).toBe(
      "implicit-deny",
    );
  });

  // Needs cfn.ts to resolve `Ref` of an AWS::SES::EmailIdentity to its EmailIdentity (the address).
  it("lets a handler send mail from MAIL_FROM through the identity and its default configuration set", () => {
    const partner = functionByEntry(HANDLER_ENTRIES.partnerHttp);
    const call = sesCall(
      {
        method: "POST",
        path: "/",
        headers: {},
        body: new URLSearchParams({
          Action: "SendEmail",
          Source: `Concord <${partner.environment.MAIL_FROM}>`,
        }).toString(),
      },
      sesIdentitiesFromTemplate(assembly.template, naming),
      naming,
    );

    expect(call?.unverified).toEqual([]);
    expect(call?.checks.map((check) => check.resource)).toEqual([
      expect.stringContaining(":identity/"),
      expect.stringContaining(":configuration-set/"),
    ]);
    expect(firstDenied(functionRole(HANDLER_ENTRIES.partnerHttp), call?.checks ?? [])).toBeUndefined();
  });

  it("lets API Gateway invoke the HTTP handlers from their routes (path templates in the source ARN), and EventBridge the sweep", () => {
    const allows = lambdaPermissionAllows(assembly.template, naming);
    const logicalIdOf = (type: string) =>
      Object.entries(assembly.template.Resources).find(([, resource]) => resource.Type === type)?.[0];
    const apiId = String(
      resolveIntrinsics({ Ref: logicalIdOf("AWS::ApiGatewayV2::Api") }, assembly.template, naming),
    );
    const route = (method: string, path: string) =>
      `arn:aws:execute-api:${naming.region}:${naming.accountId}:${apiId}/$default/${method}${path}`;
    const ruleArn = String(
      resolveIntrinsics(
        { "Fn::GetAtt": [logicalIdOf("AWS::Events::Rule"), "Arn"] },
        assembly.template,
        naming,
      ),
    );
    const fn = (entry: string) => functionByEntry(entry).arn;

    expect(
      allows(fn(HANDLER_ENTRIES.adminHttp), "apigateway.amazonaws.com", route("POST", "/admin/{proxy+}")),
    ).toBe(true);
    expect(
      allows(fn(HANDLER_ENTRIES.partnerHttp), "apigateway.amazonaws.com", route("GET", "/r/{requestId}")),
    ).toBe(true);
    expect(allows(fn(HANDLER_ENTRIES.reminderSweep), "events.amazonaws.com", ruleArn)).toBe(true);
    // The request path is not what API Gateway names: /admin/alliances is matched by the route /admin/{proxy+}.
    expect(
      allows(fn(HANDLER_ENTRIES.adminHttp), "apigateway.amazonaws.com", route("POST", "/admin/alliances")),
    ).toBe(false);
    expect(allows(fn(HANDLER_ENTRIES.partnerHttp), "apigateway.amazonaws.com", route("GET", "/admin"))).toBe(
      false,
    );
    expect(
      allows(fn(HANDLER_ENTRIES.reminderSweep), "apigateway.amazonaws.com", route("GET", "/admin")),
    ).toBe(false);
  });
});
