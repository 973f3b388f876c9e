import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { allianceIsActive } from "./alliances";
import { keys } from "./keys";
import { getOne, table, transactUnlessConditionFails } from "./table";

/** A "raise a concern" link from one email's footer: who it was sent to, in which alliance, until when. */
export interface ConcernLinkRecord {
  linkId: string;
  allianceId: string;
  /** The contact the email went to; whom they act for is read from the alliance when the link is used. */
  email: string;
  /** SHA-256 of the link's secret: the secret itself is only in the email. */
  secretHash: string;
  issuedAt: string;
  expiresAt: string;
  /** expiresAt in epoch seconds: the table's time-to-live attribute, so DynamoDB deletes old links. */
  ttl: number;
}

// One transaction holds at most 100 items: the alliance check plus 99 links.
const LINKS_PER_WRITE = 99;

/**
 * Writes an alliance's concern links, in one write per 99, each with a check that the alliance is ACTIVE: only an alliance
 * past formation has a ladder to raise a concern on. False (nothing written) when it is not ACTIVE.
 */
export async function putConcernLinks(
  allianceId: string,
  links: readonly Omit<ConcernLinkRecord, "allianceId">[],
): Promise<boolean> {
  const { name } = table();
  for (let start = 0; start < links.length; start += LINKS_PER_WRITE) {
    const chunk = links.slice(start, start + LINKS_PER_WRITE);
    const items: NonNullable<TransactWriteCommandInput["TransactItems"]> = [
      allianceIsActive(allianceId),
      ...chunk.map((link) => ({
        Put: {
          TableName: name,
          Item: { ...keys.concernLink(link.linkId), ...link, allianceId },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      })),
    ];
    if (!(await transactUnlessConditionFails(items))) return false;
  }
  return true;
}

/** A concern link by id; undefined when there is none (never issued, or expired and deleted). */
export function getConcernLink(linkId: string): Promise<ConcernLinkRecord | undefined> {
  return getOne<ConcernLinkRecord>(keys.concernLink(linkId));
}
