import { beforeAll, describe, expect, it } from "vitest";
import { HANDLER_ENTRIES } from "../../../../infra/concord-stack";
import type { LocalNaming } from "../../../../local/cfn";
import type { GatedRequest } from "../../../../local/gate-proxy";
import { IamEnforcement, LambdaInvokeDeniedError } from "../../../../local/iam/enforcement";
import { LambdaHost } from "../../../../local/lambda/host";
import { createSharedClock } from "../../../../local/lambda/shared-clock";
import {
  LOCAL_ACCOUNT_ID,
  LOCAL_STACK_NAME,
  type LocalAssembly,
  synthesizeForLocal,
} from "../../../../local/synth";

// The gates and invoke checks the local cloud puts around Concord's own synthesized stack.

const naming: LocalNaming = { region: "us-east-1", accountId: LOCAL_ACCOUNT_ID, stackName: LOCAL_STACK_NAME };
let assembly: LocalAssembly;
let host: LambdaHost;
let iam: IamEnforcement;
const log: string[] = [];
const denied: string[] = [];

beforeAll(async () => {
  assembly = await synthesizeForLocal({ region: naming.region });
  // Only for the per-function credentials: no container is started.
  host = new LambdaHost({
    functions: assembly.functions,
    moduleOf: () => ({ modulePath: "", exportName: "handler" }),
    clock: createSharedClock({ anchorSimMs: 0, anchorRealEpochMs: 0, rate: 1, latestMs: 0 }),
    runtimeEnvironment: {},
  });
  iam = new IamEnforcement({
    template: assembly.template,
    naming,
    functionOfAccessKey: (keyId) => host.functionOfAccessKey(keyId),
    log: (line) => log.push(line),
    onDenied: (what) => denied.push(what),
  });
});

const fn = (entry: string) => {
  const found = assembly.functions.find((f) => f.entry === entry);
  if (!found) throw new Error(`no function for ${entry}`);
  return found;
};
const formationArn = () => assembly.stateMachines[0]?.arn ?? "";
const signedAs = (entry: string | undefined, service: string, target?: string): GatedRequest["headers"] => ({
  authorization: `AWS4-HMAC-SHA256 Credential=${entry ? host.environmentOf(fn(entry)).AWS_ACCESS_KEY_ID : "AKIADEVELOPER"}/20261202/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
  ...(target ? { "x-amz-target": target } : {}),
});
const request = (headers: GatedRequest["headers"], body: unknown): GatedRequest => ({
  method: "POST",
  url: "/",
  headers,
  body: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
});

describe("IAM enforcement on the local cloud", () => {
  it("lets Step Functions invoke the formation's task functions and nothing else", () => {
    const task = assembly.functions.find((f) => f.logicalId.includes("RequestOpen"));
    expect(() => iam.assertStateMachineMayInvoke(formationArn(), task?.arn ?? "")).not.toThrow();
    const admin = fn(HANDLER_ENTRIES.adminHttp).arn;
    expect(() => iam.assertStateMachineMayInvoke(formationArn(), admin)).toThrow(LambdaInvokeDeniedError);
    try {
      iam.assertStateMachineMayInvoke(formationArn(), admin);
    } catch (error) {
      expect((error as Error).name).toBe("Lambda.AWSLambdaException");
      expect((error as Error).message).toMatch(
        /^User: arn:aws:sts::000000000000:assumed-role\/\S+\/local-states is not authorized to perform: lambda:InvokeFunction on resource: \S+AdminHttp\S* because no identity-based policy allows the lambda:InvokeFunction action/,
      );
    }
  });

  it("answers a function's call its role does not allow with DynamoDB's AccessDeniedException, and logs it", () => {
    const table = fn(HANDLER_ENTRIES.partnerHttp).environment.TABLE_NAME;
    const allowed = request(signedAs(HANDLER_ENTRIES.partnerHttp, "dynamodb", "DynamoDB_20120810.GetItem"), {
      TableName: table,
      Key: { pk: { S: "A" }, sk: { S: "B" } },
    });
    expect(iam.dynamodb(allowed)).toBeUndefined();
    const other = request(signedAs(HANDLER_ENTRIES.partnerHttp, "dynamodb", "DynamoDB_20120810.GetItem"), {
      TableName: "SomeoneElsesTable",
      Key: { pk: { S: "A" }, sk: { S: "B" } },
    });
    const answer = iam.dynamodb(other);
    expect(answer?.status).toBe(400);
    expect(JSON.parse(answer?.body ?? "{}")).toMatchObject({
      __type: "com.amazon.coral.service#AccessDeniedException",
      Message: expect.stringContaining(
        "dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/SomeoneElsesTable",
      ),
    });
    expect(log.at(-1)).toMatch(/^\[iam\] denied \S*PartnerHttp\S*: User: /);
    expect(denied.at(-1)).toMatch(/^dynamodb:GetItem by \S*PartnerHttp/);
  });

  it("refuses StartExecution to a function not bound to the state machine", () => {
    const body = { stateMachineArn: formationArn(), input: "{}" };
    const target = "AWSStepFunctions.StartExecution";
    expect(
      iam.stepFunctions(request(signedAs(HANDLER_ENTRIES.adminHttp, "states", target), body)),
    ).toBeUndefined();
    const answer = iam.stepFunctions(request(signedAs(HANDLER_ENTRIES.partnerHttp, "states", target), body));
    expect(JSON.parse(answer?.body ?? "{}").Message).toContain(
      `states:StartExecution on resource: ${formationArn()}`,
    );
  });

  it("lets the developer's own credentials (the CLI, tests) do anything", () => {
    const body = { TableName: "AnyTable", Key: { pk: { S: "A" }, sk: { S: "B" } } };
    expect(
      iam.dynamodb(request(signedAs(undefined, "dynamodb", "DynamoDB_20120810.DeleteItem"), body)),
    ).toBeUndefined();
  });

  it("lets API Gateway invoke the admin function only from the admin routes", () => {
    const admin = fn(HANDLER_ENTRIES.adminHttp).arn;
    const api = `arn:aws:execute-api:us-east-1:000000000000:${Object.keys(assembly.template.Resources).find((id) => assembly.template.Resources[id]?.Type === "AWS::ApiGatewayV2::Api")}`;
    expect(iam.mayInvoke(admin, "apigateway.amazonaws.com", `${api}/$default/POST/admin/{proxy+}`)).toBe(
      true,
    );
    expect(iam.mayInvoke(admin, "apigateway.amazonaws.com", `${api}/$default/GET/r/{requestId}`)).toBe(false);
  });
});
