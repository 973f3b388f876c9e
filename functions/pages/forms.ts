import type { Contact, ContactRole, FieldError, Partner } from "../domain";
import { MAX_ACKNOWLEDGEMENT_NOTE, type ReviewCadence, type ReviewPacket } from "../domain";
import { type CharterSummary, charterSummaryHtml, documentNameOf } from "../mail/charter-summary";
import { type DateInput, formatDeadline } from "../mail/dates";
import { reviewPacketHtml } from "../mail/review-packet";
import {
  type InterestMapsView,
  interestMapsSection,
  type RevisionView,
  revisionSection,
} from "../mail/templates";
import { html, type SafeHtml } from "../shared/html";
import type { CharterApprovalField, ConcernField, FormErrors, InterestMapField } from "./form-input";
import { MAX_COMMENT_LENGTH } from "./form-input";
import { type Page, pageDocument } from "./layout";

/** A colleague the request can be handed to (another contact of the same partner). */
export type Colleague = Pick<Contact, "name" | "email" | "role">;

/**
 * The contacts a request may be handed to: the same partner's other contacts, never the person holding
 * the link, never another partner's people (a partner's vote must stay with that partner).
 */
export function delegateCandidates(
  partners: readonly Pick<Partner, "id" | "contacts">[],
  partnerId: string,
  currentEmail: string,
): Colleague[] {
  const current = currentEmail.trim().toLowerCase();
  const partner = partners.find((candidate) => candidate.id === partnerId);
  return (partner?.contacts ?? [])
    .filter((contact) => contact.email.toLowerCase() !== current)
    .map(({ name, email, role }) => ({ name, email, role }));
}

const ROLE_WORDS: Record<ContactRole, string> = {
  lead: "lead",
  committee: "steering committee",
  sponsor: "executive sponsor",
};

/** What both decision pages need besides their own fields. */
interface DecisionPageInput {
  allianceName: string;
  partnerName: string;
  contactName: string;
  deadline: DateInput;
  /** The link's secret, carried back in the hidden field `s`. */
  secret: string;
  /** The partner's other contacts (see delegateCandidates); the hand-over form shows only when there are some. */
  colleagues?: readonly Colleague[];
  /** Light-touch alliances have a one-page agreement, not a charter: the page says so (default "full"). */
  mode?: "full" | "light-touch";
}

const INTEREST_FIELDS: readonly { name: InterestMapField; label: string; hint: string }[] = [
  {
    name: "explicit",
    label: "Explicit interests",
    hint: "The goals your organisation states openly for this alliance. At least one.",
  },
  {
    name: "implicit",
    label: "Implicit interests",
    hint: "What matters but is rarely said: autonomy, brand, risks to avoid. Optional.",
  },
  {
    name: "cannotAffordToLose",
    label: "What you cannot afford to lose",
    hint: "The things that would make the alliance a bad deal if they were lost. At least one.",
  },
];

/** The interest-map page: three one-item-per-line textareas; 400 with field errors when re-rendered. */
export function interestMapForm(
  input: DecisionPageInput & {
    goals: readonly string[];
    /** The alliance's purpose, when known. */
    purpose?: string;
    /** Field errors to show (re-rendered with 400): a map by field, or the domain's FieldError list. */
    errors?: FormErrors<InterestMapField> | readonly FieldError[];
    values?: Partial<Record<InterestMapField, string>>;
  },
): Page {
  const errors = byField<InterestMapField>(
    input.errors,
    INTEREST_FIELDS.map((field) => field.name),
  );
  const values = input.values ?? {};
  const body = html`<p>Hello ${input.contactName}. Please tell the other partners what <strong>${input.partnerName}</strong> wants from this alliance. Write one item per line.</p>
${input.purpose !== undefined && html`<p><strong>Purpose:</strong> ${input.purpose}</p>`}
${input.goals.length > 0 && html`<p><strong>Goals proposed for the alliance:</strong></p><ul>${input.goals.map((goal) => html`<li>${goal}</li>`)}</ul>`}
<p><strong>Please answer by:</strong> ${formatDeadline(input.deadline)}.</p>
${errorSummary(errors)}
<form method="post" action="" accept-charset="utf-8" enctype="application/x-www-form-urlencoded">
<input type="hidden" name="s" value="${input.secret}">
<input type="hidden" name="action" value="decide">
${INTEREST_FIELDS.map((field) => {
  const error = errors[field.name];
  return html`<label for="${field.name}">${field.label}<span class="hint">${field.hint}</span></label>
<textarea id="${field.name}" name="${field.name}" rows="5"${error !== undefined && html` class="invalid" aria-invalid="true" aria-describedby="${field.name}-error"`}>${values[field.name] ?? ""}</textarea>
${error !== undefined && html`<p class="error" id="${field.name}-error">${error}</p>`}`;
})}
<p>Every partner will see all the interest maps side by side when the alliance starts.</p>
<button type="submit">Send ${input.partnerName}'s interests</button>
</form>
${delegateForm(input, errors.delegateTo)}`;
  return {
    statusCode: hasErrors(errors) ? 400 : 200,
    html: pageDocument({ title: "Share your interests", allianceName: input.allianceName, body }),
  };
}

/** The charter vote page: the summary, approve or reject in ONE form, a comment required to reject. */
export function charterApprovalForm(
  input: DecisionPageInput & {
    charterSummary: Pick<CharterSummary, "sections">;
    /** Light-touch alliances approve a one-page agreement (default "full"). */
    mode?: "full" | "light-touch";
    /** The interest maps every partner shared, when the formation collected them. */
    interestMaps?: InterestMapsView;
    /** For a revision: what changed since the version voted on, and how its comments were answered. */
    revision?: RevisionView;
    /** Field errors to show (re-rendered with 400): a map by field, or the domain's FieldError list. */
    errors?: FormErrors<CharterApprovalField> | readonly FieldError[];
    values?: { vote?: string; comment?: string };
  },
): Page {
  const errors = byField<CharterApprovalField>(input.errors, ["vote", "comment"]);
  const values = input.values ?? {};
  const documentName = documentNameOf(input.mode);
  const choice = (vote: "approve" | "reject", label: string, first: boolean) =>
    html`<label class="choice"><input type="radio" name="vote" value="${vote}"${first && html` required`}${values.vote === vote && html` checked`}> ${label}</label>`;
  const body = html`<p>Hello ${input.contactName}. Please approve or reject this ${documentName} for <strong>${input.partnerName}</strong>. Your answer is ${input.partnerName}'s vote; the first answer sent counts.</p>
<p><strong>Please answer by:</strong> ${formatDeadline(input.deadline)}.</p>
${input.revision && html`<p>This is <strong>version ${input.revision.version}</strong>, revised after version ${input.revision.since} was not approved.</p>${revisionSection(input.revision, input.mode).html}`}
${
  input.interestMaps &&
  html`<p>Every contact of every partner reads these same interest maps before voting.</p>${interestMapsSection(input.interestMaps).html}`
}
<h2>The ${documentName} in brief</h2>
${charterSummaryHtml(input.charterSummary)}
<h2>Your vote</h2>
${errorSummary(errors)}
<form method="post" action="" accept-charset="utf-8" enctype="application/x-www-form-urlencoded">
<input type="hidden" name="s" value="${input.secret}">
<input type="hidden" name="action" value="decide">
<fieldset${errors.vote !== undefined && html` aria-describedby="vote-error"`}>
<legend>${input.partnerName}'s vote</legend>
${choice("approve", `Approve the ${documentName}`, true)}
${choice("reject", `Reject the ${documentName}`, false)}
</fieldset>
${errors.vote !== undefined && html`<p class="error" id="vote-error">${errors.vote}</p>`}
<label for="comment">Comment<span class="hint">Required if you reject: say what would have to change. Optional if you approve. Your comment goes to the admin and the other partners.</span></label>
<textarea id="comment" name="comment" rows="5" maxlength="${MAX_COMMENT_LENGTH}"${errors.comment !== undefined && html` class="invalid" aria-invalid="true" aria-describedby="comment-error"`}>${values.comment ?? ""}</textarea>
${errors.comment !== undefined && html`<p class="error" id="comment-error">${errors.comment}</p>`}
<button type="submit">Send my vote</button>
</form>
${delegateForm(input, errors.delegateTo)}`;
  return {
    statusCode: hasErrors(errors) ? 400 : 200,
    html: pageDocument({
      title: `Approve or reject the ${documentName}`,
      allianceName: input.allianceName,
      body,
    }),
  };
}

// A second, separate form: handing over never records a decision, and is only offered when someone can take it.
function delegateForm(input: DecisionPageInput, error: string | undefined): SafeHtml | false {
  const colleagues = input.colleagues ?? [];
  if (colleagues.length === 0) return false;
  return html`<h2>Hand this to a colleague</h2>
<p>If someone else at ${input.partnerName} should answer, hand the request to them: they get their own link by email, and yours closes.</p>
<form method="post" action="" accept-charset="utf-8" enctype="application/x-www-form-urlencoded">
<input type="hidden" name="s" value="${input.secret}">
<input type="hidden" name="action" value="delegate">
<label for="delegateTo">Colleague</label>
<select id="delegateTo" name="delegateTo" required${error !== undefined && html` class="invalid" aria-invalid="true" aria-describedby="delegateTo-error"`}>
<option value="">Choose a colleague…</option>
${colleagues.map((colleague) => html`<option value="${colleague.email}">${colleague.name} (${ROLE_WORDS[colleague.role]})</option>`)}
</select>
${error !== undefined && html`<p class="error" id="delegateTo-error">${error}</p>`}
<button type="submit" class="secondary">Hand over</button>
</form>`;
}

/**
 * Errors keyed by form field. A FieldError list ("explicit[1]: must be at most 200 characters") is mapped
 * to its field ("Item 2 must be …"); paths that are no field of this form land on the whole form.
 */
function byField<F extends string>(
  errors: FormErrors<F> | readonly FieldError[] | undefined,
  fields: readonly F[],
): FormErrors<F> {
  if (errors === undefined) return {};
  if (!isFieldErrorList(errors)) return errors;
  const known: readonly string[] = [...fields, "delegateTo"];
  const out: Partial<Record<string, string>> = {};
  for (const error of errors) {
    const match = /^(\w+)(?:\[(\d+)\])?/.exec(error.path);
    const field = match?.[1] !== undefined && known.includes(match[1]) ? match[1] : "form";
    const item = field === "form" ? undefined : match?.[2];
    const message =
      item === undefined
        ? `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}`
        : `Item ${Number(item) + 1} ${error.message}`;
    const sentence = /[.!?]$/.test(message) ? message : `${message}.`;
    out[field] = out[field] === undefined ? sentence : `${out[field]} ${sentence}`;
  }
  // Only keys from `fields`, "delegateTo" and "form" were written above; TypeScript cannot follow that for a generic F.
  return out as FormErrors<F>;
}

function isFieldErrorList(
  errors: FormErrors<string> | readonly FieldError[],
): errors is readonly FieldError[] {
  return Array.isArray(errors);
}

function errorSummary(errors: Partial<Record<string, string>>): SafeHtml | false {
  const messages = Object.values(errors).filter((message): message is string => message !== undefined);
  if (messages.length === 0) return false;
  return html`<div class="errors" role="alert"><p><strong>Nothing was recorded yet. Please fix the following and send again:</strong></p><ul>${messages.map((message) => html`<li>${message}</li>`)}</ul></div>`;
}

function hasErrors(errors: Partial<Record<string, string>>): boolean {
  return Object.values(errors).some((message) => message !== undefined);
}

/** The realignment review page: strategic fit, keep/change/drop per goal, one thing stronger, continue or leave. */
export function reviewForm(
  input: DecisionPageInput & {
    goals: readonly string[];
    /** The other partners, whose contributions this partner may acknowledge. */
    otherPartners: readonly Pick<Partner, "id" | "name">[];
    /** Trust and health since the last review, as the review started. */
    packet?: ReviewPacket;
    /** How often the charter has the partners review now. */
    cadence: ReviewCadence;
    errors?: FormErrors<string> | readonly FieldError[];
    values?: Partial<Record<string, string>>;
  },
): Page {
  const goalFields = input.goals.flatMap((_, i) => [`goal${i}`, `goal${i}Wording`]);
  const errors = byField<string>(input.errors, [
    "strategicFit",
    "stance",
    "stronger",
    "acknowledgePartner",
    "acknowledgeNote",
    "cadence",
    ...goalFields,
  ]);
  const values = input.values ?? {};
  const radio = (name: string, value: string, label: string, first: boolean) =>
    html`<label class="choice"><input type="radio" name="${name}" value="${value}"${first && html` required`}${values[name] === value && html` checked`}> ${label}</label>`;
  const fieldError = (name: string) =>
    errors[name] !== undefined && html`<p class="error" id="${name}-error">${errors[name]}</p>`;
  const body = html`<p>Hello ${input.contactName}. This is <strong>${input.partnerName}</strong>'s realignment review of the alliance. Your answer is ${input.partnerName}'s; the first answer sent counts.</p>
<p><strong>Please answer by:</strong> ${formatDeadline(input.deadline)}.</p>
${input.packet && html`<section aria-label="Review packet"><h2>Before you answer: trust and health since the last review</h2>${reviewPacketHtml(input.packet)}</section>`}
${errorSummary(errors)}
<form method="post" action="" accept-charset="utf-8" enctype="application/x-www-form-urlencoded">
<input type="hidden" name="s" value="${input.secret}">
<input type="hidden" name="action" value="decide">
<input type="hidden" name="goalCount" value="${String(input.goals.length)}">
<fieldset><legend>How well does the alliance still fit ${input.partnerName}'s strategy? (1 = poorly, 5 = very well)</legend>
${[1, 2, 3, 4, 5].map((score) => radio("strategicFit", String(score), String(score), score === 1))}
</fieldset>
${fieldError("strategicFit")}
${input.goals.length > 0 && html`<h2>The goals</h2>`}
${input.goals.map(
  (goal, i) => html`<fieldset><legend>${goal}</legend>
${radio(`goal${i}`, "keep", "Keep", true)}
${radio(`goal${i}`, "change", "Change it to the wording below", false)}
${radio(`goal${i}`, "drop", "Drop it", false)}
<label for="goal${i}Wording">New wording<span class="hint">Only if you change the goal.</span></label>
<textarea id="goal${i}Wording" name="goal${i}Wording" rows="2">${values[`goal${i}Wording`] ?? ""}</textarea>
</fieldset>
${fieldError(`goal${i}`)}${fieldError(`goal${i}Wording`)}`,
)}
<label for="stronger">One thing that would make this partnership stronger<span class="hint">Optional. Every partner sees the answers side by side when the review closes.</span></label>
<textarea id="stronger" name="stronger" rows="3">${values.stronger ?? ""}</textarea>
${fieldError("stronger")}
<fieldset><legend>Does ${input.partnerName} want to continue the alliance?</legend>
${radio("stance", "continue", "Continue", true)}
${radio("stance", "leave", "Leave", false)}
</fieldset>
${fieldError("stance")}
<fieldset><legend>How often should the partners review the alliance from now on?</legend>
<label class="choice"><input type="radio" name="cadence" value=""${!values.cadence && html` checked`}> As now (${input.cadence})</label>
${(["quarterly", "semiannual", "annual"] as const)
  .filter((c) => c !== input.cadence)
  .map(
    (c) =>
      html`<label class="choice"><input type="radio" name="cadence" value="${c}"${values.cadence === c && html` checked`}> ${CADENCE_WORDS[c]}</label>`,
  )}
</fieldset>
${fieldError("cadence")}
${acknowledgementFields(input.otherPartners, values, errors)}
<button type="submit">Send ${input.partnerName}'s review</button>
</form>
${delegateForm(input, errors.delegateTo)}`;
  return {
    statusCode: hasErrors(errors) ? 400 : 200,
    html: pageDocument({ title: "Realignment review", allianceName: input.allianceName, body }),
  };
}

const CADENCE_WORDS: Record<ReviewCadence, string> = {
  quarterly: "Quarterly (every 3 months: a fast-moving market)",
  semiannual: "Every 6 months",
  annual: "Once a year (a slow-moving market)",
};

/**
 * The optional "acknowledge a contribution" fields of the review and check-in pages: another partner (never the
 * partner's own: the caller passes the others) and a one-line note. Read back by readAcknowledgement.
 */
function acknowledgementFields(
  otherPartners: readonly Pick<Partner, "id" | "name">[],
  values: Partial<Record<string, string>>,
  errors: Partial<Record<string, string>>,
): SafeHtml | false {
  const fieldError = (name: string) =>
    errors[name] !== undefined && html`<p class="error" id="${name}-error">${errors[name]}</p>`;
  return (
    otherPartners.length > 0 &&
    html`<fieldset><legend>Acknowledge a contribution (optional)</legend>
<p class="hint">Another partner shared something early or delivered on a promise? Say so: it is a trust deposit for that partner.</p>
<label for="acknowledgePartner">Partner</label>
<select id="acknowledgePartner" name="acknowledgePartner">
<option value="">No one this time</option>
${otherPartners.map((p) => html`<option value="${p.id}"${values.acknowledgePartner === p.id && html` selected`}>${p.name}</option>`)}
</select>
${fieldError("acknowledgePartner")}
<label for="acknowledgeNote">What they did</label>
<input id="acknowledgeNote" name="acknowledgeNote" type="text" maxlength="${String(MAX_ACKNOWLEDGEMENT_NOTE)}" value="${values.acknowledgeNote ?? ""}">
${fieldError("acknowledgeNote")}
</fieldset>`
  );
}

/** The health check-in page: one score, an optional comment, and an optional acknowledgement of another partner. */
export function checkInForm(
  input: DecisionPageInput & {
    /** The other partners, whose contributions this partner may acknowledge. */
    otherPartners: readonly Pick<Partner, "id" | "name">[];
    errors?: FormErrors<string> | readonly FieldError[];
    values?: Partial<Record<string, string>>;
  },
): Page {
  const errors = byField<string>(input.errors, [
    "health",
    "comment",
    "acknowledgePartner",
    "acknowledgeNote",
  ]);
  const values = input.values ?? {};
  const fieldError = (name: string) =>
    errors[name] !== undefined && html`<p class="error" id="${name}-error">${errors[name]}</p>`;
  const body = html`<p>Hello ${input.contactName}. This is <strong>${input.partnerName}</strong>'s health check-in for the alliance: how the relationship is going, not the tasks. Your answer is ${input.partnerName}'s; the first answer sent counts.</p>
<p><strong>Please answer by:</strong> ${formatDeadline(input.deadline)}.</p>
${errorSummary(errors)}
<form method="post" action="" accept-charset="utf-8" enctype="application/x-www-form-urlencoded">
<input type="hidden" name="s" value="${input.secret}">
<input type="hidden" name="action" value="decide">
<fieldset><legend>How healthy is the relationship between the partners? (1 = in trouble, 5 = thriving)</legend>
${[1, 2, 3, 4, 5].map(
  (score) =>
    html`<label class="choice"><input type="radio" name="health" value="${String(score)}"${score === 1 && html` required`}${values.health === String(score) && html` checked`}> ${String(score)}</label>`,
)}
</fieldset>
${fieldError("health")}
<label for="comment">Anything the partners should hear<span class="hint">Optional. It goes on the alliance's timeline and into the next review.</span></label>
<textarea id="comment" name="comment" rows="3">${values.comment ?? ""}</textarea>
${fieldError("comment")}
${acknowledgementFields(input.otherPartners, values, errors)}
<button type="submit">Send ${input.partnerName}'s check-in</button>
</form>
${delegateForm(input, errors.delegateTo)}`;
  return {
    statusCode: hasErrors(errors) ? 400 : 200,
    html: pageDocument({ title: "Health check-in", allianceName: input.allianceName, body }),
  };
}

/**
 * A page where the person confirms one thing by ticking a box (an exit notice read, an obligation carried out, a
 * clause acknowledged), with an optional comment for the timeline; 400 with field errors when re-rendered.
 */
export function confirmationForm(
  input: DecisionPageInput & {
    title: string;
    /** What the page says before the form: what is asked and why. */
    lead: SafeHtml;
    /** The checkbox's label: "I have read the notice for Acme". */
    confirm: string;
    button: string;
    errors?: FormErrors<string> | readonly FieldError[];
    values?: Partial<Record<string, string>>;
  },
): Page {
  const errors = byField<string>(input.errors, ["confirmed", "comment"]);
  const values = input.values ?? {};
  const body = html`<p>Hello ${input.contactName}.</p>
${input.lead}
<p><strong>Please confirm by:</strong> ${formatDeadline(input.deadline)}.</p>
${errorSummary(errors)}
<form method="post" action="" accept-charset="utf-8" enctype="application/x-www-form-urlencoded">
<input type="hidden" name="s" value="${input.secret}">
<input type="hidden" name="action" value="decide">
<label class="choice"><input type="checkbox" name="confirmed" value="yes" required${values.confirmed === "yes" && html` checked`}${errors.confirmed !== undefined && html` aria-invalid="true" aria-describedby="confirmed-error"`}> ${input.confirm}</label>
${errors.confirmed !== undefined && html`<p class="error" id="confirmed-error">${errors.confirmed}</p>`}
<label for="comment">Comment<span class="hint">Optional. It goes on the alliance's timeline.</span></label>
<textarea id="comment" name="comment" rows="3" maxlength="${String(MAX_COMMENT_LENGTH)}">${values.comment ?? ""}</textarea>
${errors.comment !== undefined && html`<p class="error" id="comment-error">${errors.comment}</p>`}
<button type="submit">${input.button}</button>
</form>
${delegateForm(input, errors.delegateTo)}`;
  return {
    statusCode: hasErrors(errors) ? 400 : 200,
    html: pageDocument({ title: input.title, allianceName: input.allianceName, body }),
  };
}

/** The asset-division page: the plan, then approve it or contest it with a reason. */
export function assetDivisionForm(
  input: DecisionPageInput & {
    leaving?: string;
    division: readonly { summary: string }[];
    errors?: FormErrors<string> | readonly FieldError[];
    values?: Partial<Record<string, string>>;
  },
): Page {
  const errors = byField<string>(input.errors, ["answer", "reason"]);
  const values = input.values ?? {};
  const who = input.leaving === undefined ? "the alliance's dissolution" : html`${input.leaving}'s exit`;
  const radio = (value: string, label: string) =>
    html`<label class="choice"><input type="radio" name="answer" value="${value}" required${values.answer === value && html` checked`}> ${label}</label>`;
  const body = html`<p>Hello ${input.contactName}. The notice period of ${who} has ended. This is how the ${documentNameOf(input.mode)} divides the shared assets; ${input.partnerName} approves the plan or contests it.</p>
<p><strong>Please answer by:</strong> ${formatDeadline(input.deadline)}. Without an answer by then, ${input.partnerName} is counted as not objecting.</p>
<h2>The division</h2>
<ul>${input.division.map((d) => html`<li>${d.summary}</li>`)}</ul>
${errorSummary(errors)}
<form method="post" action="" accept-charset="utf-8" enctype="application/x-www-form-urlencoded">
<input type="hidden" name="s" value="${input.secret}">
<input type="hidden" name="action" value="decide">
<fieldset><legend>${input.partnerName}'s answer</legend>
${radio("approve", "Approve the division")}
${radio("contest", "Contest it: the admin then decides, after reading every partner's reason")}
</fieldset>
${errors.answer !== undefined && html`<p class="error" id="answer-error">${errors.answer}</p>`}
<label for="reason">Why you contest it<span class="hint">Required when you contest; the other partners and the admin read it.</span></label>
<textarea id="reason" name="reason" rows="3" maxlength="${String(MAX_COMMENT_LENGTH)}">${values.reason ?? ""}</textarea>
${errors.reason !== undefined && html`<p class="error" id="reason-error">${errors.reason}</p>`}
<button type="submit">Send the answer</button>
</form>
${delegateForm(input, errors.delegateTo)}`;
  return {
    statusCode: hasErrors(errors) ? 400 : 200,
    html: pageDocument({ title: "Asset division", allianceName: input.allianceName, body }),
  };
}

/** What a rung's page shows about the concern: what it is, whom it concerns, and what happened at earlier rungs. */
export interface ConcernView {
  subject: string;
  description: string;
  kind: string;
  critical: boolean;
  concerned: readonly string[];
  /** Who raised it, in words. */
  raisedBy: string;
  rungName: string;
  rungNumber: number;
  rungCount: number;
  /** How this rung decides, in words. */
  rule: string;
  history: readonly string[];
}

/** The rung-decision page: the concern, its history, then resolve (in writing), escalate (with why) or abstain. */
export function rungDecisionForm(
  input: DecisionPageInput & {
    concern: ConcernView | undefined;
    /** The answer given already: it may be changed until the rung closes. */
    revising?: { at: DateInput };
    errors?: FormErrors<string> | readonly FieldError[];
    values?: Partial<Record<string, string>>;
  },
): Page {
  const errors = byField<string>(input.errors, ["choice", "text"]);
  const values = input.values ?? {};
  const concern = input.concern;
  const radio = (value: string, label: string) =>
    html`<label class="choice"><input type="radio" name="choice" value="${value}" required${values.choice === value && html` checked`}> ${label}</label>`;
  const body = html`<p>Hello ${input.contactName}. A concern has reached ${concern ? html`rung ${String(concern.rungNumber)} of ${String(concern.rungCount)}, <strong>${concern.rungName}</strong>` : "your rung of the escalation ladder"}; you answer for ${input.partnerName}.</p>
${
  input.revising
    ? html`<p><strong>${input.partnerName}'s answer is recorded</strong> (${formatDeadline(input.revising.at)}), as shown below. You may change it until the rung closes, at the latest ${formatDeadline(input.deadline)}: the last answer counts.</p>`
    : html`<p><strong>Please answer by:</strong> ${formatDeadline(input.deadline)}. A rung that does not resolve the concern by then passes it to the next.</p>`
}
${
  concern &&
  html`<h2>${concern.subject}</h2>
<p>${concern.description}</p>
<p>Kind: ${concern.kind}${concern.critical ? " (critical)" : ""}. Concerns: ${concern.concerned.join(", ")}. Raised by ${concern.raisedBy}. This rung decides by ${concern.rule}.</p>
${concern.history.length > 0 && html`<h2>So far</h2><ul>${concern.history.map((line) => html`<li>${line}</li>`)}</ul>`}`
}
${errorSummary(errors)}
<form method="post" action="" accept-charset="utf-8" enctype="application/x-www-form-urlencoded">
<input type="hidden" name="s" value="${input.secret}">
<input type="hidden" name="action" value="decide">
<fieldset><legend>${input.partnerName}'s answer</legend>
${radio("resolve", "Resolve it, as written below")}
${radio(
  "escalate",
  concern && concern.rungNumber >= concern.rungCount
    ? `Escalate it past the last rung: the ${documentNameOf(input.mode)} then decides (the admin is told, or the exit plan starts)`
    : "Escalate it to the next rung",
)}
${radio("abstain", "Abstain")}
</fieldset>
${errors.choice !== undefined && html`<p class="error" id="choice-error">${errors.choice}</p>`}
<label for="text">The resolution, or why it should go up<span class="hint">Everyone concerned reads it; required unless you abstain.</span></label>
<textarea id="text" name="text" rows="4" maxlength="${String(MAX_COMMENT_LENGTH)}">${values.text ?? ""}</textarea>
${errors.text !== undefined && html`<p class="error" id="text-error">${errors.text}</p>`}
<button type="submit">${input.revising ? "Change the answer" : "Send the answer"}</button>
</form>
${!input.revising && delegateForm(input, errors.delegateTo)}`;
  return {
    statusCode: hasErrors(errors) ? 400 : 200,
    html: pageDocument({ title: "Escalation", allianceName: input.allianceName, body }),
  };
}

/** What the "raise a concern" page offers: the alliance's partners, the kinds the charter allows, its ladder. */
export interface ConcernFormInput {
  allianceName: string;
  partnerName: string;
  contactName: string;
  /** The link's secret, carried back in the hidden field `s`. */
  secret: string;
  /** The partners still in the alliance, the raiser's own among them (force majeure is often one's own). */
  partners: readonly Pick<Partner, "id" | "name">[];
  ownPartnerId: string;
  /** Whether the charter has a force-majeure clause (without one, the kind is not offered). */
  forceMajeure: boolean;
  /** The ladder's rungs, lowest first, in words ("Operational leads: any participant resolves, 7 days"). */
  rungs: readonly string[];
  errors?: FormErrors<ConcernField> | readonly FieldError[];
  values?: Partial<Record<ConcernField, string>>;
  /** Light-touch alliances have a one-page agreement, not a charter (default "full"). */
  mode?: "full" | "light-touch";
}

const CONCERN_KINDS = [
  { value: "dispute", label: "A dispute between partners" },
  { value: "free-rider", label: "A partner not contributing its share (free rider)" },
  { value: "missed-commitment", label: "A missed commitment" },
  {
    value: "force-majeure",
    label: "Force majeure: events outside anyone's control, as the force-majeure clause describes them",
  },
] as const;

/** The "raise a concern" page behind an email footer's link; 400 with field errors when re-rendered. */
export function concernForm(input: ConcernFormInput): Page {
  const fields: readonly ConcernField[] = ["subject", "description", "kind", "partnerIds", "critical"];
  const errors = byField<ConcernField>(input.errors, fields);
  const values = input.values ?? {};
  const ticked = new Set((values.partnerIds ?? "").split(",").filter(Boolean));
  const kinds = CONCERN_KINDS.filter((kind) => kind.value !== "force-majeure" || input.forceMajeure);
  const body = html`<p>Hello ${input.contactName}. You raise this concern for <strong>${input.partnerName}</strong>; the people asked at each rung see who raised it.</p>
<p>It goes up the alliance's escalation ladder until it is resolved:</p>
<ol>${input.rungs.map((rung) => html`<li>${rung}</li>`)}</ol>
<p>One concern of each kind about a partner is open at a time.</p>
${errorSummary(errors)}
<form method="post" action="" accept-charset="utf-8" enctype="application/x-www-form-urlencoded">
<input type="hidden" name="s" value="${input.secret}">
<label for="subject">Subject<span class="hint">One line that names the problem.</span></label>
<input type="text" id="subject" name="subject" maxlength="200" required value="${values.subject ?? ""}">
${errors.subject !== undefined && html`<p class="error" id="subject-error">${errors.subject}</p>`}
<label for="description">What happened<span class="hint">Facts and dates: everyone asked to resolve it reads this.</span></label>
<textarea id="description" name="description" rows="6" maxlength="4000" required>${values.description ?? ""}</textarea>
${errors.description !== undefined && html`<p class="error" id="description-error">${errors.description}</p>`}
<fieldset><legend>What kind of concern</legend>
${kinds.map(
  (kind) =>
    html`<label class="choice"><input type="radio" name="kind" value="${kind.value}" required${values.kind === kind.value && html` checked`}> ${kind.label}</label>`,
)}
</fieldset>
${errors.kind !== undefined && html`<p class="error" id="kind-error">${errors.kind}</p>`}
<fieldset><legend>Which partner it is about</legend>
${input.partners.map(
  (partner) =>
    html`<label class="choice"><input type="checkbox" name="partnerIds" value="${partner.id}"${ticked.has(partner.id) && html` checked`}> ${partner.name}${partner.id === input.ownPartnerId && " (your organisation)"}</label>`,
)}
</fieldset>
${errors.partnerIds !== undefined && html`<p class="error" id="partnerIds-error">${errors.partnerIds}</p>`}
<label class="choice"><input type="checkbox" name="critical" value="yes"${values.critical === "yes" && html` checked`}> Critical: it touches something a partner cannot afford to lose (where the ${documentNameOf(input.mode)} says so, a smaller partner's veto applies)</label>
${errors.critical !== undefined && html`<p class="error" id="critical-error">${errors.critical}</p>`}
<button type="submit">Raise the concern</button>
</form>`;
  return {
    statusCode: hasErrors(errors) ? 400 : 200,
    html: pageDocument({ title: "Raise a concern", allianceName: input.allianceName, body }),
  };
}
