import * as z from "zod";
import { multiLine } from "../../domain";
import type { Email } from "../../mail/layout";
import { confirmationForm, MAX_COMMENT_LENGTH, readConfirmationForm } from "../../pages";
import { html, type SafeHtml } from "../../shared/html";
import type { KindWords, RequestContext, RequestKindSpec, Silence } from "../kind";

/** A decision that confirms one thing (the box ticked), with an optional comment. */
export type ConfirmationDecision<K extends string> = { kind: K; confirmed: true; comment?: string };

/** What one kind of confirmation says: its email, its page's lead and box, and what its silence counts as. */
export interface ConfirmationKindProps<K extends string, P> {
  kind: K;
  words: KindWords;
  loadPacket?: RequestKindSpec<ConfirmationDecision<K>, P>["loadPacket"];
  email(context: RequestContext<P> & { link: string; button: string }): Email;
  /** The page's title, e.g. "Exit notice". */
  title: string;
  /** What the page says before the form. */
  lead(context: RequestContext<P>): SafeHtml;
  /** The box's label, e.g. "I have read the notice for Acme". */
  confirm(context: RequestContext<P>): string;
  /** The error when the box is not ticked. */
  missing: string;
  /** What is shown back beside "Comment": "Acknowledged", "Done". */
  shown: string;
  /** The timeline's words: "acknowledged its exit notice". */
  summary: string;
  silence(partnerName: string): Silence;
}

/**
 * A request kind where the person confirms one thing by ticking a box (an exit notice read, a wind-down
 * obligation done, a clause acknowledged): one schema, one page, one reader for all of them.
 */
export function confirmationKind<K extends string, P = unknown>(
  props: ConfirmationKindProps<K, P>,
): RequestKindSpec<ConfirmationDecision<K>, P> {
  const decision = z.strictObject({
    kind: z.literal(props.kind),
    confirmed: z.literal(true, { error: "must be true: tick the box to confirm" }),
    comment: multiLine(1, MAX_COMMENT_LENGTH).optional(),
  }) as unknown as z.ZodType<ConfirmationDecision<K>>;
  return {
    decision,
    words: props.words,
    ...(props.loadPacket ? { loadPacket: props.loadPacket } : {}),
    requestEmail: (context) => props.email({ ...context, button: props.words.button }),
    form: (context) =>
      confirmationForm({
        title: props.title,
        allianceName: context.draft.name,
        partnerName: context.partner.name,
        contactName: context.contact.name,
        deadline: context.deadline,
        secret: context.secret,
        colleagues: context.colleagues,
        lead: props.lead(context),
        confirm: props.confirm(context),
        button: props.words.button,
        ...(context.errors ? { errors: context.errors } : {}),
        ...(context.values ? { values: context.values } : {}),
      }),
    readForm: (body) => {
      const read = readConfirmationForm(body, props.missing);
      if (!read.ok || read.action !== "decide") return read;
      const { comment } = read.decision;
      return { ...read, decision: { kind: props.kind, confirmed: true, ...(comment ? { comment } : {}) } };
    },
    show: ({ comment }) => html`<dl>
<dt><strong>${props.shown}</strong></dt><dd>Yes</dd>
<dt><strong>Comment</strong></dt><dd>${comment ?? html`<em>none</em>`}</dd>
</dl>`,
    summary: () => props.summary,
    silence: (_draft, partnerName) => props.silence(partnerName),
  };
}
