import { describe, expect, it } from "vitest";
import type { CfnTemplate, LocalNaming } from "../../../../local/cfn";
import { LambdaPermissionError, lambdaPermissionAllows } from "../../../../local/iam/lambda-permissions";

const naming: LocalNaming = { region: "us-east-1", accountId: "000000000000", stackName: "Concord" };
const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const api = (route: string) => `arn:aws:execute-api:us-east-1:000000000000:Api/$default/${route}`;

const permission = (properties: Record<string, unknown>) => ({
  Type: "AWS::Lambda::Permission",
  Properties: { Action: "lambda:InvokeFunction", ...properties },
});
const template: CfnTemplate = {
  Resources: {
    Api: { Type: "AWS::ApiGatewayV2::Api", Properties: {} },
    Admin: { Type: "AWS::Lambda::Function", Properties: {} },
    Partner: { Type: "AWS::Lambda::Function", Properties: { FunctionName: "concord-partner" } },
    Sweep: { Type: "AWS::Lambda::Function", Properties: {} },
    Schedule: { Type: "AWS::Events::Rule", Properties: {} },
    AdminFromApi: permission({
      FunctionName: { "Fn::GetAtt": ["Admin", "Arn"] },
      Principal: "apigateway.amazonaws.com",
      SourceArn: {
        "Fn::Join": [
          "",
          [
            "arn:",
            { Ref: "AWS::Partition" },
            ":execute-api:us-east-1:000000000000:",
            { Ref: "Api" },
            "/*/*/admin",
          ],
        ],
      },
    }),
    PartnerFromApi: permission({
      FunctionName: "concord-partner",
      Principal: "apigateway.amazonaws.com",
      SourceArn: "arn:aws:execute-api:us-east-1:000000000000:Api/*/*/r/{requestId}",
      SourceAccount: { Ref: "AWS::AccountId" },
    }),
    SweepFromSchedule: permission({
      FunctionName: { Ref: "Sweep" },
      Principal: "events.amazonaws.com",
      SourceArn: { "Fn::GetAtt": ["Schedule", "Arn"] },
    }),
  },
};

describe("lambdaPermissionAllows", () => {
  const allows = lambdaPermissionAllows(template, naming);

  it("lets the named service invoke the function from a source its SourceArn matches", () => {
    expect(allows(fn("Admin"), "apigateway.amazonaws.com", api("GET/admin"))).toBe(true);
    expect(allows(fn("concord-partner"), "apigateway.amazonaws.com", api("POST/r/{requestId}"))).toBe(true);
    expect(
      allows(fn("Sweep"), "events.amazonaws.com", "arn:aws:events:us-east-1:000000000000:rule/Schedule"),
    ).toBe(true);
  });

  it("refuses another service, another function, or a source the SourceArn does not match", () => {
    expect(allows(fn("Admin"), "events.amazonaws.com", api("GET/admin"))).toBe(false);
    expect(allows(fn("Sweep"), "apigateway.amazonaws.com", api("GET/admin"))).toBe(false);
    expect(allows(fn("Admin"), "apigateway.amazonaws.com", api("GET/admin/alliances"))).toBe(false);
    expect(allows(fn("Admin"), "apigateway.amazonaws.com", undefined)).toBe(false);
  });

  it("compares ARNs part by part, so * never reaches across a colon before the resource", () => {
    expect(
      allows(
        fn("Admin"),
        "apigateway.amazonaws.com",
        "arn:aws:execute-api:us-east-1:000000000000:Other/x:Api/a/GET/admin",
      ),
    ).toBe(false);
  });

  it("refuses a permission condition it does not evaluate", () => {
    const withOrg: CfnTemplate = {
      Resources: {
        OrgWide: permission({ FunctionName: "f", Principal: "*", PrincipalOrgID: "o-123" }),
      },
    };

    expect(() => lambdaPermissionAllows(withOrg, naming)).toThrow(LambdaPermissionError);
    expect(() => lambdaPermissionAllows(withOrg, naming)).toThrow(/OrgWide: PrincipalOrgID/);
  });
});
