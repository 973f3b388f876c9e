/**
 * The single table's key shapes and index names — the one place that knows them.
 *
 * Alliance partition `ALLIANCE#<id>`:
 *   META                          the alliance (status, current charter version, next review)
 *   REVISION#<v>                  a charter/draft version, insert-only
 *   OUTCOME#<instance>#<kind>#<respondent>
 *                                 one decision a workflow instance asks for (e.g. formation-v0001,
 *                                 charter-approval, acme): its requests, status, the decision or the miss
 *   REQUEST#<requestId>           a request (link): who may act, deadline, status, task token
 *   TIMELINE#<iso time>#<seq>     the alliance's memory, insert-only
 *   TRUST#<iso time>#<entryId>    the trust ledger: one deposit or withdrawal, insert-only
 *   REVIEW#<reviewId>             one realignment review: status, outcome
 *   CHECKIN_SCHEDULE              when the next health check-in is due (on the reviews-due index under
 *                                 CHECKIN_DUE while it waits), which one runs
 *   CHECKIN#<checkInId>           one health check-in: status, average
 *   EXIT#<exitId>                 one formal exit (a partner's, or the dissolution): status, dates, division
 *   PARTNER#<partnerId>           a partner that is leaving or has left (absent: ACTIVE); the exit's claim
 *   ESCALATION#<escalationId>     one escalation: the concern, its rung, each rung's outcome, the resolution
 *   CONCERN#<kind>#<partnerId>    the open escalation of that kind against that partner (one at a time)
 *   PROBLEM#<executionName>       a workflow execution of the alliance that failed, timed out or was stopped from
 *                                 outside Concord, until an admin retries it
 *   SUSPENSION#<partnerId>#<escalationId>
 *                                 a force-majeure concern's suspension of that partner's deadlines
 * Lookup partition `REQUEST#<requestId>` / LOOKUP → the alliance a link belongs to.
 * Name partition `ALLIANCE_NAME#<name, lower case, spaces collapsed>` / LATEST → the newest alliance of that name.
 * Link partition `CONCERN_LINK#<linkId>` / LINK → a "raise a concern" link from one email's footer: the alliance,
 *                                 the contact it was sent to, the hash of its secret, when it expires.
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
  /** Check-in schedules that wait, on the same sparse index as reviews (their own partition: a sweep reads one). */
  checkInsDue: "CHECKIN_DUE",
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
  outcome: (allianceId: string, instance: string, kind: string, respondent: string) => ({
    pk: `ALLIANCE#${allianceId}`,
    sk: `OUTCOME#${instance}#${kind}#${respondent}`,
  }),
  /** Every outcome of an instance, or of one kind in it. */
  outcomePrefix: (instance: string, kind?: string) =>
    `OUTCOME#${instance}#${kind === undefined ? "" : `${kind}#`}`,
  request: (allianceId: string, requestId: string) => ({
    pk: `ALLIANCE#${allianceId}`,
    sk: `REQUEST#${requestId}`,
  }),
  requestPrefix: "REQUEST#",
  requestLookup: (requestId: string) => ({ pk: `REQUEST#${requestId}`, sk: "LOOKUP" }),
  timeline: (allianceId: string, at: string, seq: string) => ({
    pk: `ALLIANCE#${allianceId}`,
    sk: `TIMELINE#${at}#${seq}`,
  }),
  timelinePrefix: "TIMELINE#",
  trustEntry: (allianceId: string, at: string, entryId: string) => ({
    pk: `ALLIANCE#${allianceId}`,
    sk: `TRUST#${at}#${entryId}`,
  }),
  trustPrefix: "TRUST#",
  review: (allianceId: string, reviewId: string) => ({
    pk: `ALLIANCE#${allianceId}`,
    sk: `REVIEW#${reviewId}`,
  }),
  reviewPrefix: "REVIEW#",
  checkInSchedule: (allianceId: string) => ({ pk: `ALLIANCE#${allianceId}`, sk: "CHECKIN_SCHEDULE" }),
  checkIn: (allianceId: string, checkInId: string) => ({
    pk: `ALLIANCE#${allianceId}`,
    sk: `CHECKIN#${checkInId}`,
  }),
  checkInPrefix: "CHECKIN#",
  exit: (allianceId: string, exitId: string) => ({ pk: `ALLIANCE#${allianceId}`, sk: `EXIT#${exitId}` }),
  exitPrefix: "EXIT#",
  partnerStatus: (allianceId: string, partnerId: string) => ({
    pk: `ALLIANCE#${allianceId}`,
    sk: `PARTNER#${partnerId}`,
  }),
  partnerStatusPrefix: "PARTNER#",
  escalation: (allianceId: string, escalationId: string) => ({
    pk: `ALLIANCE#${allianceId}`,
    sk: `ESCALATION#${escalationId}`,
  }),
  escalationPrefix: "ESCALATION#",
  concern: (allianceId: string, kind: string, partnerId: string) => ({
    pk: `ALLIANCE#${allianceId}`,
    sk: `CONCERN#${kind}#${partnerId}`,
  }),
  suspension: (allianceId: string, partnerId: string, escalationId: string) => ({
    pk: `ALLIANCE#${allianceId}`,
    sk: `SUSPENSION#${partnerId}#${escalationId}`,
  }),
  suspensionPrefix: (partnerId: string) => `SUSPENSION#${partnerId}#`,
  problem: (allianceId: string, executionName: string) => ({
    pk: `ALLIANCE#${allianceId}`,
    sk: `PROBLEM#${executionName}`,
  }),
  problemPrefix: "PROBLEM#",
  allianceName: (name: string) => ({
    pk: `ALLIANCE_NAME#${name.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim()}`,
    sk: "LATEST",
  }),
  concernLink: (linkId: string) => ({ pk: `CONCERN_LINK#${linkId}`, sk: "LINK" }),
  partition: (allianceId: string) => `ALLIANCE#${allianceId}`,
};
