import { describe, expect, it } from "vitest";
import {
  type CfnTemplate,
  type LocalNaming,
  resolveIntrinsics,
  stateMachinesFromTemplate,
} from "../../local/cfn";

const naming: LocalNaming = { region: "eu-west-1", accountId: "000000000000", stackName: "Concord" };

const template: CfnTemplate = {
  Parameters: { Stage: { Default: "local" } },
  Resources: {
    NamedFn: { Type: "AWS::Lambda::Function", Properties: { FunctionName: "concord-notify" } },
    AnonymousFnA1B2: { Type: "AWS::Lambda::Function", Properties: {} },
    Table: {
      Type: "AWS::DynamoDB::Table",
      Properties: { TableName: { "Fn::Join": ["-", ["concord", { Ref: "Stage" }]] } },
    },
    FormationMachine: {
      Type: "AWS::StepFunctions::StateMachine",
      Properties: {
        StateMachineName: "formation",
        // as CDK renders it: the ARNs spliced into the JSON text
        DefinitionString: {
          "Fn::Join": [
            "",
            [
              '{"StartAt":"Notify","States":{"Notify":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"',
              { "Fn::GetAtt": ["NamedFn", "Arn"] },
              '","Payload.$":"$"},"Next":"Audit"},"Audit":{"Type":"Task","Resource":"',
              { "Fn::GetAtt": ["AnonymousFnA1B2", "Arn"] },
              '","End":true}}}',
            ],
          ],
        },
      },
    },
    ExitMachine: {
      Type: "AWS::StepFunctions::StateMachine",
      Properties: {
        DefinitionString: {
          "Fn::Sub":
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
            '{"StartAt":"Done","Comment":"${AWS::Region} ${Table}","States":{"Done":{"Type":"Succeed"}}}',
        },
      },
    },
  },
};

describe("resolveIntrinsics", () => {
  it("resolves Ref by resource type, parameters and pseudo parameters", () => {
    expect(
      resolveIntrinsics(
        {
          fn: { Ref: "NamedFn" },
          anonymous: { Ref: "AnonymousFnA1B2" },
          table: { Ref: "Table" },
          machine: { Ref: "FormationMachine" },
          stage: { Ref: "Stage" },
          where: [
            { Ref: "AWS::Region" },
            { Ref: "AWS::AccountId" },
            { Ref: "AWS::Partition" },
            { Ref: "AWS::URLSuffix" },
          ],
        },
        template,
        naming,
      ),
    ).toEqual({
      fn: "concord-notify",
      anonymous: "AnonymousFnA1B2",
      table: "concord-local",
      machine: "arn:aws:states:eu-west-1:000000000000:stateMachine:formation",
      stage: "local",
      where: ["eu-west-1", "000000000000", "aws", "amazonaws.com"],
    });
  });

  it("resolves Fn::GetAtt Arn for functions, tables and state machines", () => {
    expect(
      resolveIntrinsics(
        [
          { "Fn::GetAtt": ["NamedFn", "Arn"] },
          { "Fn::GetAtt": "Table.Arn" },
          { "Fn::GetAtt": ["ExitMachine", "Arn"] },
        ],
        template,
        naming,
      ),
    ).toEqual([
      "arn:aws:lambda:eu-west-1:000000000000:function:concord-notify",
      "arn:aws:dynamodb:eu-west-1:000000000000:table/concord-local",
      "arn:aws:states:eu-west-1:000000000000:stateMachine:ExitMachine",
    ]);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
  it("resolves Fn::Sub with and without a variable map, and escaped ${!literals}", () => {
    expect(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
      resolveIntrinsics({ "Fn::Sub": "${AWS::StackName}/${NamedFn.Arn}/${!Keep}" }, template, naming),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
    ).toBe("Concord/arn:aws:lambda:eu-west-1:000000000000:function:concord-notify/${Keep}");
    expect(
      resolveIntrinsics(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
        { "Fn::Sub": ["${Who} uses ${Table}", { Who: { Ref: "NamedFn" } }] },
        template,
        naming,
      ),
    ).toBe("concord-notify uses concord-local");
  });

  it("resolves Fn::Select over Fn::Split", () => {
    expect(resolveIntrinsics({ "Fn::Select": [1, { "Fn::Split": [":", "a:b:c"] }] }, template, naming)).toBe(
      "b",
    );
  });

  it("names the logical id it cannot find", () => {
    expect(() => resolveIntrinsics({ "Fn::GetAtt": ["MissingFn", "Arn"] }, template, naming)).toThrow(
      /MissingFn/,
    );
    expect(() => resolveIntrinsics({ Ref: "Nowhere" }, template, naming)).toThrow(
      /Ref Nowhere: no such logical id/,
    );
    expect(() => resolveIntrinsics({ "Fn::ImportValue": "x" }, template, naming)).toThrow(/Fn::ImportValue/);
  });
});

describe("stateMachinesFromTemplate", () => {
  it("reads each state machine with its DefinitionString resolved to ASL", () => {
    const [formation, exit] = stateMachinesFromTemplate(template, naming);
    expect(formation).toMatchObject({
      logicalId: "FormationMachine",
      name: "formation",
      arn: "arn:aws:states:eu-west-1:000000000000:stateMachine:formation",
    });
    expect(formation?.definition).toMatchObject({
      StartAt: "Notify",
      States: {
        Notify: {
          Parameters: { FunctionName: "arn:aws:lambda:eu-west-1:000000000000:function:concord-notify" },
        },
        Audit: { Resource: "arn:aws:lambda:eu-west-1:000000000000:function:AnonymousFnA1B2" },
      },
    });
    expect(exit).toMatchObject({ name: "ExitMachine", definition: { Comment: "eu-west-1 concord-local" } });
  });
});
