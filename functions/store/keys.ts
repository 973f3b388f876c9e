/**
 * The single table's key shapes and index names — the one place that knows them.
 *
 * Alliance partition `ALLIANCE#<id>`:
 *   META                          the alliance (status, current charter version, next review)
 *   REVISION#<v>                  a charter/draft version, insert-only
 *   INTEREST#<v>#<partner>        a partner's interest map for that version
 *   VOTE#<v>#<partner>            a partner's charter vote for that version
 *   REQUEST#<requestId>           a partner request (link): who may act, deadline, status, task token
 *   SLOT#<slot>                   idempotency: which request a workflow step created for a partner
 *   TIMELINE#<iso time>#<seq>     the alliance's memory, insert-only
 * Lookup partition `REQUEST#<requestId>` / LOOKUP → the alliance a link belongs to.
 */

const pad = (version: number) => String(version).padStart(4, "0");

export const INDEX = {
  reviewsDue: "reviews-due",
  requestsByDeadline: "requests-by-deadline",
  alliances: "alliances",
} as const;

/** Partition value of the sparse indexes. */
export const INDEX_PARTITION = {
  reviewsDue: "REVIEW_DUE",
  openRequests: "OPEN_REQUEST",
  /** Decided requests whose workflow has not yet been told (SendTaskSuccess pending or failed). */
  unresumedDecisions: "UNRESUMED_DECISION",
  alliances: "ALLIANCE",
} as const;

export const keys = {
  alliance: (allianceId: string) => ({ pk: `ALLIANCE#${allianceId}`, sk: "META" }),
  revision: (allianceId: string, version: number) => ({
    pk: `ALLIANCE#${allianceId}`,
    sk: `REVISION#${pad(version)}`,
  }),
  interestMap: (allianceId: string, version: number, partnerId: string) => ({
    pk: `ALLIANCE#${allianceId}`,
    sk: `INTEREST#${pad(version)}#${partnerId}`,
  }),
  interestMapPrefix: (version: number) => `INTEREST#${pad(version)}#`,
  vote: (allianceId: string, version: number, partnerId: string) => ({
    pk: `ALLIANCE#${allianceId}`,
    sk: `VOTE#${pad(version)}#${partnerId}`,
  }),
  votePrefix: (version: number) => `VOTE#${pad(version)}#`,
  request: (allianceId: string, requestId: string) => ({
    pk: `ALLIANCE#${allianceId}`,
    sk: `REQUEST#${requestId}`,
  }),
  requestPrefix: "REQUEST#",
  requestLookup: (requestId: string) => ({ pk: `REQUEST#${requestId}`, sk: "LOOKUP" }),
  slot: (allianceId: string, slot: string) => ({ pk: `ALLIANCE#${allianceId}`, sk: `SLOT#${slot}` }),
  timeline: (allianceId: string, at: string, seq: string) => ({
    pk: `ALLIANCE#${allianceId}`,
    sk: `TIMELINE#${at}#${seq}`,
  }),
  timelinePrefix: "TIMELINE#",
  partition: (allianceId: string) => `ALLIANCE#${allianceId}`,
};
