export * from "./alliances";
export {
  type CheckInSchedule,
  claimCheckIn,
  closeCheckInRecord,
  dueCheckIns,
  getCheckIn,
  listCheckIns,
  putCheckIn,
  releaseCheckIn,
  scheduleCheckIn,
  unscheduleCheckIns,
} from "./check-ins";
export { type ConcernLinkRecord, getConcernLink, putConcernLinks } from "./concern-links";
export {
  closeEscalationRecord,
  getEscalation,
  listEscalations,
  openConcern,
  raiseEscalationRecord,
  recordRungs,
  suspensionsOf,
} from "./escalations";
export {
  advanceExit,
  cancelExitRecord,
  completeExitRecord,
  getExit,
  keepDivisionTaskToken,
  listExits,
  partnerStatuses,
  recordDivisionOnce,
  startExitRecord,
} from "./exits";
export { INDEX, keys } from "./keys";
export { clearProblem, listProblems, recordProblem } from "./problems";
export * from "./records";
export * from "./requests";
export {
  adoptReviewedRevision,
  claimReview,
  closeReviewRecord,
  type DueReview,
  dueReviews,
  getReview,
  listReviews,
  markReviewSummarySent,
  putReview,
  releaseReview,
} from "./reviews";
export { isConditionFailure, withConflictRetry } from "./table";
export { appendTimeline, appendTimelineEvents, readTimeline, timelinePut } from "./timeline";
export { readTrustLedger, recordTrustEntry } from "./trust";
