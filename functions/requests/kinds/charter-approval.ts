import * as z from "zod";
import { auditMode, missingVoteCountsAs, multiLine } from "../../domain";
import { interestMapsView } from "../../formation/maps";
import { revisionView } from "../../formation/revision";
import { documentNameOf } from "../../mail/charter-summary";
import {
  charterApprovalRequest,
  charterSummary,
  type InterestMapsView,
  type RevisionView,
} from "../../mail/templates";
import { charterApprovalForm, MAX_COMMENT_LENGTH, readCharterApprovalForm } from "../../pages";
import { html } from "../../shared/html";
import type { KindWords, RequestKindSpec } from "../kind";

/** A partner's vote on a charter version, with its comment. */
export const CharterApprovalDecisionSchema = z.strictObject({
  kind: z.literal("charter-approval"),
  vote: z.enum(["approve", "reject", "abstain"], { error: 'must be "approve", "reject" or "abstain"' }),
  // Free text a partner typed: line breaks kept, no control characters (checked by the form too).
  comment: multiLine(1, MAX_COMMENT_LENGTH).optional(),
});
export type CharterApprovalDecision = z.infer<typeof CharterApprovalDecisionSchema>;

const VOTE_WORDS = { approve: "Approve", reject: "Reject", abstain: "Abstain" } as const;
const VOTED = { approve: "approved", reject: "rejected", abstain: "abstained on" } as const;

const WORDS: KindWords = {
  noun: "charter vote",
  task: "approve or reject the charter",
  partnerTask: "approve or reject the charter",
  button: "Read the charter and vote",
};

/** What a partner reads besides the charter before it votes. */
interface ApprovalPacket {
  /** Every partner's interest map side by side: differences surface before the charter is formalised. */
  maps?: InterestMapsView;
  /** A revision's changes since the version voted on, and how the comments on it were answered. */
  revision?: RevisionView;
}

async function approvalPacket(round: {
  allianceId: string;
  instance: string;
}): Promise<ApprovalPacket | undefined> {
  const [maps, revision] = await Promise.all([interestMapsView(round), revisionView(round)]);
  if (maps === undefined && revision === undefined) return undefined;
  return { ...(maps ? { maps } : {}), ...(revision ? { revision } : {}) };
}

/** Formation: each partner approves or rejects the charter version (a comment is required to reject). */
export const charterApprovalKind: RequestKindSpec<CharterApprovalDecision, ApprovalPacket> = {
  decision: CharterApprovalDecisionSchema,
  whileForming: true,
  words: WORDS,
  loadPacket: approvalPacket,
  requestEmail: ({ draft, partner, contact, link, deadline, packet }) =>
    charterApprovalRequest({
      button: WORDS.button,
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      link,
      deadline,
      charterSummary: charterSummary(draft),
      mode: auditMode(draft).mode,
      ...(packet?.maps ? { interestMaps: packet.maps } : {}),
      ...(packet?.revision ? { revision: packet.revision } : {}),
    }),
  form: ({ draft, partner, contact, deadline, secret, colleagues, errors, values, packet }) =>
    charterApprovalForm({
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      deadline,
      secret,
      colleagues,
      charterSummary: charterSummary(draft),
      mode: auditMode(draft).mode,
      ...(packet?.maps ? { interestMaps: packet.maps } : {}),
      ...(packet?.revision ? { revision: packet.revision } : {}),
      ...(errors ? { errors } : {}),
      ...(values ? { values: { vote: values.vote, comment: values.comment } } : {}),
    }),
  readForm: readCharterApprovalForm,
  show: ({ vote, comment }) => {
    const text = comment?.trim() ?? "";
    return html`<dl>
<dt><strong>Vote</strong></dt><dd>${VOTE_WORDS[vote]}</dd>
<dt><strong>Comment</strong></dt><dd>${text === "" ? html`<em>none</em>` : html`<span style="white-space:pre-wrap">${text}</span>`}</dd>
</dl>`;
  },
  summary: ({ vote }, { charterVersion }) => `${VOTED[vote]} charter v${charterVersion}`,
  silence: (draft, partnerName) => {
    const countedAs = missingVoteCountsAs(draft.charter.approval.onMissedDeadline);
    const document = documentNameOf(auditMode(draft).mode);
    return {
      countedAs,
      consequence: `As the ${document} says, ${partnerName}'s missing vote counts as ${countedAs === "reject" ? "a rejection" : "an abstention"}.`,
    };
  },
};
