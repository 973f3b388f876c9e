import type { AllianceDraft, ContactAmendment, ReviewPacket } from "../domain";
import type { RequestKind } from "../requests/registry";

/** Where an alliance is in its life. */
export type AllianceStatus = "DRAFT" | "FORMING" | "ACTIVE" | "DISSOLVED" | "CANCELLED";

/** Who did something: an admin, a partner's contact (through a link), or Concord itself. */
export type Actor =
  | { kind: "admin"; id: string }
  /** A partner's contact, through a request's link or the "raise a concern" link under an email. */
  | { kind: "partner"; partnerId: string; email: string; requestId?: string; concernLinkId?: string }
  | { kind: "system"; id: string };

/** A partner comment collected when the charter was not approved. */
export interface RejectionComment {
  partnerId: string;
  vote: "reject" | "abstain" | "approve";
  comment: string;
}

/** The alliance record (`META`). */
export interface AllianceRecord {
  id: string;
  name: string;
  status: AllianceStatus;
  mode: "full" | "light-touch";
  version: number;
  createdAt: string;
  updatedAt: string;
  nextReviewAt?: string;
  activatedAt?: string;
  /** The charter version the alliance formed on (its formation collected the interest maps); later versions come from reviews. */
  formedVersion?: number;
  formationExecutionArn?: string;
  /** Why an admin cancelled it before it became ACTIVE. */
  cancelReason?: string;
  lastRejection?: { at: string; version: number; comments: RejectionComment[]; reason: string };
  auditFindings?: { area: string; severity: string; message: string }[];
  /** Contacts replaced by an admin since the draft was submitted, in order (applied over every version). */
  contactAmendments?: ContactAmendment[];
  /** How many realignment reviews have started. */
  reviewCycle?: number;
  /** The review running now, if one is: never two at once. */
  reviewRunning?: string;
  /** How many formal exits have started (the next one's number is this plus one). */
  exitCycle?: number;
  /** How many escalations have been raised (the next one's number is this plus one). */
  escalationCycle?: number;
}

/** One realignment review of an alliance (`REVIEW#<reviewId>`). */
export interface ReviewRecord {
  reviewId: string;
  allianceId: string;
  cycle: number;
  status: "RUNNING" | "CLOSED";
  startedAt: string;
  charterVersion: number;
  closedAt?: string;
  outcome?: "continue" | "adjust-goals" | "escalate" | "exit-recommended";
  reason?: string;
  /** The charter version the review's adjusted goals became (adjust-goals only). */
  adoptedVersion?: number;
  /** What the partners read before answering, as it stood when the review started. */
  packet?: ReviewPacket;
  /** When the summary went to everyone (it goes at least once; a crash before this mark sends it again). */
  summarySentAt?: string;
}

/** One health check-in of an alliance (`CHECKIN#<checkInId>`). */
export interface CheckInRecord {
  checkInId: string;
  allianceId: string;
  cycle: number;
  status: "RUNNING" | "CLOSED";
  startedAt: string;
  charterVersion: number;
  closedAt?: string;
  /** The average health score given (absent when nobody answered). */
  average?: number;
  answered?: number;
  asked?: number;
  /** The average fell below the charter's threshold and brought the review forward. */
  alarm?: boolean;
}

/** Where a formal exit stands. */
export type ExitStatus = "NOTICE" | "ASSET_DIVISION" | "OBLIGATIONS" | "COMPLETED" | "CANCELLED";

/** One asset's division as an exit planned it: the rule, the sentence for emails, and what must move. */
export interface ExitDivisionLine {
  asset: string;
  rule: string;
  summary: string;
  /** Absent on exits recorded before transfers were kept: none. */
  transfers?: { from: string; to: string; share: number; what: "hand-over" | "buyout" | "license" }[];
}

/** One formal exit (`EXIT#<exitId>`): a partner leaving, or (partnerId "all") the alliance dissolving. */
export interface ExitRecord {
  exitId: string;
  allianceId: string;
  /** The leaving partner, or "all" for a dissolution. */
  partnerId: string;
  status: ExitStatus;
  reason: string;
  effectiveDate: string;
  /** The notice was shortened under the charter's force-majeure clause. */
  forceMajeure: boolean;
  requestedBy: Actor;
  startedAt: string;
  charterVersion: number;
  executionArn?: string;
  /** The asset division as planned at the notice (see divisionPlan). */
  division: ExitDivisionLine[];
  /** How the partners answered the division round, once it closed. */
  divisionSettlement?: {
    approved: string[];
    /** Partners (ids) that did not answer: counted as not objecting. */
    silent: string[];
    /** Partners whose silence is excused (force majeure): it cannot count as consent, so the admin decides. */
    excused?: string[];
    contests: { partnerId: string; reason: string }[];
    /** Assets the charter gives no rule: the admin decides them even when no one contests. */
    undivided: string[];
    settledAt: string;
  };
  /** The admin's decision on a contested (or undivided) division. */
  divisionDecision?: {
    resolution: string;
    /** The transfers as decided, replacing the plan's; absent: the plan's transfers stand. */
    transfers?: {
      asset: string;
      from: string;
      to: string;
      share: number;
      what: "hand-over" | "buyout" | "license";
    }[];
    decidedBy: Actor;
    decidedAt: string;
  };
  /** The waiting workflow's task token while the admin decides the division (server-side only, never shown). */
  divisionTaskToken?: string;
  /** The wind-down obligations, set when the division is settled (see windDownObligations). */
  obligations?: { id: string; owner: string; what: string; asset?: string; dueDate: string }[];
  closedAt?: string;
  cancelReason?: string;
}

/** A partner that is leaving or has left (`PARTNER#<partnerId>`); a partner without one is ACTIVE. */
export interface PartnerStatusRecord {
  allianceId: string;
  partnerId: string;
  status: "EXITING" | "EXITED";
  exitId: string;
  exitedAt?: string;
}

/** One version of the draft and charter. */
export interface RevisionRecord {
  allianceId: string;
  version: number;
  draft: AllianceDraft;
  submittedAt: string;
  submittedBy: Actor;
  /**
   * The version the partners last voted on (not approved) and each comment they left on it, with the organiser's
   * answer where one was given: what this version's approval emails say changed, and how the comments were answered.
   */
  answersTo?: { version: number; comments: AnsweredComment[] };
}

/** A partner's comment on a version that was not approved, and the organiser's answer in the next version. */
export interface AnsweredComment extends RejectionComment {
  answer?: string;
}

export type { RequestKind } from "../requests/registry";

/** Lifecycle of a partner request (link). */
export type RequestStatus = "OPEN" | "DECIDED" | "EXPIRED" | "CANCELLED" | "DELEGATED";

/** A request: the server side of an emailed link. The task token never leaves the server. */
export interface RequestRecord {
  requestId: string;
  allianceId: string;
  /** The workflow instance that asks (e.g. "formation-v0002"); see OutcomeRecord. */
  instance: string;
  /** The charter version whose partners and words the request uses. */
  charterVersion: number;
  kind: RequestKind;
  /** Whose decision this is (a partner id); several contacts asked for one decision share it. */
  respondent: string;
  /** Several contacts were asked for this one decision: the first to decide wins. */
  shared?: boolean;
  partnerId: string;
  contactEmail: string;
  contactName: string;
  secretHash: string;
  /** Hashes of secrets mailed later (a reminder mails a fresh link; every mailed link works until the request closes). */
  extraSecretHashes?: string[];
  taskToken: string;
  /** The execution waiting for this request's decision. */
  executionArn?: string;
  createdAt: string;
  deadline: string;
  remindAt?: string;
  remindedAt?: string;
  notifiedAt?: string;
  status: RequestStatus;
  decidedAt?: string;
  decision?: unknown;
  /** When the workflow was told of the decision (SendTaskSuccess answered, or the task had closed). */
  resumedAt?: string;
  delegatedTo?: string;
  delegatedFrom?: string;
  closedReason?: string;
}

/** Where one asked-for decision stands. */
export type OutcomeStatus = "OPEN" | "DECIDED" | "MISSED";

/**
 * One decision a workflow instance asks for, from one respondent: the generic outcome record every workflow
 * reads back by instance (the tally reads the votes, activation the interest maps). It lists the requests
 * (links) that may give it; the first decision wins; a miss records what silence counted as.
 */
export interface OutcomeRecord {
  allianceId: string;
  instance: string;
  kind: RequestKind;
  respondent: string;
  partnerId: string;
  charterVersion: number;
  status: OutcomeStatus;
  requestIds: string[];
  deadline: string;
  openedAt: string;
  decision?: unknown;
  decidedAt?: string;
  decidedBy?: { name: string; email: string; requestId: string };
  /** On a miss: what the silence counted as ("abstain", "not provided", …). */
  countedAs?: string;
  /** On a miss while the partner's deadlines were suspended (force majeure): the silence counts neither way. */
  excused?: boolean;
}

/** One entry of the alliance timeline. */
export interface TimelineEvent {
  at: string;
  type: string;
  summary: string;
  actor: Actor;
  requestId?: string;
  data?: Record<string, unknown>;
}

/** Where an escalation stands. */
export type EscalationStatus = "OPEN" | "RESOLVED" | "WITHDRAWN" | "EXHAUSTED";

/** What a concern is about. */
export type ConcernKind = "dispute" | "free-rider" | "missed-commitment" | "force-majeure";

/** One rung an escalation reached: when, until when, and how it ended. */
export interface EscalationRungRecord {
  name: string;
  startedAt: string;
  deadline: string;
  /** "skipped": a force-majeure concern started above it. */
  outcome?: "resolved" | "escalated" | "vetoed" | "missed" | "skipped";
  reason?: string;
  vetoedBy?: { partnerId: string; reason?: string }[];
  closedAt?: string;
}

/** One escalation (`ESCALATION#<escalationId>`): a concern walked up the charter's ladder. */
/** A workflow execution of the alliance that stopped without finishing, until an admin retries it (`PROBLEM#`). */
export interface ProblemRecord {
  allianceId: string;
  executionArn: string;
  executionName: string;
  /** The workflow ("formation", "realignment", …). */
  workflow: string;
  status: "FAILED" | "TIMED_OUT" | "ABORTED";
  error?: string;
  cause?: string;
  /** When it stopped (the event's stopDate), which also tells two failures of one execution apart. */
  stoppedAt: string;
}

/** A partner's deadlines suspended by a force-majeure concern: its misses in [from, until) are excused. */
export interface SuspensionRecord {
  allianceId: string;
  partnerId: string;
  escalationId: string;
  from: string;
  until: string;
}

export interface EscalationRecord {
  escalationId: string;
  allianceId: string;
  subject: string;
  description: string;
  kind: ConcernKind;
  /** The partners the concern is about. */
  partnerIds: string[];
  critical: boolean;
  raisedBy: Actor;
  raisedAt: string;
  charterVersion: number;
  status: EscalationStatus;
  /** The rung it is at (0-based index into the charter's ladder). */
  rung: number;
  /** The rungs reached so far, in order (index = rung). */
  rungs: EscalationRungRecord[];
  resolution?: { text: string; rung: number; at: string };
  executionArn?: string;
  closedAt?: string;
  withdrawReason?: string;
}
