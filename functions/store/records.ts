import type { AllianceDraft } from "../domain";

/** Where an alliance is in its life. */
export type AllianceStatus = "DRAFT" | "FORMING" | "ACTIVE" | "DISSOLVED";

/** Who did something: an admin, a partner's contact (through a link), or Concord itself. */
export type Actor =
  | { kind: "admin"; id: string }
  | { kind: "partner"; partnerId: string; email: string; requestId: string }
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
  formationExecutionArn?: string;
  lastRejection?: { at: string; version: number; comments: RejectionComment[]; reason: string };
  auditFindings?: { area: string; severity: string; message: string }[];
}

/** One version of the draft and charter. */
export interface RevisionRecord {
  allianceId: string;
  version: number;
  draft: AllianceDraft;
  submittedAt: string;
  submittedBy: Actor;
}

/** What a partner request asks for. */
export type RequestKind = "interest-map" | "charter-approval";

/** Lifecycle of a partner request (link). */
export type RequestStatus = "OPEN" | "DECIDED" | "EXPIRED" | "CANCELLED" | "DELEGATED";

/** A partner request: the server side of an emailed link. The task token never leaves the server. */
export interface RequestRecord {
  requestId: string;
  allianceId: string;
  version: number;
  kind: RequestKind;
  partnerId: string;
  contactEmail: string;
  contactName: string;
  secretHash: string;
  /** Hashes of secrets mailed later (a reminder mails a fresh link; every mailed link works until the request closes). */
  extraSecretHashes?: string[];
  taskToken: string;
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

/** One entry of the alliance timeline. */
export interface TimelineEvent {
  at: string;
  type: string;
  summary: string;
  actor: Actor;
  requestId?: string;
  data?: Record<string, unknown>;
}
