export * from "./alliances";
export { INDEX, keys } from "./keys";
export * from "./records";
export * from "./requests";
export {
  claimReview,
  closeReviewRecord,
  type DueReview,
  dueReviews,
  getReview,
  listReviews,
  putReview,
  releaseReview,
} from "./reviews";
export { isConditionFailure } from "./table";
export { appendTimeline, appendTimelineEvents, readTimeline, timelinePut } from "./timeline";
export { readTrustLedger, recordTrustEntry } from "./trust";
