import type * as z from "zod";
import type { AllianceDraft, Contact, Partner } from "../domain";
import type { Email } from "../mail/layout";
import type { Colleague, FormErrors, FormSubmission, Page } from "../pages";
import type { SafeHtml } from "../shared/html";

/** What a kind of request asks, in words that fit "… to <task>", "<partner>'s <noun>" and a button. */
export interface KindWords {
  /** "interest map", "charter vote". */
  noun: string;
  /** "share your organisation's interests" (fits "a request to …"). */
  task: string;
  /** The same task said of a partner: "share its interests" (fits "the deadline for Acme to …"). */
  partnerTask: string;
  /** The email's call to action: "Share your interests". */
  button: string;
}

/** What a request's page and emails know about the alliance, the partner and the person asked. */
export interface RequestContext<P = unknown> {
  draft: AllianceDraft;
  partner: Partner;
  contact: Pick<Contact, "name" | "email">;
  deadline: string;
  /** What the kind shows besides the charter (a review's packet), when its loadPacket found one. */
  packet?: P;
}

/** The form page's extra inputs: the link's secret, colleagues to hand over to, and what to re-show. */
export interface FormContext<P = unknown> extends RequestContext<P> {
  secret: string;
  colleagues: readonly Colleague[];
  errors?: FormErrors<string>;
  values?: Record<string, string | undefined>;
  /** The answer given already, when it may still be changed (see revisable). */
  revising?: { at: string };
}

/** What a partner's silence counts as once the deadline passed, and the sentence that says so. */
export interface Silence {
  /** Recorded on the outcome and the timeline, e.g. "abstain", "reject", "not provided". */
  countedAs: string;
  /** One sentence for the partner's notice: "As the charter says, Acme's missing vote counts as an abstention." */
  consequence: string;
}

/**
 * One kind of request (an interest map, a charter vote, a review answer, …): everything the engine needs
 * to ask for it, show it, read it, remind about it, record it and count its silence. Adding a kind is adding
 * one of these to the registry; leaving a part out does not compile.
 */
export interface RequestKindSpec<D extends { kind: string } = { kind: string }, P = unknown> {
  /** The decision as stored on the request and its outcome (parsed whenever it is read back). */
  readonly decision: z.ZodType<D>;
  readonly words: KindWords;
  /** Asked while the alliance forms: no ladder yet, so its emails carry no "raise a concern" link. */
  readonly whileForming?: true;
  /**
   * What the email and page show besides the charter, for the workflow instance that asks (a review's packet,
   * built when the review started); loaded once per email or page view. Absent: nothing more.
   */
  loadPacket?(instance: { allianceId: string; instance: string }): Promise<P | undefined>;
  /** The email that asks for it, with the person's link. */
  requestEmail(context: RequestContext<P> & { link: string }): Email;
  /** The decision page (200, or 400 with field errors when re-rendered). */
  form(context: FormContext<P>): Page;
  /** Reads the page's POST into a decision, a hand-over, or field errors (`context` says whose page it is). */
  readForm(body: URLSearchParams, context: RequestContext<P>): FormSubmission<D, string>;
  /** The recorded decision, shown back to the person (escaped). */
  show(decision: D): SafeHtml;
  /** What the timeline says happened: "submitted its interest map", "approved charter v2". */
  summary(decision: D, context: { charterVersion: number }): string;
  /** What silence counts as under this alliance's charter. */
  silence(draft: AllianceDraft, partnerName: string): Silence;
  /**
   * Whether the decisions recorded so far settle the whole round (a vote whose outcome can no longer change): the
   * reason, and the engine withdraws the round's other open requests so the workflow goes on at once. Absent: every
   * recipient is waited for until the deadline.
   */
  settles?(instance: { allianceId: string; instance: string }): Promise<string | undefined>;
  /**
   * Whether a decided answer may still be changed through the same link (a vote, until its round closes): the last
   * answer counts and the timeline keeps every one. Absent: the first decision is final.
   */
  revisable?(instance: { allianceId: string; instance: string }): Promise<boolean>;
}
