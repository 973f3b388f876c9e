import { describe, expect, it } from "vitest";
import type { LocalNaming } from "../../../../local/cfn";
import { dynamoDbCall, partiQlTarget, stepFunctionsCall } from "../../../../local/iam/calls";

const naming: LocalNaming = { region: "us-east-1", accountId: "000000000000", stackName: "Concord" };
const TABLE = "arn:aws:dynamodb:us-east-1:000000000000:table/Concord";
const ARCHIVE = "arn:aws:dynamodb:us-east-1:000000000000:table/Archive";

const dynamo = (operation: string, body: unknown) =>
  dynamoDbCall(
    { headers: { "x-amz-target": `DynamoDB_20120810.${operation}` }, body: JSON.stringify(body) },
    naming,
  );
const on = (action: string, resource: string) => ({ action, resource });

describe("dynamoDbCall", () => {
  it.each(["GetItem", "PutItem", "UpdateItem", "DeleteItem", "DescribeTable"])(
    "authorizes %s as the same action on the table",
    (operation) => {
      expect(dynamo(operation, { TableName: "Concord", Key: {} })).toEqual({
        operation,
        checks: [on(`dynamodb:${operation}`, TABLE)],
      });
    },
  );

  it("takes a table ARN given as TableName as it is", () => {
    expect(dynamo("GetItem", { TableName: ARCHIVE }).checks).toEqual([on("dynamodb:GetItem", ARCHIVE)]);
  });

  it("authorizes a Query or Scan of an index on the index", () => {
    expect(dynamo("Query", { TableName: "Concord", IndexName: "requests-by-deadline" }).checks).toEqual([
      on("dynamodb:Query", `${TABLE}/index/requests-by-deadline`),
    ]);
    expect(dynamo("Scan", { TableName: "Concord" }).checks).toEqual([on("dynamodb:Scan", TABLE)]);
  });

  it("authorizes a batch once per table it names", () => {
    expect(dynamo("BatchWriteItem", { RequestItems: { Concord: [], Archive: [] } }).checks).toEqual([
      on("dynamodb:BatchWriteItem", TABLE),
      on("dynamodb:BatchWriteItem", ARCHIVE),
    ]);
    expect(dynamo("BatchGetItem", { RequestItems: { Concord: {} } }).checks).toEqual([
      on("dynamodb:BatchGetItem", TABLE),
    ]);
  });

  it("authorizes each item of a write transaction as its underlying item action, once per action and table", () => {
    const call = dynamo("TransactWriteItems", {
      TransactItems: [
        { Put: { TableName: "Concord", Item: {} } },
        { Update: { TableName: "Concord", Key: {} } },
        { Put: { TableName: "Concord", Item: {} } },
        { Delete: { TableName: "Archive", Key: {} } },
        { ConditionCheck: { TableName: "Concord", Key: {}, ConditionExpression: "x" } },
      ],
    });

    expect(call.checks).toEqual([
      on("dynamodb:PutItem", TABLE),
      on("dynamodb:UpdateItem", TABLE),
      on("dynamodb:DeleteItem", ARCHIVE),
      on("dynamodb:ConditionCheckItem", TABLE),
    ]);
  });

  it("authorizes each item of a read transaction as GetItem", () => {
    expect(
      dynamo("TransactGetItems", { TransactItems: [{ Get: { TableName: "Concord", Key: {} } }] }).checks,
    ).toEqual([on("dynamodb:GetItem", TABLE)]);
  });

  it("authorizes PartiQL statements as PartiQL<Verb> on the table or index they name", () => {
    expect(
      dynamo("ExecuteStatement", { Statement: `SELECT * FROM "Concord"."alliances" WHERE pk = ?` }).checks,
    ).toEqual([on("dynamodb:PartiQLSelect", `${TABLE}/index/alliances`)]);
    expect(
      dynamo("BatchExecuteStatement", {
        Statements: [
          { Statement: `UPDATE Concord SET a = 1 WHERE pk = 'x'` },
          { Statement: `DELETE FROM "Archive" WHERE pk = 'x'` },
        ],
      }).checks,
    ).toEqual([on("dynamodb:PartiQLUpdate", TABLE), on("dynamodb:PartiQLDelete", ARCHIVE)]);
    expect(
      dynamo("ExecuteTransaction", {
        TransactStatements: [{ Statement: `INSERT INTO "Concord" VALUE {'pk': 'x'}` }],
      }).checks,
    ).toEqual([on("dynamodb:PartiQLInsert", TABLE)]);
  });

  it("checks ListTables and other account-wide operations on *", () => {
    expect(dynamo("ListTables", {}).checks).toEqual([on("dynamodb:ListTables", "*")]);
    expect(dynamo("DescribeLimits", {}).checks).toEqual([on("dynamodb:DescribeLimits", "*")]);
  });

  it("checks any other operation on the table or resource it names", () => {
    expect(dynamo("UpdateTimeToLive", { TableName: "Concord" }).checks).toEqual([
      on("dynamodb:UpdateTimeToLive", TABLE),
    ]);
    expect(dynamo("ListTagsOfResource", { ResourceArn: TABLE }).checks).toEqual([
      on("dynamodb:ListTagsOfResource", TABLE),
    ]);
  });

  it("leaves a request it cannot read unchecked, for the service to reject", () => {
    expect(
      dynamoDbCall({ headers: { "x-amz-target": "DynamoDB_20120810.PutItem" }, body: "{" }, naming),
    ).toEqual({
      operation: "PutItem",
      checks: [],
      unreadable: "body is not a JSON object",
    });
    expect(dynamo("Query", { IndexName: "x" }).unreadable).toBe("no TableName");
    expect(dynamoDbCall({ headers: {}, body: "{}" }, naming).unreadable).toMatch(/X-Amz-Target/);
  });
});

describe("partiQlTarget", () => {
  it.each([
    [`select a, b from "my-table" where pk = ?`, { verb: "Select", table: "my-table" }],
    [`SELECT * FROM "t"."i"`, { verb: "Select", table: "t", index: "i" }],
    [`EXISTS(SELECT * FROM "t" WHERE pk = 'x')`, { verb: "Select", table: "t" }],
    [`INSERT INTO "we""ird" VALUE {'pk': 'x'}`, { verb: "Insert", table: 'we"ird' }],
    [`  update t set a = 1`, { verb: "Update", table: "t" }],
    [`DELETE FROM t WHERE pk = 'x'`, { verb: "Delete", table: "t" }],
  ])("reads %s", (statement, target) => {
    expect(partiQlTarget(statement)).toEqual(target);
  });

  it("reads nothing from text that is no statement it knows", () => {
    expect(partiQlTarget("UPSERT x")).toBeUndefined();
  });
});

describe("stepFunctionsCall", () => {
  const sfn = (operation: string, body: unknown) =>
    stepFunctionsCall({
      headers: { "x-amz-target": `AWSStepFunctions.${operation}` },
      body: JSON.stringify(body),
    });
  const MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:concord-formation";
  const EXECUTION = "arn:aws:states:us-east-1:000000000000:execution:concord-formation:a1";

  it.each(["StartExecution", "StartSyncExecution", "ListExecutions", "DescribeStateMachine"])(
    "authorizes %s on the state machine",
    (operation) => {
      expect(sfn(operation, { stateMachineArn: MACHINE, input: "{}" }).checks).toEqual([
        on(`states:${operation}`, MACHINE),
      ]);
    },
  );

  it.each(["DescribeExecution", "StopExecution", "GetExecutionHistory"])(
    "authorizes %s on the execution",
    (operation) => {
      expect(sfn(operation, { executionArn: EXECUTION }).checks).toEqual([
        on(`states:${operation}`, EXECUTION),
      ]);
    },
  );

  it.each(["SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat", "ListStateMachines"])(
    "authorizes %s on *, as it supports no resource-level permissions",
    (operation) => {
      expect(sfn(operation, { taskToken: "t", output: "{}" }).checks).toEqual([
        on(`states:${operation}`, "*"),
      ]);
    },
  );

  it("leaves a call without the ARN it needs unchecked, for the service to reject", () => {
    expect(sfn("StartExecution", { input: "{}" })).toEqual({
      operation: "StartExecution",
      checks: [],
      unreadable: "no stateMachineArn",
    });
  });
});
