import { existsSync } from "node:fs";
import { join } from "node:path";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { HANDLER_ENTRIES } from "../../infra/concord-stack";
import { type WorkflowSpec, WorkflowSpecError } from "../../infra/constructs/workflows";
import { projectRoot } from "../../infra/paths";
import { workflows as registeredWorkflows } from "../../workflows";
import { SAMPLE_ENTRIES, sampleWorkflow } from "./fixtures/sample-workflow";
import {
  environmentOf,
  functionIdByEntry,
  type Resource,
  resourceOf,
  resourcesFor,
  statementsOf,
  synthConcord,
} from "./helpers";

const ACCOUNT = "us-east-1:000000000000";
const TASK_CALLBACKS = ["states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"];

describe("Concord stack with a workflow", () => {
  let template: Template;
  let functions: Record<string, Resource>;
  let tableId: string;
  let stateMachineId: string;

  beforeAll(() => {
    template = synthConcord([sampleWorkflow]);
    functions = template.findResources("AWS::Lambda::Function") as Record<string, Resource>;
    [tableId = ""] = Object.keys(template.findResources("AWS::DynamoDB::Table"));
    [stateMachineId = ""] = Object.keys(template.findResources("AWS::StepFunctions::StateMachine"));
  });

  describe("data", () => {
    it("has exactly one table, keyed pk/sk, on-demand, with PITR and deletion protection", () => {
      template.resourceCountIs("AWS::DynamoDB::Table", 1);
      template.hasResourceProperties("AWS::DynamoDB::Table", {
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      });
    });

    it("lets DynamoDB delete items past their ttl (the footers' concern links)", () => {
      template.hasResourceProperties("AWS::DynamoDB::Table", {
        TimeToLiveSpecification: { AttributeName: "ttl", Enabled: true },
      });
    });

    it("keeps the table when the stack is deleted or the table replaced", () => {
      template.hasResource("AWS::DynamoDB::Table", {
        DeletionPolicy: "Retain",
        UpdateReplacePolicy: "Retain",
      });
    });

    it("has the three contract indexes, each projecting all attributes", () => {
      const index = (name: string, pk: string, sk: string) => ({
        IndexName: name,
        KeySchema: [
          { AttributeName: pk, KeyType: "HASH" },
          { AttributeName: sk, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      });
      template.hasResourceProperties("AWS::DynamoDB::Table", {
        GlobalSecondaryIndexes: [
          index("reviews-due", "gsi1pk", "gsi1sk"),
          index("requests-by-deadline", "gsi2pk", "gsi2sk"),
          index("alliances", "gsi3pk", "gsi3sk"),
        ],
      });
    });
  });

  describe("functions", () => {
    it("creates the stack's own handlers and one function per workflow task", () => {
      const entries = Object.values(functions).map((fn) => fn.Metadata?.["concord:entry"]);
      expect(entries.sort()).toEqual(
        [...Object.values(HANDLER_ENTRIES), SAMPLE_ENTRIES.greet, SAMPLE_ENTRIES.askPartner].sort(),
      );
    });

    it("runs every function on nodejs24.x arm64 with a handler export named in metadata", () => {
      for (const fn of Object.values(functions)) {
        expect(fn.Properties).toMatchObject({
          Runtime: "nodejs24.x",
          Architectures: ["arm64"],
          Handler: "index.handler",
        });
        expect(fn.Metadata?.["concord:handler"]).toBe("handler");
      }
    });

    it("points every function's concord:entry at a handler file that exists", () => {
      for (const fn of Object.values(functions)) {
        const entry = fn.Metadata?.["concord:entry"];
        expect(typeof entry === "string" && existsSync(join(projectRoot, entry)), String(entry)).toBe(true);
      }
    });

    it("sends every function's logs to its own log group with a retention", () => {
      const logGroups = template.findResources("AWS::Logs::LogGroup") as Record<string, Resource>;
      for (const fn of Object.values(functions)) {
        const logGroupId = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
        expect(logGroups[logGroupId]?.Properties.RetentionInDays).toBeGreaterThan(0);
      }
    });

    it("gives workflow tasks the table, sender, app URL and source maps", () => {
      template.hasResourceProperties("AWS::Lambda::Function", {
        Environment: {
          Variables: {
            TABLE_NAME: { Ref: tableId },
            MAIL_FROM: { Ref: "SenderAddress" },
            APP_URL: Match.objectLike({ "Fn::Join": Match.anyValue() }),
            NODE_OPTIONS: "--enable-source-maps",
          },
        },
      });
      const greet = functionIdByEntry(template, SAMPLE_ENTRIES.greet);
      expect(Object.keys(environmentOf(template, greet)).sort()).toEqual([
        "APP_URL",
        "MAIL_FROM",
        "NODE_OPTIONS",
        "TABLE_NAME",
      ]);
    });

    it("tells the admin API the workflow's state machine ARN", () => {
      for (const entry of [HANDLER_ENTRIES.adminHttp]) {
        expect(environmentOf(template, functionIdByEntry(template, entry)), entry).toMatchObject({
          SAMPLE_STATE_MACHINE_ARN: { Ref: stateMachineId },
        });
      }
    });
  });

  describe("state machines", () => {
    it("deploys the workflow as a Standard machine named concord-<id>, logging everything, traced", () => {
      template.hasResourceProperties("AWS::StepFunctions::StateMachine", {
        StateMachineName: "concord-sample",
        StateMachineType: "STANDARD",
        LoggingConfiguration: Match.objectLike({ Level: "ALL", IncludeExecutionData: true }),
        TracingConfiguration: { Enabled: true },
      });
    });
  });

  describe("permissions", () => {
    it("lets the admin API start and describe executions of the workflow's machine", () => {
      const statements = statementsOf(template, functionIdByEntry(template, HANDLER_ENTRIES.adminHttp));
      const machine = `arn:aws:states:${ACCOUNT}:stateMachine:concord-sample`;
      expect(resourcesFor(statements, "states:StartExecution")).toEqual([machine]);
      expect(resourcesFor(statements, "states:DescribeExecution")).toEqual([
        `arn:aws:states:${ACCOUNT}:execution:concord-sample:*`,
      ]);
    });

    it("lets the reminder sweep answer task tokens (it delivers stranded decisions) but not start executions", () => {
      const statements = statementsOf(template, functionIdByEntry(template, HANDLER_ENTRIES.reminderSweep));
      expect(resourcesFor(statements, "states:StartExecution")).toEqual([]);
      for (const action of TASK_CALLBACKS) expect(resourcesFor(statements, action), action).toEqual(["*"]);
    });

    it("lets only the functions that answer waiting tasks (a decision, the sweep, an admin's extension) answer task tokens", () => {
      const allowed = [HANDLER_ENTRIES.partnerHttp, HANDLER_ENTRIES.reminderSweep, HANDLER_ENTRIES.adminHttp];
      const denied = [SAMPLE_ENTRIES.greet, SAMPLE_ENTRIES.askPartner];
      for (const entry of allowed) {
        const statements = statementsOf(template, functionIdByEntry(template, entry));
        for (const action of TASK_CALLBACKS)
          expect(resourcesFor(statements, action), `${entry} ${action}`).toEqual(["*"]);
      }
      for (const entry of denied) {
        const statements = statementsOf(template, functionIdByEntry(template, entry));
        for (const action of TASK_CALLBACKS)
          expect(resourcesFor(statements, action), `${entry} ${action}`).toEqual([]);
      }
    });

    it("scopes SES sending to the sender identity and its configuration set", () => {
      // Ref of an email identity is the identity itself: the sender address (the parameter's default, locally).
      const sender = (template.toJSON() as { Parameters: { SenderAddress: { Default: string } } }).Parameters
        .SenderAddress.Default;
      const [configurationSetId = ""] = Object.keys(template.findResources("AWS::SES::ConfigurationSet"));
      template.hasResourceProperties("AWS::SES::EmailIdentity", { EmailIdentity: { Ref: "SenderAddress" } });
      for (const entry of [HANDLER_ENTRIES.partnerHttp, HANDLER_ENTRIES.adminHttp, SAMPLE_ENTRIES.greet]) {
        const statements = statementsOf(template, functionIdByEntry(template, entry));
        for (const action of ["ses:SendEmail", "ses:SendRawEmail"]) {
          expect(resourcesFor(statements, action).sort(), `${entry} ${action}`).toEqual([
            `arn:aws:ses:${ACCOUNT}:configuration-set/${configurationSetId}`,
            `arn:aws:ses:${ACCOUNT}:identity/${sender}`,
          ]);
        }
      }
    });

    it("grants table access on the one table and its indexes only", () => {
      const statements = statementsOf(template, functionIdByEntry(template, HANDLER_ENTRIES.partnerHttp));
      expect(resourcesFor(statements, "dynamodb:PutItem")).toEqual([
        `arn:aws:dynamodb:${ACCOUNT}:table/${tableId}`,
        `arn:aws:dynamodb:${ACCOUNT}:table/${tableId}/index/*`,
      ]);
    });

    it("attaches no AWS managed policy to any function role", () => {
      const roles = template.findResources("AWS::IAM::Role") as Record<string, Resource>;
      for (const [id, role] of Object.entries(roles))
        expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    });
  });

  describe("HTTP API", () => {
    const integrationTarget = (routeKey: string): string => {
      const [routeId = ""] = Object.keys(
        template.findResources("AWS::ApiGatewayV2::Route", { Properties: { RouteKey: routeKey } }),
      );
      const integrationId = (
        resourceOf(template, routeId).Properties.Target as { "Fn::Join": [string, [string, { Ref: string }]] }
      )["Fn::Join"][1][1].Ref;
      const uri = resourceOf(template, integrationId).Properties.IntegrationUri as {
        "Fn::GetAtt": [string, string];
      };
      return uri["Fn::GetAtt"][0];
    };

    it("serves decision pages on ANY /r/{requestId} and concern pages on ANY /c/{linkId} without authorization", () => {
      for (const routeKey of ["ANY /r/{requestId}", "ANY /c/{linkId}"]) {
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
          RouteKey: routeKey,
          AuthorizationType: "NONE",
        });
        expect(integrationTarget(routeKey), routeKey).toBe(
          functionIdByEntry(template, HANDLER_ENTRIES.partnerHttp),
        );
      }
    });

    it("serves the admin API on ANY /admin and ANY /admin/{proxy+} behind IAM authorization", () => {
      for (const routeKey of ["ANY /admin", "ANY /admin/{proxy+}"]) {
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
          RouteKey: routeKey,
          AuthorizationType: "AWS_IAM",
        });
        expect(integrationTarget(routeKey)).toBe(functionIdByEntry(template, HANDLER_ENTRIES.adminHttp));
      }
      template.resourceCountIs("AWS::ApiGatewayV2::Route", 4);
    });

    it("deploys the $default stage with access logging and throttling", () => {
      template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
        StageName: "$default",
        AutoDeploy: true,
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp("requestId") },
        DefaultRouteSettings: {
          ThrottlingRateLimit: Match.anyValue(),
          ThrottlingBurstLimit: Match.anyValue(),
        },
      });
    });

    it("never writes the request path (which carries link secrets) to the access log", () => {
      const [stageId = ""] = Object.keys(template.findResources("AWS::ApiGatewayV2::Stage"));
      const format = (resourceOf(template, stageId).Properties.AccessLogSettings as { Format: string })
        .Format;
      expect(format).not.toMatch(/\$context\.path|querystring/i);
    });
  });

  describe("schedule, parameter and outputs", () => {
    it("reports every execution of the workflows that fails, times out or is aborted to the problem handler", () => {
      template.hasResourceProperties("AWS::Events::Rule", {
        EventPattern: {
          source: ["aws.states"],
          "detail-type": ["Step Functions Execution Status Change"],
          detail: { status: ["FAILED", "TIMED_OUT", "ABORTED"], stateMachineArn: [{ Ref: stateMachineId }] },
        },
        Targets: [
          Match.objectLike({
            Arn: { "Fn::GetAtt": [functionIdByEntry(template, HANDLER_ENTRIES.executionProblem), "Arn"] },
          }),
        ],
      });
    });

    it("lets the admin API retry (redrive) the workflow's executions and nothing else", () => {
      const statements = statementsOf(template, functionIdByEntry(template, HANDLER_ENTRIES.adminHttp));
      expect(resourcesFor(statements, "states:RedriveExecution")).toEqual([
        `arn:aws:states:${ACCOUNT}:execution:concord-sample:*`,
      ]);
      const problems = statementsOf(template, functionIdByEntry(template, HANDLER_ENTRIES.executionProblem));
      expect(resourcesFor(problems, "states:RedriveExecution")).toEqual([]);
    });

    it("runs the reminder sweep every hour", () => {
      template.resourceCountIs("AWS::Events::Rule", 2);
      for (const entry of [HANDLER_ENTRIES.reminderSweep]) {
        template.hasResourceProperties("AWS::Events::Rule", {
          ScheduleExpression: "rate(1 hour)",
          Targets: [Match.objectLike({ Arn: { "Fn::GetAtt": [functionIdByEntry(template, entry), "Arn"] } })],
        });
      }
    });

    it("takes the sender address as the SenderAddress parameter with a default", () => {
      template.hasParameter("SenderAddress", { Type: "String", Default: "concord@example.com" });
    });

    it("outputs the API URL and the table name", () => {
      template.hasOutput("ApiUrl", { Value: Match.objectLike({ "Fn::Join": Match.anyValue() }) });
      template.hasOutput("TableName", { Value: { Ref: tableId } });
    });
  });
});

describe("Concord stack without workflows", () => {
  it("synthesizes with no state machine and no state machine ARN in any environment", () => {
    const template = synthConcord([]);
    template.resourceCountIs("AWS::StepFunctions::StateMachine", 0);
    // Without workflows there is nothing to report a problem of: no problem handler.
    template.resourceCountIs("AWS::Lambda::Function", Object.keys(HANDLER_ENTRIES).length - 1);
    for (const functionId of Object.keys(template.findResources("AWS::Lambda::Function"))) {
      const variables = Object.keys(environmentOf(template, functionId));
      expect(variables.filter((name) => name.endsWith("_STATE_MACHINE_ARN"))).toEqual([]);
    }
  });
});

describe("workflow specs", () => {
  const spec = (id: string, envName: string): WorkflowSpec => ({ ...sampleWorkflow, id, envName });

  it("rejects two workflows with the same id", () => {
    expect(() => synthConcord([sampleWorkflow, spec("sample", "OTHER_STATE_MACHINE_ARN")])).toThrow(
      WorkflowSpecError,
    );
  });

  it("rejects an id that is not kebab-case", () => {
    expect(() => synthConcord([spec("Sample", "SAMPLE_STATE_MACHINE_ARN")])).toThrow(/kebab-case/);
  });

  it("rejects an environment variable name outside the <WORKFLOW>_STATE_MACHINE_ARN contract", () => {
    expect(() => synthConcord([spec("sample", "SAMPLE_ARN")])).toThrow(/FORMATION_STATE_MACHINE_ARN/);
  });
});

describe("Concord stack with the registered workflows", () => {
  it("lets every function that answers task tokens read whether the waiting execution still runs", () => {
    const template = synthConcord(registeredWorkflows);
    const executions = `arn:aws:states:${ACCOUNT}:execution:concord-formation:*`;
    for (const entry of [
      HANDLER_ENTRIES.partnerHttp,
      HANDLER_ENTRIES.reminderSweep,
      "functions/handlers/request-open.ts",
    ]) {
      const statements = statementsOf(template, functionIdByEntry(template, entry));
      expect(resourcesFor(statements, "states:DescribeExecution"), entry).toContain(executions);
    }
  });

  it("lets the partner pages start escalations (a partner raises a concern) and no other workflow", () => {
    const template = synthConcord(registeredWorkflows);
    const partner = functionIdByEntry(template, HANDLER_ENTRIES.partnerHttp);
    const starts = resourcesFor(statementsOf(template, partner), "states:StartExecution");
    expect(starts).toEqual([`arn:aws:states:${ACCOUNT}:stateMachine:concord-escalation`]);
    expect(environmentOf(template, partner)).toHaveProperty("ESCALATION_STATE_MACHINE_ARN");
  });

  it("lets only the request engine's ask task and the exit's division wait and completion answer task tokens among the workflow tasks", () => {
    const template = synthConcord(registeredWorkflows);
    const tasks = Object.entries(template.findResources("AWS::Lambda::Function") as Record<string, Resource>)
      .filter(([, fn]) => String(fn.Metadata?.["concord:entry"] ?? "").includes("functions/handlers/"))
      .map(([id, fn]) => [id, String(fn.Metadata?.["concord:entry"])] as const);
    // Each workflow has its own ask function (request-open), and only those answer task tokens.
    const asking = tasks
      .filter(([, entry]) => entry === "functions/handlers/request-open.ts")
      .map(([id]) => id);
    expect(asking.length).toBe(registeredWorkflows.length);
    for (const [id, entry] of tasks) {
      const callbacks = resourcesFor(statementsOf(template, id), "states:SendTaskSuccess");
      // The division wait answers its own token when the admin decided before it ran (the admin API answers it after);
      // the exit's completion releases the waiting tasks of the partner that left.
      const expected =
        asking.includes(id) ||
        entry === "functions/handlers/exit-division-await.ts" ||
        entry === "functions/handlers/exit-complete.ts" ||
        Object.values(HANDLER_ENTRIES).includes(entry as never);
      const allowedHere =
        expected && entry !== HANDLER_ENTRIES.reviewSweep && entry !== HANDLER_ENTRIES.executionProblem;
      expect(callbacks, entry).toEqual(allowedHere ? ["*"] : []);
    }
  });
});
