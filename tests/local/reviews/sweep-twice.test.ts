import { readFile } from "node:fs/promises";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCloud, type TestCloud } from "../cloud";

// The review sweep, run twice in the same minute (two schedule deliveries, or a retried one): one review starts,
// because the claim on the alliance and the execution's name both belong to the review's cycle.

const ALLIANCE = "twice-0001-abcd1234";
const SWEEP_EVENT = { "detail-type": "Scheduled Event", time: "2027-01-01T00:00:00Z", source: "aws.events" };

describe("the review sweep run twice at once", () => {
  let test: TestCloud;
  let documents: DynamoDBDocumentClient;
  let tableName: string;

  beforeAll(async () => {
    test = await startTestCloud();
    const { cloud } = test;
    tableName = cloud.lambdas.functions[0]?.environment.TABLE_NAME ?? "";
    documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: cloud.dynamodb.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      }),
    );
    const draft = JSON.parse(await readFile("examples/pilot-three-partners.json", "utf8"));
    const now = new Date(cloud.clock.now()).toISOString();
    const due = new Date(cloud.clock.now() - 86_400_000).toISOString();
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: `ALLIANCE#${ALLIANCE}`,
          sk: "REVISION#0001",
          allianceId: ALLIANCE,
          version: 1,
          draft,
          submittedAt: now,
          submittedBy: { kind: "admin", id: "test" },
        },
      }),
    );
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: `ALLIANCE#${ALLIANCE}`,
          sk: "META",
          id: ALLIANCE,
          name: draft.name,
          status: "ACTIVE",
          mode: "full",
          version: 1,
          createdAt: now,
          updatedAt: now,
          activatedAt: now,
          nextReviewAt: due,
          gsi1pk: "REVIEW_DUE",
          gsi1sk: `${due}#${ALLIANCE}`,
        },
      }),
    );
  }, 120_000);
  afterAll(async () => {
    documents?.destroy();
    await test?.stop();
  });

  it("starts one review execution, named after the cycle", async () => {
    const { cloud } = test;
    const sweep = cloud.lambdas.functions.find((fn) => fn.entry === "functions/handlers/review-sweep.ts");
    expect(sweep).toBeDefined();
    const results = (await Promise.all([
      cloud.lambdas.invoke(sweep?.name ?? "", SWEEP_EVENT),
      cloud.lambdas.invoke(sweep?.name ?? "", SWEEP_EVENT),
    ])) as { reviews: { due: number; started: number } }[];
    expect(results.reduce((sum, r) => sum + r.reviews.started, 0)).toBe(1);

    const { stateMachines } = await cloud.stepFunctions.listStateMachines();
    const machine = stateMachines.find((m) => m.name === "concord-realignment");
    const { executions } = await cloud.stepFunctions.listExecutions({
      stateMachineArn: machine?.stateMachineArn ?? "",
    });
    expect(executions.map((e) => e.name)).toEqual([`review-${ALLIANCE}-0001`]);
    const { Item } = await documents.send(
      new GetCommand({ TableName: tableName, Key: { pk: `ALLIANCE#${ALLIANCE}`, sk: "META" } }),
    );
    expect(Item).toMatchObject({ reviewCycle: 1, reviewRunning: `review-${ALLIANCE}-0001` });
    // And the timeline says once that it started.
    const { Items } = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": `ALLIANCE#${ALLIANCE}`, ":prefix": "TIMELINE#" },
      }),
    );
    expect((Items ?? []).filter((e) => e.type === "review.late" || e.type === "review.due")).toHaveLength(1);
  });
});
