import * as z from "zod";
import {
  type Acknowledgement,
  AcknowledgementSchema,
  CheckInAnswerSchema,
  MAX_REVIEW_GOALS,
  parseInterestMap,
  ReviewAnswerSchema,
} from "../domain";
import type { CharterApprovalDecision } from "../requests/kinds/charter-approval";
import type { CheckInDecision } from "../requests/kinds/check-in";
import type { InterestMapDecision } from "../requests/kinds/interest-map";
import type { ReviewDecision } from "../requests/kinds/review";
import { stripUnsafe } from "../shared/text";

/** The interest-map form's textareas (one item per line). */
export const INTEREST_MAP_FIELDS = ["explicit", "implicit", "cannotAffordToLose"] as const;
/** A textarea of the interest-map form. */
export type InterestMapField = (typeof INTEREST_MAP_FIELDS)[number];
/** A field of the charter-approval form. */
export type CharterApprovalField = "vote" | "comment";

/** Longest comment accepted with a charter vote. */
export const MAX_COMMENT_LENGTH = 2000;

/** Field errors for re-rendering a form: keyed by field name, plus "delegateTo" and "form" (the whole form). */
export type FormErrors<F extends string> = Partial<Record<F, string>> & {
  delegateTo?: string;
  form?: string;
};

/**
 * A partner form's POST body, read: a decision, a hand-over to a colleague, or field errors to show on the
 * re-rendered form (400). `secret` is the hidden field `s` ("" when absent): check it before anything else.
 */
export type FormSubmission<D, F extends string> =
  | { ok: true; secret: string; action: "decide"; decision: D }
  | { ok: true; secret: string; action: "delegate"; delegateTo: string }
  | { ok: false; secret: string; errors: FormErrors<F>; values: Partial<Record<F, string>> };

/** An interest-map POST, read. */
export type InterestMapSubmission = FormSubmission<InterestMapDecision, InterestMapField>;
/** A charter-approval POST, read. */
export type CharterApprovalSubmission = FormSubmission<CharterApprovalDecision, CharterApprovalField>;

const UNKNOWN_ACTION = "The form was not recognised. Open the link from your email again and retry.";
const DelegateToSchema = z.email();

/** Reads an interest-map form POST (application/x-www-form-urlencoded). */
export function readInterestMapForm(body: string | URLSearchParams): InterestMapSubmission {
  const params = typeof body === "string" ? new URLSearchParams(body) : body;
  const secret = params.get("s") ?? "";
  const values: Partial<Record<InterestMapField, string>> = {};
  for (const field of INTEREST_MAP_FIELDS) values[field] = params.get(field) ?? "";

  const action = params.get("action");
  if (action === "delegate") {
    const delegate = readDelegate(params, secret);
    return delegate.ok ? delegate : { ok: false, secret, errors: delegate.errors, values };
  }
  if (action !== "decide") return { ok: false, secret, errors: { form: UNKNOWN_ACTION }, values };

  const lists = {
    explicit: lines(values.explicit),
    implicit: lines(values.implicit),
    cannotAffordToLose: lines(values.cannotAffordToLose),
  };
  const errors: FormErrors<InterestMapField> = {};
  if (lists.explicit.length === 0) errors.explicit = "Write at least one stated goal, one per line.";
  if (lists.cannotAffordToLose.length === 0) {
    errors.cannotAffordToLose = "Write at least one thing your organisation cannot afford to lose.";
  }
  const parsed = parseInterestMap(lists);
  if (!parsed.ok) {
    for (const error of parsed.errors) {
      const match = /^(\w+)(?:\[(\d+)\])?/.exec(error.path);
      const field = match?.[1];
      if (!isInterestMapField(field) || errors[field] !== undefined) continue;
      const item = match?.[2];
      errors[field] =
        item === undefined ? `This box ${error.message}.` : `Item ${Number(item) + 1} ${error.message}.`;
    }
    if (Object.keys(errors).length === 0)
      errors.form = "The interest map could not be read; please check each box.";
    return { ok: false, secret, errors, values };
  }
  if (Object.keys(errors).length > 0) return { ok: false, secret, errors, values };
  return {
    ok: true,
    secret,
    action: "decide",
    decision: { kind: "interest-map", interestMap: parsed.interestMap },
  };
}

/** Reads a charter-approval form POST (application/x-www-form-urlencoded). */
export function readCharterApprovalForm(body: string | URLSearchParams): CharterApprovalSubmission {
  const params = typeof body === "string" ? new URLSearchParams(body) : body;
  const secret = params.get("s") ?? "";
  const vote = params.get("vote") ?? "";
  // Browsers send line breaks as CRLF; count them as one character, as the textarea's maxlength does.
  // What a partner pastes may carry tabs or stray control characters: they are dropped (tabs become
  // spaces), never stored, and never a reason to refuse the vote.
  const comment = stripUnsafe(params.get("comment") ?? "").trim();
  const values = { vote, comment };

  const action = params.get("action");
  if (action === "delegate") {
    const delegate = readDelegate(params, secret);
    return delegate.ok ? delegate : { ok: false, secret, errors: delegate.errors, values };
  }
  if (action !== "decide") return { ok: false, secret, errors: { form: UNKNOWN_ACTION }, values };

  const errors: FormErrors<CharterApprovalField> = {};
  if (vote !== "approve" && vote !== "reject") {
    errors.vote = "Choose approve or reject.";
  }
  if (vote === "reject" && comment === "") {
    errors.comment = "Say why you reject: your comment goes back to the admin with the draft.";
  } else if (comment.length > MAX_COMMENT_LENGTH) {
    errors.comment = `Keep the comment to ${MAX_COMMENT_LENGTH} characters (it has ${comment.length}).`;
  }
  // The vote check repeats so TypeScript knows `vote` below is "approve" | "reject".
  if (Object.keys(errors).length > 0 || (vote !== "approve" && vote !== "reject")) {
    return { ok: false, secret, errors, values };
  }
  return {
    ok: true,
    secret,
    action: "decide",
    decision: { kind: "charter-approval", vote, ...(comment === "" ? {} : { comment }) },
  };
}

// The hand-over form is the same for every kind of request: a colleague's email from the select.
function readDelegate(
  params: URLSearchParams,
  secret: string,
):
  | { ok: true; secret: string; action: "delegate"; delegateTo: string }
  | { ok: false; errors: { delegateTo: string } } {
  const delegateTo = DelegateToSchema.safeParse((params.get("delegateTo") ?? "").trim().toLowerCase());
  if (!delegateTo.success)
    return { ok: false, errors: { delegateTo: "Choose the colleague to hand this to." } };
  return { ok: true, secret, action: "delegate", delegateTo: delegateTo.data };
}

// One item per line, as typed or pasted (from a spreadsheet: tabs become spaces); stray control characters
// are dropped and a line repeated (ignoring case) counts once.
function lines(value: string | undefined): string[] {
  const seen = new Set<string>();
  return stripUnsafe(value ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => {
      const key = line.normalize("NFC").toLowerCase();
      if (line === "" || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function isInterestMapField(value: string | undefined): value is InterestMapField {
  return (INTEREST_MAP_FIELDS as readonly (string | undefined)[]).includes(value);
}

/**
 * What the review and check-in readers share: the POST's secret and every field stripped of unsafe characters and
 * trimmed, or the answer already (`early`) when the POST hands the request over or is no known action.
 */
function readPost(
  body: string | URLSearchParams,
):
  | { early: FormSubmission<never, string> }
  | { early?: undefined; secret: string; values: Partial<Record<string, string>> } {
  const params = typeof body === "string" ? new URLSearchParams(body) : body;
  const secret = params.get("s") ?? "";
  const values: Partial<Record<string, string>> = {};
  for (const [name, value] of params) if (name !== "s") values[name] = stripUnsafe(value).trim();
  const action = params.get("action");
  if (action === "delegate") {
    const delegate = readDelegate(params, secret);
    return { early: delegate.ok ? delegate : { ok: false, secret, errors: delegate.errors, values } };
  }
  if (action !== "decide") return { early: { ok: false, secret, errors: { form: UNKNOWN_ACTION }, values } };
  return { secret, values };
}

/** A review POST, read (fields: strategicFit, goal<i>, goal<i>Wording, stronger, stance, acknowledgePartner, acknowledgeNote). */
export type ReviewSubmission = FormSubmission<ReviewDecision, string>;

/** Reads a realignment review form POST (application/x-www-form-urlencoded). */
export function readReviewForm(body: string | URLSearchParams, ownPartnerId: string): ReviewSubmission {
  const post = readPost(body);
  if (post.early) return post.early;
  const { secret, values } = post;
  const goalCount = Number(values.goalCount ?? "0");
  if (!Number.isInteger(goalCount) || goalCount < 0 || goalCount > MAX_REVIEW_GOALS) {
    return { ok: false, secret, errors: { form: UNKNOWN_ACTION }, values };
  }
  const errors: FormErrors<string> = {};
  const acknowledge = readAcknowledgement(values, ownPartnerId, errors);
  const answer = {
    strategicFit: Number(values.strategicFit ?? ""),
    goals: Array.from({ length: goalCount }, (_, i) => ({
      action: values[`goal${i}`] ?? "",
      ...(values[`goal${i}`] === "change" && values[`goal${i}Wording`]
        ? { wording: values[`goal${i}Wording`] }
        : {}),
    })),
    ...(values.stronger ? { stronger: values.stronger } : {}),
    stance: values.stance ?? "",
    ...(values.cadence ? { cadence: values.cadence } : {}),
    ...(acknowledge ? { acknowledge } : {}),
  };
  const parsed = ReviewAnswerSchema.safeParse(answer);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [first, index, part] = issue.path;
      const field =
        first === "goals"
          ? `goal${String(index)}${part === "wording" ? "Wording" : ""}`
          : String(first ?? "form");
      if (errors[field] !== undefined) continue;
      errors[field] =
        field === "strategicFit"
          ? "Choose a score from 1 to 5."
          : field === "stance"
            ? "Choose continue or leave."
            : field === "cadence"
              ? "Choose how often to review from the list."
              : field.startsWith("goal") && !field.endsWith("Wording")
                ? "Choose keep, change or drop for this goal."
                : `This answer ${issue.message}.`;
    }
    return { ok: false, secret, errors, values };
  }
  if (Object.keys(errors).length > 0) return { ok: false, secret, errors, values };
  return { ok: true, secret, action: "decide", decision: { kind: "review", ...parsed.data } };
}

/** A check-in POST, read (fields: health, comment, acknowledgePartner, acknowledgeNote). */
export type CheckInSubmission = FormSubmission<CheckInDecision, string>;

/**
 * Reads the optional acknowledgement fields (acknowledgePartner, acknowledgeNote) shared by the review and check-in
 * pages, adding field errors to `errors`; `ownPartnerId` is the asking partner's, which may not acknowledge itself.
 */
function readAcknowledgement(
  values: Partial<Record<string, string>>,
  ownPartnerId: string,
  errors: FormErrors<string>,
): Acknowledgement | undefined {
  const partnerId = values.acknowledgePartner ?? "";
  const note = values.acknowledgeNote ?? "";
  if (partnerId === "" && note === "") return undefined;
  if (partnerId === "") errors.acknowledgePartner = "Choose which partner's contribution you acknowledge.";
  else if (partnerId === ownPartnerId)
    errors.acknowledgePartner = "Acknowledge another partner, not your own.";
  if (note === "") errors.acknowledgeNote = "Say what the contribution was, in a line.";
  if (errors.acknowledgePartner !== undefined || errors.acknowledgeNote !== undefined) return undefined;
  const parsed = AcknowledgementSchema.safeParse({ partnerId, note });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] === "note" ? "acknowledgeNote" : "acknowledgePartner";
    errors[field] ??=
      field === "acknowledgeNote" ? `This note ${issue.message}.` : "Choose a partner from the list.";
  }
  return undefined;
}

/**
 * Reads a health check-in form POST. `ownPartnerId` is the asking partner's: an acknowledgement is for another
 * partner, never for one's own.
 */
export function readCheckInForm(body: string | URLSearchParams, ownPartnerId: string): CheckInSubmission {
  const post = readPost(body);
  if (post.early) return post.early;
  const { secret, values } = post;
  const errors: FormErrors<string> = {};
  const acknowledge = readAcknowledgement(values, ownPartnerId, errors);
  const parsed = CheckInAnswerSchema.safeParse({
    health: Number(values.health ?? ""),
    ...(values.comment ? { comment: values.comment } : {}),
    ...(acknowledge ? { acknowledge } : {}),
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form");
      errors[field] ??= field === "health" ? "Choose a score from 1 to 5." : `This answer ${issue.message}.`;
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, secret, errors, values };
  return { ok: true, secret, action: "decide", decision: { kind: "check-in", ...parsed.data } };
}

/** A confirmation POST, read (fields: confirmed, comment): the box ticked, and the optional comment. */
export type ConfirmationSubmission = FormSubmission<{ confirmed: true; comment?: string }, string>;

/** Reads a confirmation form POST (see confirmationForm): the box must be ticked (`missing` says so otherwise). */
export function readConfirmationForm(
  body: string | URLSearchParams,
  missing: string,
): ConfirmationSubmission {
  const post = readPost(body);
  if (post.early) return post.early;
  const { secret, values } = post;
  const errors: FormErrors<string> = {};
  if (values.confirmed !== "yes") errors.confirmed = missing;
  const comment = values.comment ?? "";
  if (comment.length > MAX_COMMENT_LENGTH)
    errors.comment = `Keep the comment under ${MAX_COMMENT_LENGTH} characters.`;
  if (Object.keys(errors).length > 0) return { ok: false, secret, errors, values };
  return {
    ok: true,
    secret,
    action: "decide",
    decision: { confirmed: true, ...(comment ? { comment } : {}) },
  };
}

/** An asset-division POST, read (fields: answer, reason). */
export type AssetDivisionSubmission = FormSubmission<
  { approve: true } | { approve: false; reason: string },
  string
>;

/** Reads the asset-division form POST: approve, or contest with a reason. */
export function readAssetDivisionForm(body: string | URLSearchParams): AssetDivisionSubmission {
  const post = readPost(body);
  if (post.early) return post.early;
  const { secret, values } = post;
  const errors: FormErrors<string> = {};
  const reason = values.reason ?? "";
  if (values.answer !== "approve" && values.answer !== "contest")
    errors.answer = "Choose whether you approve the division or contest it.";
  if (values.answer === "contest" && reason === "")
    errors.reason = "Say why you contest the division: the admin decides on it.";
  if (reason.length > MAX_COMMENT_LENGTH)
    errors.reason = `Keep the reason under ${MAX_COMMENT_LENGTH} characters.`;
  if (Object.keys(errors).length > 0) return { ok: false, secret, errors, values };
  return {
    ok: true,
    secret,
    action: "decide",
    decision: values.answer === "approve" ? { approve: true } : { approve: false, reason },
  };
}

/** A rung-decision POST, read (fields: choice, text). */
export type RungDecisionSubmission = FormSubmission<
  { choice: "resolve" | "escalate" | "abstain"; text?: string },
  string
>;

/** Reads the rung-decision form POST: resolve (with the written resolution), escalate (with why), or abstain. */
export function readRungForm(body: string | URLSearchParams): RungDecisionSubmission {
  const post = readPost(body);
  if (post.early) return post.early;
  const { secret, values } = post;
  const errors: FormErrors<string> = {};
  const choice = values.choice;
  const text = values.text ?? "";
  if (choice !== "resolve" && choice !== "escalate" && choice !== "abstain")
    errors.choice = "Choose whether to resolve the concern, escalate it, or abstain.";
  if (choice === "resolve" && text === "")
    errors.text = "Write the resolution: it is what everyone will read.";
  if (choice === "escalate" && text === "") errors.text = "Say why it should go up the ladder.";
  if (text.length > MAX_COMMENT_LENGTH) errors.text = `Keep it under ${MAX_COMMENT_LENGTH} characters.`;
  if (Object.keys(errors).length > 0) return { ok: false, secret, errors, values };
  return {
    ok: true,
    secret,
    action: "decide",
    decision: { choice: choice as "resolve" | "escalate" | "abstain", ...(text ? { text } : {}) },
  };
}

/** A field of the "raise a concern" form. */
export type ConcernField = "subject" | "description" | "kind" | "partnerIds" | "critical";

/**
 * The "raise a concern" POST, read but not yet validated (the concern's schema does that, field by field): the
 * secret, the text fields stripped of unsafe characters and trimmed, the partners ticked, and whether it is critical.
 */
export function readConcernForm(body: string | URLSearchParams): {
  secret: string;
  values: Partial<Record<ConcernField, string>>;
  concern: { subject: string; description: string; kind: string; partnerIds: string[]; critical: boolean };
} {
  const params = typeof body === "string" ? new URLSearchParams(body) : body;
  const field = (name: ConcernField) => stripUnsafe(params.get(name) ?? "").trim();
  const concern = {
    subject: field("subject"),
    description: field("description"),
    kind: field("kind"),
    partnerIds: params.getAll("partnerIds").map((id) => stripUnsafe(id).trim()),
    critical: params.get("critical") === "yes",
  };
  return {
    secret: params.get("s") ?? "",
    values: {
      subject: concern.subject,
      description: concern.description,
      kind: concern.kind,
      partnerIds: concern.partnerIds.join(","),
      critical: concern.critical ? "yes" : "",
    },
    concern,
  };
}
