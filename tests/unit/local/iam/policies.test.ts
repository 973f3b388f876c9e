import { describe, expect, it } from "vitest";
import type { CfnTemplate, LocalNaming } from "../../../../local/cfn";
import {
  accessDeniedMessage,
  assumedRoleArn,
  compileRole,
  evaluate,
  firstDenied,
  IamPolicyError,
  rolesFromTemplate,
} from "../../../../local/iam/policies";

const naming: LocalNaming = { region: "us-east-1", accountId: "000000000000", stackName: "Concord" };
const ROLE = "arn:aws:iam::000000000000:role/Worker";
const TABLE = "arn:aws:dynamodb:us-east-1:000000000000:table/Concord";

const roleWith = (...statements: unknown[]) =>
  compileRole(ROLE, [{ name: "Policy", document: { Version: "2012-10-17", Statement: statements } }]);

describe("evaluate", () => {
  it("allows an action and resource a statement names exactly", () => {
    const role = roleWith({ Effect: "Allow", Action: "dynamodb:PutItem", Resource: TABLE });

    expect(evaluate(role, "dynamodb:PutItem", TABLE)).toBe("allow");
  });

  it("denies implicitly what no statement allows", () => {
    const role = roleWith({ Effect: "Allow", Action: "dynamodb:GetItem", Resource: TABLE });

    expect(evaluate(role, "dynamodb:PutItem", TABLE)).toBe("implicit-deny");
    expect(evaluate(role, "dynamodb:GetItem", `${TABLE}-other`)).toBe("implicit-deny");
    expect(evaluate(compileRole(ROLE, []), "dynamodb:GetItem", TABLE)).toBe("implicit-deny");
  });

  it("lets an explicit Deny win over any Allow, in whichever policy or order", () => {
    const role = compileRole(ROLE, [
      {
        name: "Deny",
        document: { Statement: { Effect: "Deny", Action: "dynamodb:DeleteItem", Resource: "*" } },
      },
      {
        name: "Allow",
        document: { Statement: [{ Effect: "Allow", Action: "dynamodb:*", Resource: TABLE }] },
      },
    ]);

    expect(evaluate(role, "dynamodb:DeleteItem", TABLE)).toBe("explicit-deny");
    expect(evaluate(role, "dynamodb:PutItem", TABLE)).toBe("allow");
  });

  it("matches actions without regard to case, with * and ? wildcards", () => {
    const role = roleWith({
      Effect: "Allow",
      Action: ["DynamoDB:get*", "states:SendTask???????"],
      Resource: "*",
    });

    expect(evaluate(role, "dynamodb:GetItem", TABLE)).toBe("allow");
    expect(evaluate(role, "DYNAMODB:GETRECORDS", TABLE)).toBe("allow");
    expect(evaluate(role, "states:SendTaskSuccess", "*")).toBe("allow");
    expect(evaluate(role, "states:SendTaskFailure", "*")).toBe("allow");
    expect(evaluate(role, "states:SendTaskHeartbeat", "*")).toBe("implicit-deny");
    expect(evaluate(role, "dynamodb:PutItem", TABLE)).toBe("implicit-deny");
  });

  it("matches resources case-sensitively, with * reaching across : and / and ? matching one character", () => {
    const role = roleWith(
      { Effect: "Allow", Action: "dynamodb:Query", Resource: [`${TABLE}/index/*`, "arn:aws:dynamodb:*"] },
      {
        Effect: "Allow",
        Action: "states:DescribeExecution",
        Resource: "arn:aws:states:*:*:execution:flow:?",
      },
    );

    expect(evaluate(role, "dynamodb:Query", `${TABLE}/index/by-deadline`)).toBe("allow");
    expect(evaluate(role, "dynamodb:Query", "arn:aws:dynamodb:eu-west-1:111111111111:table/Other")).toBe(
      "allow",
    );
    expect(evaluate(role, "dynamodb:Query", "arn:aws:Dynamodb:us-east-1:000000000000:table/Concord")).toBe(
      "implicit-deny",
    );
    expect(
      evaluate(role, "states:DescribeExecution", "arn:aws:states:us-east-1:000000000000:execution:flow:a"),
    ).toBe("allow");
    expect(
      evaluate(role, "states:DescribeExecution", "arn:aws:states:us-east-1:000000000000:execution:flow:ab"),
    ).toBe("implicit-deny");
  });

  it("treats regular-expression characters in patterns literally", () => {
    const role = roleWith({
      Effect: "Allow",
      Action: "ses:SendEmail",
      Resource: "arn:aws:ses:*:identity/a+b@x.io",
    });

    expect(evaluate(role, "ses:SendEmail", "arn:aws:ses:us-east-1:0:identity/a+b@x.io")).toBe("allow");
    expect(evaluate(role, "ses:SendEmail", "arn:aws:ses:us-east-1:0:identity/aab@xzio")).toBe(
      "implicit-deny",
    );
  });

  it("reads NotAction as every action but those listed", () => {
    const role = roleWith({ Effect: "Allow", NotAction: ["iam:*", "dynamodb:DeleteTable"], Resource: "*" });

    expect(evaluate(role, "dynamodb:PutItem", TABLE)).toBe("allow");
    expect(evaluate(role, "dynamodb:deletetable", TABLE)).toBe("implicit-deny");
    expect(evaluate(role, "iam:PassRole", ROLE)).toBe("implicit-deny");
  });

  it("reads NotResource as every resource but those listed, also in a Deny", () => {
    const role = roleWith(
      { Effect: "Allow", Action: "dynamodb:*", Resource: "*" },
      { Effect: "Deny", Action: "dynamodb:*", NotResource: [TABLE, `${TABLE}/index/*`] },
    );

    expect(evaluate(role, "dynamodb:PutItem", TABLE)).toBe("allow");
    expect(evaluate(role, "dynamodb:Query", `${TABLE}/index/alliances`)).toBe("allow");
    expect(evaluate(role, "dynamodb:PutItem", `${TABLE}Archive`)).toBe("explicit-deny");
  });
});

describe("firstDenied", () => {
  it("names the first check of a call that is not allowed, and why", () => {
    const role = roleWith({ Effect: "Allow", Action: "dynamodb:PutItem", Resource: TABLE });
    const checks = [
      { action: "dynamodb:PutItem", resource: TABLE },
      { action: "dynamodb:UpdateItem", resource: TABLE },
      { action: "dynamodb:DeleteItem", resource: TABLE },
    ];

    expect(firstDenied(role, checks)).toEqual({ check: checks[1], decision: "implicit-deny" });
    expect(firstDenied(role, checks.slice(0, 1))).toBeUndefined();
  });
});

describe("compileRole", () => {
  const refused = (statement: unknown) => () => roleWith(statement);

  it("refuses a statement with a Condition rather than guess, naming role, policy and statement", () => {
    expect(
      refused({
        Effect: "Allow",
        Action: "dynamodb:PutItem",
        Resource: TABLE,
        Condition: { StringEquals: { "aws:SourceAccount": "000000000000" } },
      }),
    ).toThrow(
      new IamPolicyError(
        "role Worker, policy Policy, Statement[0]: Condition (StringEquals) is not evaluated by the local cloud",
      ),
    );
  });

  it("accepts an empty Condition, which constrains nothing", () => {
    const role = roleWith({ Effect: "Allow", Action: "dynamodb:PutItem", Resource: TABLE, Condition: {} });

    expect(evaluate(role, "dynamodb:PutItem", TABLE)).toBe("allow");
  });

  it.each([
    [
      "a Principal",
      {
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
        Resource: "*",
      },
      /may not name a Principal/,
    ],
    [
      "both Action and NotAction",
      { Effect: "Allow", Action: "a:b", NotAction: "a:c", Resource: "*" },
      /exactly one of Action and NotAction/,
    ],
    ["no Resource", { Effect: "Allow", Action: "a:b" }, /exactly one of Resource and NotResource/],
    ["an Effect other than Allow or Deny", { Effect: "allow", Action: "a:b", Resource: "*" }, /Effect/],
    ["an unknown element", { Effect: "Allow", Action: "a:b", Resource: "*", Resources: "*" }, /Resources/],
    [
      "an action without a service prefix",
      { Effect: "Allow", Action: "PutItem", Resource: "*" },
      /"PutItem" is not a service:action/,
    ],
    [
      "a policy variable",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a JS template
      { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/${aws:username}/*" },
      /policy variables/,
    ],
    ["an action that is not a string", { Effect: "Allow", Action: [{ Ref: "X" }], Resource: "*" }, /Action/],
  ])("refuses a statement with %s", (_what, statement, message) => {
    expect(refused(statement)).toThrow(IamPolicyError);
    expect(refused(statement)).toThrow(message);
  });

  it("refuses a document it cannot read", () => {
    expect(() => compileRole(ROLE, [{ name: "Broken", document: { Statements: [] } }])).toThrow(
      /role Worker, policy Broken: /,
    );
  });
});

describe("rolesFromTemplate", () => {
  const statement = (action: string, resource: unknown = "*") => ({
    Effect: "Allow",
    Action: action,
    Resource: resource,
  });
  const document = (...statements: unknown[]) => ({ Version: "2012-10-17", Statement: statements });
  const template = (extra: CfnTemplate["Resources"] = {}): CfnTemplate => ({
    Resources: {
      Table: { Type: "AWS::DynamoDB::Table", Properties: { TableName: "Concord" } },
      WorkerRole: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: "concord-worker",
          Policies: [
            {
              PolicyName: "Inline",
              PolicyDocument: document(statement("dynamodb:GetItem", { "Fn::GetAtt": ["Table", "Arn"] })),
            },
          ],
          ManagedPolicyArns: [
            {
              "Fn::Join": [
                "",
                [
                  "arn:",
                  { Ref: "AWS::Partition" },
                  ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                ],
              ],
            },
            { Ref: "SharedPolicy" },
          ],
        },
      },
      OtherRole: { Type: "AWS::IAM::Role", Properties: {} },
      WorkerDefaultPolicy: {
        Type: "AWS::IAM::Policy",
        Properties: {
          PolicyName: "WorkerDefaultPolicy",
          PolicyDocument: document(
            statement("dynamodb:PutItem", [
              { "Fn::GetAtt": ["Table", "Arn"] },
              { "Fn::Join": ["", [{ "Fn::GetAtt": ["Table", "Arn"] }, "/index/*"]] },
              { Ref: "AWS::NoValue" },
            ]),
          ),
          Roles: [{ Ref: "WorkerRole" }],
        },
      },
      SharedPolicy: {
        Type: "AWS::IAM::ManagedPolicy",
        Properties: {
          PolicyDocument: document(statement("states:SendTaskSuccess")),
          Roles: [{ Ref: "WorkerRole" }, { Ref: "OtherRole" }],
        },
      },
      ...extra,
    },
  });
  const tableArn = "arn:aws:dynamodb:us-east-1:000000000000:table/Concord";

  it("keys roles by ARN, named by RoleName or else the logical id", () => {
    expect([...rolesFromTemplate(template(), naming).keys()]).toEqual([
      "arn:aws:iam::000000000000:role/concord-worker",
      "arn:aws:iam::000000000000:role/OtherRole",
    ]);
  });

  it("gathers inline, attached, customer managed and AWS managed policies, each once, with resources resolved", () => {
    const worker = rolesFromTemplate(template(), naming).get("arn:aws:iam::000000000000:role/concord-worker");
    if (!worker) throw new Error("no worker role");

    expect(worker.policyNames).toEqual([
      "Inline",
      "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
      "SharedPolicy",
      "WorkerDefaultPolicy",
    ]);
    expect(evaluate(worker, "dynamodb:GetItem", tableArn)).toBe("allow");
    expect(evaluate(worker, "dynamodb:PutItem", `${tableArn}/index/by-deadline`)).toBe("allow");
    expect(evaluate(worker, "logs:PutLogEvents", "arn:aws:logs:us-east-1:000000000000:log-group:x:*")).toBe(
      "allow",
    );
    expect(evaluate(worker, "states:SendTaskSuccess", "*")).toBe("allow");
    expect(evaluate(worker, "dynamodb:DeleteItem", tableArn)).toBe("implicit-deny");
  });

  it("gives a role only the policies attached to it", () => {
    const other = rolesFromTemplate(template(), naming).get("arn:aws:iam::000000000000:role/OtherRole");
    if (!other) throw new Error("no other role");

    expect(other.policyNames).toEqual(["SharedPolicy"]);
    expect(evaluate(other, "dynamodb:GetItem", tableArn)).toBe("implicit-deny");
  });

  it("refuses an unknown managed policy, naming the role and the ARN", () => {
    const withUnknown = template({
      Extra: {
        Type: "AWS::IAM::Role",
        Properties: { ManagedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
      },
    });

    expect(() => rolesFromTemplate(withUnknown, naming)).toThrow(
      /^role Extra: managed policy arn:aws:iam::aws:policy\/AdministratorAccess is unknown to the local cloud/,
    );
  });

  it("refuses an attached policy with a Condition, naming role, policy and statement", () => {
    const conditioned = template({
      Conditioned: {
        Type: "AWS::IAM::Policy",
        Properties: {
          PolicyName: "Conditioned",
          PolicyDocument: document(statement("a:b"), {
            ...statement("a:c"),
            Condition: { Bool: { "aws:SecureTransport": "true" } },
          }),
          Roles: [{ Ref: "OtherRole" }],
        },
      },
    });

    expect(() => rolesFromTemplate(conditioned, naming)).toThrow(
      new IamPolicyError(
        "role OtherRole, policy Conditioned, Statement[1]: Condition (Bool) is not evaluated by the local cloud",
      ),
    );
  });

  it("refuses a permissions boundary, which it does not evaluate", () => {
    const bounded = template({
      Bounded: {
        Type: "AWS::IAM::Role",
        Properties: { PermissionsBoundary: "arn:aws:iam::000000000000:policy/b" },
      },
    });

    expect(() => rolesFromTemplate(bounded, naming)).toThrow(/role Bounded: a PermissionsBoundary/);
  });

  it("names the policy whose intrinsics it cannot resolve", () => {
    const unresolvable = template({
      Unresolvable: {
        Type: "AWS::IAM::Policy",
        Properties: {
          PolicyName: "Unresolvable",
          PolicyDocument: document(statement("a:b", { "Fn::GetAtt": ["Missing", "Arn"] })),
          Roles: [{ Ref: "OtherRole" }],
        },
      },
    });

    expect(() => rolesFromTemplate(unresolvable, naming)).toThrow(
      /^policy Unresolvable: Fn::GetAtt Missing.Arn/,
    );
  });
});

describe("access denied wording", () => {
  const principal = assumedRoleArn("arn:aws:iam::000000000000:role/service/WorkerRole", "concord-worker");

  it("names the role session as STS does", () => {
    expect(principal).toBe("arn:aws:sts::000000000000:assumed-role/WorkerRole/concord-worker");
  });

  it("says no identity-based policy allows the action, for an implicit deny", () => {
    expect(accessDeniedMessage(principal, "dynamodb:PutItem", TABLE, "implicit-deny")).toBe(
      "User: arn:aws:sts::000000000000:assumed-role/WorkerRole/concord-worker is not authorized to perform: " +
        "dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/Concord " +
        "because no identity-based policy allows the dynamodb:PutItem action",
    );
  });

  it("says an identity-based policy denies explicitly, for an explicit deny", () => {
    expect(accessDeniedMessage(principal, "dynamodb:PutItem", TABLE, "explicit-deny")).toBe(
      "User: arn:aws:sts::000000000000:assumed-role/WorkerRole/concord-worker is not authorized to perform: " +
        "dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/Concord " +
        "with an explicit deny in an identity-based policy",
    );
  });
});
