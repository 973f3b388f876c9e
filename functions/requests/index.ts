// The request engine every workflow shares: request kinds (registry), the ask-and-wait tasks (open, missed),
// partner pages (show, decide, hand over), reminders, resuming workflows, and admin actions on requests.
export { decide, decisionView, handOver, showRequest } from "./decide";
export { type Extension, extendRound, type PendingRound, pendingRounds, roundIdOf } from "./extend";
export type { FormContext, KindWords, RequestContext, RequestKindSpec, Silence } from "./kind";
export { type MissedResult, recordMissedDeadline } from "./missed";
export { openAsk } from "./open";
export { decisionsOf, outcomeState, roundOf } from "./outcomes";
export {
  type AskTask,
  AskTaskSchema,
  DEADLINE_EXTENDED_ERROR,
  InstanceSchema,
  type MissedTask,
  MissedTaskSchema,
  type Recipient,
  RecipientSchema,
  type Round,
  RoundSchema,
  respondentOf,
} from "./payloads";
export {
  addRequestKind,
  type DecisionOf,
  type RequestKind,
  RequestKindSchema,
  requestKind,
} from "./registry";
export { sendDueReminders } from "./remind";
export {
  answerTask,
  executionOf,
  RESUME_GRACE_MS,
  resumeStalledDecisions,
  resumeWorkflow,
  withdrawRequest,
} from "./resume";
