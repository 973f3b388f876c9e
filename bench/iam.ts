/**
 * What IAM enforcement costs the local cloud per AWS call: the gate in front of each service, run in-process on the
 * synthesized stack's real roles with the requests a formation makes (a transaction of the request engine, a send
 * of an email, a SendTaskSuccess), signed as the functions that make them. Allowed calls only: that is the hot path.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Gate } from "../local/gate-proxy";
import { IamEnforcement } from "../local/iam/enforcement";
import { LambdaHost } from "../local/lambda/host";
import { createSharedClock } from "../local/lambda/shared-clock";
import { LOCAL_ACCOUNT_ID, LOCAL_STACK_NAME, synthesizeForLocal } from "../local/synth";
import { type BenchRow, type BenchSection, sampled } from "./stats";

const BATCHES = 30;
const CALLS_PER_BATCH = 2_000;

/** The `iam` section. */
export const iamSection: BenchSection = {
  name: "iam",
  description: "IAM enforcement cost per AWS call (the local cloud's gates, on the real roles)",
  run: benchIam,
};

async function benchIam(): Promise<BenchRow[]> {
  const naming = { region: "us-east-1", accountId: LOCAL_ACCOUNT_ID, stackName: LOCAL_STACK_NAME };
  const assembly = await synthesizeForLocal({ region: naming.region });
  // Only for its per-function credentials; no container is started.
  const host = new LambdaHost({
    functions: assembly.functions,
    moduleOf: () => ({ modulePath: "", exportName: "handler" }),
    clock: createSharedClock({ anchorSimMs: 0, anchorRealEpochMs: 0, rate: 1, latestMs: 0 }),
    runtimeEnvironment: {},
  });
  let denied = 0;
  const iam = new IamEnforcement({
    template: assembly.template,
    naming,
    functionOfAccessKey: (keyId) => host.functionOfAccessKey(keyId),
    log: () => {},
    onDenied: () => denied++,
  });
  const fn = (fragment: string) => {
    const found = assembly.functions.find((f) => f.logicalId.includes(fragment));
    if (!found) throw new Error(`no function like ${fragment} in the stack`);
    return found;
  };
  const signedBy = (name: string, service: string): IncomingHttpHeaders => {
    const keyId = host.environmentOf(fn(name)).AWS_ACCESS_KEY_ID;
    return {
      authorization: `AWS4-HMAC-SHA256 Credential=${keyId}/20261202/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`,
    };
  };
  const table = fn("RequestOpen").environment.TABLE_NAME ?? "";
  const mailFrom = fn("RequestOpen").environment.MAIL_FROM ?? "";
  const transaction = JSON.stringify({
    TransactItems: [
      { Put: { TableName: table, Item: { pk: { S: "A#1" }, sk: { S: "REQUEST#1" } } } },
      {
        Update: {
          TableName: table,
          Key: { pk: { S: "A#1" }, sk: { S: "OUTCOME#1" } },
          UpdateExpression: "SET s = :s",
        },
      },
      {
        ConditionCheck: {
          TableName: table,
          Key: { pk: { S: "A#1" }, sk: { S: "META" } },
          ConditionExpression: "attribute_exists(pk)",
        },
      },
    ],
  });
  const cases: { name: string; gate: Gate; headers: IncomingHttpHeaders; url: string; body: string }[] = [
    {
      name: "DynamoDB TransactWriteItems (3 items)",
      gate: iam.dynamodb,
      headers: {
        ...signedBy("RequestOpen", "dynamodb"),
        "x-amz-target": "DynamoDB_20120810.TransactWriteItems",
      },
      url: "/",
      body: transaction,
    },
    {
      name: "SES SendEmail",
      gate: iam.ses,
      headers: signedBy("RequestOpen", "ses"),
      url: "/",
      body: new URLSearchParams({
        Action: "SendEmail",
        Source: mailFrom,
        "Destination.ToAddresses.member.1": "lead@example.com",
        "Message.Subject.Data": "Subject",
        "Message.Body.Text.Data": "Body",
      }).toString(),
    },
    {
      name: "Step Functions SendTaskSuccess",
      gate: iam.stepFunctions,
      headers: { ...signedBy("PartnerHttp", "states"), "x-amz-target": "AWSStepFunctions.SendTaskSuccess" },
      url: "/",
      body: JSON.stringify({ taskToken: "t".repeat(200), output: "{}" }),
    },
  ];
  const rows: BenchRow[] = [];
  for (const c of cases) {
    const request = { method: "POST", url: c.url, headers: c.headers, body: Buffer.from(c.body) };
    const perCallUs: number[] = [];
    for (let batch = 0; batch < BATCHES; batch++) {
      const started = performance.now();
      for (let i = 0; i < CALLS_PER_BATCH; i++) c.gate(request);
      perCallUs.push(((performance.now() - started) * 1000) / CALLS_PER_BATCH);
    }
    rows.push(sampled(`IAM check per call: ${c.name}`, perCallUs.slice(3), "µs"));
  }
  if (denied > 0) throw new Error(`the benchmark's calls should all be allowed; ${denied} were denied`);
  return rows;
}
