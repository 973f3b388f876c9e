// The domain module's public API: pure schemas and business rules, no AWS.
export {
  type AlignmentGap,
  type AlignmentReport,
  alignmentGaps,
  sameInterest,
} from "./alignment";
export {
  type ApprovalRound,
  ApprovalRoundSchema,
  type MissedDeadline,
  MissedDeadlineSchema,
  missingVoteCountsAs,
} from "./approval";
export {
  addMonths,
  type CheckIns,
  CheckInsSchema,
  DEFAULT_CHECK_IN_THRESHOLD,
  expectedCadence,
  firstReviewDate,
  type MarketPace,
  MarketPaceSchema,
  monthsBetweenReviews,
  nextReviewDate,
  type Review,
  type ReviewCadence,
  ReviewCadenceSchema,
  type ReviewRules,
  ReviewSchema,
  reviewCadenceOf,
  reviewRulesOf,
} from "./cadence";
export { type Charter, type CharterInput, CharterSchema } from "./charter";
export {
  type AuditArea,
  type AuditFinding,
  auditCharter,
  auditMode,
  type CharterAudit,
  LIGHT_TOUCH_MAX_MONTHS_EXCLUSIVE,
  LIGHT_TOUCH_MAX_PEOPLE_EXCLUSIVE,
} from "./charter-audit";
export {
  broughtForward,
  CHECK_IN_DEADLINE_DAYS,
  CHECK_IN_REMINDER_DAYS,
  type CheckInAnswer,
  CheckInAnswerSchema,
  type CheckInFinding,
  checkInFinding,
  HealthScoreSchema,
  MAX_CHECK_IN_COMMENT,
  REVIEW_BROUGHT_FORWARD_DAYS,
} from "./check-in";
export {
  type ContactAmendment,
  type ContactReplacement,
  ContactReplacementError,
  ContactReplacementSchema,
  replaceContact,
  withContactAmendments,
} from "./contact-amendment";
export {
  type DecisionClassRule,
  DecisionClassRuleSchema,
  type DecisionRule,
  DecisionRuleSchema,
  type DecisionRules,
  DecisionRulesSchema,
  decisionRuleFor,
  MAX_DECISION_CLASSES,
  STANDARD_DECISION_CLASSES,
  type StandardDecisionClass,
} from "./decision-rule";
export {
  type AllianceDraft,
  type AllianceDraftInput,
  AllianceDraftSchema,
  MAX_DRAFT_BYTES,
  type ParseDraftResult,
  parseDraft,
} from "./draft";
export { InvalidDateError, TallyInputError } from "./errors";
export {
  AnyParticipantRuleSchema,
  decideRung,
  defaultEscalationLadder,
  type EscalationLadder,
  EscalationLadderSchema,
  type EscalationRung,
  EscalationRungSchema,
  type RungDecision,
  RungDecisionSchema,
  type RungVerdict,
  type RungVote,
} from "./escalation";
export {
  type AssetDivision,
  type AssetTransfer,
  DEFAULT_WIND_DOWN_DAYS,
  divisionPlan,
  type ExitRequest,
  type ExitSchedule,
  exitSchedule,
  transferSentence,
  type WindDownObligation,
  windDownObligations,
} from "./exit";
export {
  assetDivision,
  type DivisionRule,
  DivisionRuleSchema,
  type ExitTerms,
  ExitTermsSchema,
  type SharedAsset,
  SharedAssetSchema,
} from "./exit-terms";
export {
  DEFAULT_SUSPENSION_DAYS,
  type ForceMajeure,
  ForceMajeureSchema,
  suspensionAt,
  suspensionEnd,
} from "./force-majeure";
export { type InterestMap, InterestMapSchema, parseInterestMap } from "./interest-map";
export { DRAFT_SCHEMA_ID, draftJsonSchema, interestMapJsonSchema } from "./json-schema";
export { type MinorityVeto, MinorityVetoSchema } from "./minority-veto";
export {
  allContacts,
  type Contact,
  type ContactRole,
  ContactRoleSchema,
  ContactSchema,
  type Organiser,
  OrganiserSchema,
  type Partner,
  PartnerSchema,
  type SizeClass,
  SizeClassSchema,
} from "./partner";
export { EmailSchema, multiLine, SlugSchema, singleLine, unsafeTextProblem } from "./primitives";
export {
  decideReview,
  type GoalAnswer,
  GoalAnswerSchema,
  type GoalChange,
  MAX_GOAL_TEXT,
  MAX_PACKET_LEDGER,
  MAX_REVIEW_GOALS,
  MAX_REVIEW_TEXT,
  type ReviewAnswer,
  ReviewAnswerSchema,
  type ReviewDecision,
  type ReviewDecisionInput,
  type ReviewOutcome,
  type ReviewPacket,
} from "./review";
export {
  ACKNOWLEDGEMENT_POINTS,
  type Acknowledgement,
  AcknowledgementSchema,
  MAX_ACKNOWLEDGEMENT_NOTE,
  MAX_TRUST_POINTS,
  signedPoints,
  TRUST_KINDS,
  type TrustDirection,
  type TrustEntry,
  type TrustEntryInput,
  TrustEntryInputSchema,
  type TrustKind,
  trustBalances,
} from "./trust";
export { type FieldError, formatFieldErrors, type ParseResult, parseWith } from "./validation";
export {
  type Tally,
  type TallyOptions,
  tallyVotes,
  type Vote,
  type VoteChoice,
  VoteChoiceSchema,
  VoteSchema,
} from "./vote-tally";
