// The mail module's public API: email templates (pure), the charter summary renderer, and the SES send call.
export {
  type CharterSummary,
  type CharterSummarySection,
  charterSummary,
  charterSummaryHtml,
  charterSummaryText,
  decisionRuleInWords,
} from "./charter-summary";
export {
  type DateInput,
  formatDate,
  formatDateTime,
  formatDeadline,
  formatShortDate,
  InvalidMailDateError,
  relativeTime,
} from "./dates";
export { absoluteLink, type Email, InvalidLinkError } from "./layout";
export { InvalidEmailError, MissingMessageIdError, type OutgoingEmail, sendEmail } from "./send";
export {
  auditFailed,
  charterApprovalRequest,
  deadlineMissed,
  delegatedToYou,
  interestMapRequest,
  reminder,
  returnedToDraft,
  welcome,
} from "./templates";
