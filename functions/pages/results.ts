import { type DateInput, formatDateTime } from "../mail/dates";
import { html, type SafeHtml } from "../shared/html";
import { type Page, pageDocument } from "./layout";

/** A recorded decision as a page shows it: what it was ("charter vote") and its details, escaped. */
export interface DecisionView {
  noun: string;
  details: SafeHtml;
}

const nounOf = (decision: DecisionView | string) => (typeof decision === "string" ? "answer" : decision.noun);
const detailsOf = (decision: DecisionView | string) =>
  typeof decision === "string" ? html`<p>${decision}</p>` : decision.details;

const ASK_ADMIN =
  "If you think this is wrong, contact the alliance's organiser (named below, when known) or its admin.";

/** 200: the decision was recorded; shows what was recorded and when. */
export function decisionRecorded(input: {
  allianceName: string;
  /** The recorded decision (shown in full), or a sentence describing it. */
  decision: DecisionView | string;
  at: DateInput;
  /** The person who answered, for the greeting. */
  contactName?: string;
}): Page {
  const noun = nounOf(input.decision);
  const thanks = input.contactName === undefined ? "Thank you." : `Thank you, ${input.contactName}.`;
  const body = html`<p>${thanks} Your ${noun} was recorded on ${formatDateTime(input.at, "at")}.</p>
<h2>What was recorded</h2>
${detailsOf(input.decision)}
<p>Nothing else is needed from you now. Concord emails every partner when the round is complete. You can close this page.</p>`;
  return {
    statusCode: 200,
    html: pageDocument({ title: "Recorded", allianceName: input.allianceName, body }),
  };
}

/** 409: someone already answered this request; shows what was decided and when, and that nothing changed. */
export function alreadyDecided(input: {
  allianceName: string;
  decidedAt: DateInput;
  /** The recorded decision (shown in full), or a sentence describing it. */
  decision?: DecisionView | string;
  /** Who answered, when it is worth saying (e.g. a colleague). */
  decidedBy?: string;
}): Page {
  const by = input.decidedBy === undefined ? "" : ` by ${input.decidedBy}`;
  const what = input.decision === undefined ? "This request" : `This ${nounOf(input.decision)}`;
  const body = html`<p>${what} was already answered${by} on ${formatDateTime(input.decidedAt, "decidedAt")}. The first answer counts, so <strong>nothing changed</strong>.</p>
${input.decision !== undefined && html`<h2>What was recorded</h2>${detailsOf(input.decision)}`}
<p>${ASK_ADMIN}</p>`;
  return {
    statusCode: 409,
    html: pageDocument({ title: "Already answered", allianceName: input.allianceName, body }),
  };
}

/**
 * The request was handed to a colleague. `forOriginalHolder`: the person who just handed it over sees a
 * confirmation (200); otherwise the old link was opened later and is shown as closed (410).
 */
export function delegated(input: {
  allianceName: string;
  toName: string;
  /** When it was handed over. */
  at: DateInput;
  forOriginalHolder: boolean;
}): Page {
  const when = formatDateTime(input.at, "at");
  if (input.forOriginalHolder) {
    const body = html`<p>You handed this request to <strong>${input.toName}</strong> on ${when}. They will receive their own link by email; <strong>your link is now closed</strong>.</p>
<p>Nothing else is needed from you. You can close this page.</p>`;
    return {
      statusCode: 200,
      html: pageDocument({ title: `Handed to ${input.toName}`, allianceName: input.allianceName, body }),
    };
  }
  const body = html`<p>This request was handed to <strong>${input.toName}</strong> on ${when}, so this link is closed and nothing can be recorded through it.</p>
<p>If you still want a say, talk to ${input.toName}, who has the open link.</p>`;
  return {
    statusCode: 410,
    html: pageDocument({ title: "This link was handed on", allianceName: input.allianceName, body }),
  };
}

/** 410: the deadline passed; nothing can be recorded. */
export function expired(input: { allianceName: string; deadline: DateInput }): Page {
  const body = html`<p>The deadline for this request passed on ${formatDateTime(input.deadline, "deadline")}. Nothing can be recorded through this link any more: the alliance has moved on as its rules say.</p>
<p>${ASK_ADMIN}</p>`;
  return {
    statusCode: 410,
    html: pageDocument({ title: "The deadline has passed", allianceName: input.allianceName, body }),
  };
}

/** 410: the workflow already moved on (the task closed), so this answer can no longer count. */
export function windowClosed(input: { allianceName?: string } = {}): Page {
  const body = html`<p>This window has closed: the alliance's process has moved on, so this answer can no longer be recorded. Nothing changed.</p>
<p>If you still have something to say, contact the alliance's organiser or its admin.</p>`;
  return {
    statusCode: 410,
    html: pageDocument({ title: "This window has closed", allianceName: input.allianceName, body }),
  };
}

/** 410: the request was cancelled (for example, the draft was withdrawn or replaced). */
export function cancelled(input: { allianceName?: string; reason?: string } = {}): Page {
  const body = html`<p>This request was cancelled${input.reason !== undefined && html`: ${input.reason}`}. Nothing needs doing, and nothing can be recorded through this link.</p>
<p>If a new request is needed, it will come in a new email.</p>`;
  return {
    statusCode: 410,
    html: pageDocument({ title: "This request was cancelled", allianceName: input.allianceName, body }),
  };
}

/** 404: the link names no request we know. Reveals nothing about any alliance. */
export function notFound(): Page {
  const body = html`<p>We do not recognise this link. Check that you copied the <strong>whole</strong> link from your email: long links sometimes break across two lines.</p>
<p>If it still does not work, the request may have been withdrawn; contact the alliance's admin.</p>`;
  return { statusCode: 404, html: pageDocument({ title: "Link not found", body }) };
}

/** 405: the link was requested with a method other than GET, HEAD or POST (not a partner's browser). */
export function methodNotAllowed(): Page {
  const body = html`<p>This page can only be opened or sent from your browser. Nothing was shown or recorded.</p>
<p>Please open the link from your email again.</p>`;
  return { statusCode: 405, html: pageDocument({ title: "This page cannot be used this way", body }) };
}

/**
 * 403: the link's secret is wrong. Names no alliance on purpose: whoever holds a damaged or guessed link
 * learns nothing about the alliance behind it.
 */
export function forbidden(): Page {
  const body = html`<p>This link is not valid: part of it is missing or was changed on the way. Nothing was shown or recorded.</p>
<p>Please use the link exactly as it appears in your email (copy the whole link if clicking does not work).</p>`;
  return { statusCode: 403, html: pageDocument({ title: "This link is not valid", body }) };
}

/** 500: something failed on Concord's side; no details, and the person may simply try again. */
export function serverError(): Page {
  const body = html`<p>Something went wrong on our side. If you were sending an answer, it may not have been recorded: please open the link from your email again in a few minutes; if your answer was recorded, the page will say so.</p>`;
  return { statusCode: 500, html: pageDocument({ title: "Something went wrong", body }) };
}

/** 201: the concern was raised and starts up the ladder; says what happens next (also when the form is sent again). */
export function concernRaised(input: {
  allianceName: string;
  subject: string;
  escalationId: string;
  firstRung: string;
}): Page {
  const body = html`<p>Your concern <strong>${input.subject}</strong> was raised (reference ${input.escalationId}).</p>
<p>It starts at <strong>${input.firstRung}</strong>: the people there are emailed now with their decision links, and everyone in the alliance is told as it is resolved or moves up the ladder.</p>
<p>Nothing else is needed from you now. You can close this page.</p>`;
  return {
    statusCode: 201,
    html: pageDocument({ title: "Concern raised", allianceName: input.allianceName, body }),
  };
}

/** 409: the concern was not raised (one like it is open, or the alliance's state refuses it); nothing changed. */
export function concernRefused(input: { allianceName: string; reason: string }): Page {
  const body = html`<p>The concern was <strong>not raised</strong>: ${input.reason}. Nothing was recorded.</p>
<p>${ASK_ADMIN}</p>`;
  return {
    statusCode: 409,
    html: pageDocument({ title: "Not raised", allianceName: input.allianceName, body }),
  };
}

/** 410: this "raise a concern" link no longer works (expired, the alliance is not active, or its contact left). */
export function concernLinkClosed(input: { allianceName?: string; reason: string }): Page {
  const body = html`<p>This link can no longer raise a concern: ${input.reason}. Nothing was shown or recorded.</p>
<p>A recent email from the alliance has a link that works. ${ASK_ADMIN}</p>`;
  return {
    statusCode: 410,
    html: pageDocument({ title: "This link is closed", allianceName: input.allianceName, body }),
  };
}
