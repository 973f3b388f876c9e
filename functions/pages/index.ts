// The partner pages' public API: plain HTML documents (no JavaScript) with their status codes, and the
// readers for the forms they post.
export {
  type AssetDivisionSubmission,
  type CharterApprovalField,
  type CharterApprovalSubmission,
  type CheckInSubmission,
  type ConfirmationSubmission,
  type FormErrors,
  type FormSubmission,
  INTEREST_MAP_FIELDS,
  type InterestMapField,
  type InterestMapSubmission,
  MAX_COMMENT_LENGTH,
  type ReviewSubmission,
  readAssetDivisionForm,
  readCharterApprovalForm,
  readCheckInForm,
  readConfirmationForm,
  readInterestMapForm,
  readReviewForm,
} from "./form-input";
export {
  assetDivisionForm,
  type Colleague,
  charterApprovalForm,
  checkInForm,
  confirmationForm,
  delegateCandidates,
  interestMapForm,
  reviewForm,
} from "./forms";
export { PAGE_HEADERS, type Page, pageDocument } from "./layout";
export {
  alreadyDecided,
  cancelled,
  type DecisionView,
  decisionRecorded,
  delegated,
  expired,
  forbidden,
  methodNotAllowed,
  notFound,
  serverError,
  windowClosed,
} from "./results";
