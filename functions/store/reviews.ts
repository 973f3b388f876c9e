import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { keys } from "./keys";
import type { ReviewRecord } from "./records";
import { appliedUnlessConditionFails, queryAll, stripKeys, table } from "./table";

/** Records a review as started; false when it already was (a retried task). */
export async function putReview(review: ReviewRecord): Promise<boolean> {
  const { client, name } = table();
  return appliedUnlessConditionFails(() =>
    client.send(
      new PutCommand({
        TableName: name,
        Item: { ...keys.review(review.allianceId, review.reviewId), ...review },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    ),
  );
}

/** One review, if it exists. */
export async function getReview(allianceId: string, reviewId: string): Promise<ReviewRecord | undefined> {
  const { client, name } = table();
  const { Item } = await client.send(
    new GetCommand({ TableName: name, Key: keys.review(allianceId, reviewId) }),
  );
  return Item ? stripKeys<ReviewRecord>(Item) : undefined;
}

/** Closes a running review with its outcome; false when it was already closed. */
export async function closeReviewRecord(
  allianceId: string,
  reviewId: string,
  closed: Pick<ReviewRecord, "closedAt" | "outcome" | "reason">,
): Promise<boolean> {
  const { client, name } = table();
  return appliedUnlessConditionFails(() =>
    client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.review(allianceId, reviewId),
        UpdateExpression: "SET #status = :closed, closedAt = :at, outcome = :outcome, reason = :reason",
        ConditionExpression: "#status = :running",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":closed": "CLOSED",
          ":running": "RUNNING",
          ":at": closed.closedAt,
          ":outcome": closed.outcome,
          ":reason": closed.reason,
        },
      }),
    ),
  );
}

/** Every review of the alliance, oldest first. */
export async function listReviews(allianceId: string): Promise<ReviewRecord[]> {
  return queryAll<ReviewRecord>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": keys.partition(allianceId), ":prefix": keys.reviewPrefix },
  });
}

/**
 * Makes `reviewId` the alliance's running review, only while the alliance is ACTIVE and no review runs (or this one
 * already does: a retry); false otherwise. One review at a time is this condition.
 */
export async function claimReview(allianceId: string, reviewId: string, cycle: number): Promise<boolean> {
  const { client, name } = table();
  return appliedUnlessConditionFails(() =>
    client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.alliance(allianceId),
        UpdateExpression: "SET reviewRunning = :id, reviewCycle = :cycle",
        ConditionExpression:
          "#status = :active AND (attribute_not_exists(reviewRunning) OR reviewRunning = :id)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":id": reviewId, ":cycle": cycle, ":active": "ACTIVE" },
      }),
    ),
  );
}

/** Gives up a claim that started nothing (the execution could not be started). */
export async function releaseReview(allianceId: string, reviewId: string): Promise<void> {
  const { client, name } = table();
  await appliedUnlessConditionFails(() =>
    client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.alliance(allianceId),
        UpdateExpression: "REMOVE reviewRunning",
        ConditionExpression: "reviewRunning = :id",
        ExpressionAttributeValues: { ":id": reviewId },
      }),
    ),
  );
}
