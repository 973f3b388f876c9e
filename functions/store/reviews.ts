import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { revisionPut } from "./alliances";
import { INDEX, INDEX_PARTITION, keys } from "./keys";
import type { ReviewRecord, RevisionRecord, TimelineEvent } from "./records";
import {
  appliedUnlessConditionFails,
  getOne,
  moveStatus,
  putOnce,
  queryAll,
  queryPrefix,
  table,
  transactUnlessConditionFails,
} from "./table";
import { timelinePut } from "./timeline";

/** Records a review as started; false when it already was (a retried task). */
export function putReview(review: ReviewRecord): Promise<boolean> {
  return putOnce(keys.review(review.allianceId, review.reviewId), review);
}

/** One review, if it exists. */
export function getReview(allianceId: string, reviewId: string): Promise<ReviewRecord | undefined> {
  return getOne<ReviewRecord>(keys.review(allianceId, reviewId));
}

/** Closes a running review with its outcome; false when it was already closed. */
export function closeReviewRecord(
  allianceId: string,
  reviewId: string,
  closed: Pick<ReviewRecord, "closedAt" | "outcome" | "reason">,
): Promise<boolean> {
  return moveStatus(keys.review(allianceId, reviewId), "RUNNING", "CLOSED", closed);
}

/**
 * Makes a review's adjusted goals the charter's next version, in one transaction: the revision, the alliance's
 * version (only while ACTIVE at `expectedVersion`), the review's `adoptedVersion` (only once) and the timeline entry.
 * False when it did not apply (done already by an earlier attempt, or the alliance moved on).
 */
export async function adoptReviewedRevision(input: {
  reviewId: string;
  expectedVersion: number;
  revision: RevisionRecord;
  event: TimelineEvent;
}): Promise<boolean> {
  const { name } = table();
  const { allianceId, version } = input.revision;
  return transactUnlessConditionFails([
    {
      Update: {
        TableName: name,
        Key: keys.alliance(allianceId),
        UpdateExpression: "SET version = :next, updatedAt = :at",
        ConditionExpression: "#status = :active AND version = :expected",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":next": version,
          ":expected": input.expectedVersion,
          ":active": "ACTIVE",
          ":at": input.revision.submittedAt,
        },
      },
    },
    {
      Update: {
        TableName: name,
        Key: keys.review(allianceId, input.reviewId),
        UpdateExpression: "SET adoptedVersion = :next",
        ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(adoptedVersion)",
        ExpressionAttributeValues: { ":next": version },
      },
    },
    revisionPut(input.revision),
    timelinePut(allianceId, input.event),
  ]);
}

/** Marks the review's summary as sent; false when it already was. */
export async function markReviewSummarySent(
  allianceId: string,
  reviewId: string,
  at: string,
): Promise<boolean> {
  const { client, name } = table();
  return appliedUnlessConditionFails(() =>
    client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.review(allianceId, reviewId),
        UpdateExpression: "SET summarySentAt = :at",
        ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(summarySentAt)",
        ExpressionAttributeValues: { ":at": at },
      }),
    ),
  );
}

/** Every review of the alliance, oldest first. */
export function listReviews(allianceId: string): Promise<ReviewRecord[]> {
  return queryPrefix<ReviewRecord>(allianceId, keys.reviewPrefix);
}

/**
 * Makes `reviewId` the alliance's running review, only while the alliance is ACTIVE and no review runs; false
 * otherwise. One review at a time is this condition. `again` (the workflow's own first step) also accepts the
 * review already claimed for it; a starter (the sweep, an admin) never does, so two starts at once start one.
 */
export async function claimReview(
  allianceId: string,
  reviewId: string,
  cycle: number,
  again: "again" | "fresh" = "fresh",
): Promise<boolean> {
  const { client, name } = table();
  return appliedUnlessConditionFails(() =>
    client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.alliance(allianceId),
        // Off the reviews-due index while it runs: the sweep reads only alliances that still wait for a review.
        UpdateExpression: "SET reviewRunning = :id, reviewCycle = :cycle REMOVE gsi1pk, gsi1sk",
        ConditionExpression:
          again === "again"
            ? "#status = :active AND (attribute_not_exists(reviewRunning) OR reviewRunning = :id)"
            : "#status = :active AND attribute_not_exists(reviewRunning)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":id": reviewId, ":cycle": cycle, ":active": "ACTIVE" },
      }),
    ),
  );
}

/** Gives up a claim that started nothing (the execution could not be started): the alliance is due again. */
export async function releaseReview(
  allianceId: string,
  reviewId: string,
  nextReviewAt?: string,
): Promise<void> {
  const { client, name } = table();
  await appliedUnlessConditionFails(() =>
    client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.alliance(allianceId),
        UpdateExpression: nextReviewAt
          ? "SET gsi1pk = :due, gsi1sk = :sk REMOVE reviewRunning"
          : "REMOVE reviewRunning",
        ConditionExpression: "reviewRunning = :id",
        ExpressionAttributeValues: {
          ":id": reviewId,
          ...(nextReviewAt
            ? { ":due": INDEX_PARTITION.reviewsDue, ":sk": `${nextReviewAt}#${allianceId}` }
            : {}),
        },
      }),
    ),
  );
}

/** An alliance whose review is due, as the reviews-due index lists it. */
export interface DueReview {
  allianceId: string;
  nextReviewAt: string;
  reviewCycle?: number;
}

/**
 * The alliances whose review is due at `at` (ISO time), oldest due first, from the sparse reviews-due index: only
 * ACTIVE alliances that wait for a review are in it, so nothing else is read. Paginated to the end.
 */
export async function dueReviews(at: string): Promise<DueReview[]> {
  const items = await queryAll<Record<string, unknown>>({
    IndexName: INDEX.reviewsDue,
    KeyConditionExpression: "gsi1pk = :due AND gsi1sk <= :at",
    ExpressionAttributeValues: { ":due": INDEX_PARTITION.reviewsDue, ":at": `${at}#\uffff` },
  });
  return items.map((item) => ({
    allianceId: String(item.id),
    nextReviewAt: String(item.nextReviewAt),
    ...(typeof item.reviewCycle === "number" ? { reviewCycle: item.reviewCycle } : {}),
  }));
}
