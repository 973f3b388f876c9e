import { z } from "zod";
import { InterestMapSchema } from "../domain";
import { html, type SafeHtml } from "../shared/html";

/** What a partner's contact recorded through a link (the request record's `decision`). */
export const RecordedDecisionSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("interest-map"), interestMap: InterestMapSchema }),
  z.strictObject({
    kind: z.literal("charter-approval"),
    vote: z.enum(["approve", "reject", "abstain"], { error: 'must be "approve", "reject" or "abstain"' }),
    comment: z.string().optional(),
  }),
]);
/** A recorded answer: an interest map, or a charter vote with its comment. */
export type RecordedDecision = z.infer<typeof RecordedDecisionSchema>;

const VOTE_WORDS = { approve: "Approve", reject: "Reject", abstain: "Abstain" } as const;

/** What a decision was about, in words ("interest map", "charter vote"; "answer" for a bare sentence). */
export function decisionNoun(decision: RecordedDecision | string): string {
  if (typeof decision === "string") return "answer";
  return decision.kind === "interest-map" ? "interest map" : "charter vote";
}

/** A recorded decision shown back to the person, escaped; a sentence is shown as it is. */
export function describeDecision(decision: RecordedDecision | string): SafeHtml {
  if (typeof decision === "string") return html`<p>${decision}</p>`;
  if (decision.kind === "charter-approval") {
    const comment = decision.comment?.trim() ?? "";
    return html`<dl>
<dt><strong>Vote</strong></dt><dd>${VOTE_WORDS[decision.vote]}</dd>
<dt><strong>Comment</strong></dt><dd>${comment === "" ? html`<em>none</em>` : html`<span style="white-space:pre-wrap">${comment}</span>`}</dd>
</dl>`;
  }
  const { interestMap } = decision;
  const section = (title: string, items: readonly string[]) =>
    html`<h3>${title}</h3>${
      items.length === 0
        ? html`<p><em>none listed</em></p>`
        : html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>`
    }`;
  return html`${section("Explicit interests", interestMap.explicit)}
${section("Implicit interests", interestMap.implicit)}
${section("Cannot afford to lose", interestMap.cannotAffordToLose)}`;
}
