import * as z from "zod";
import { auditMode, multiLine } from "../../domain";
import { assetDivisionRequest } from "../../mail/templates";
import { assetDivisionForm, MAX_COMMENT_LENGTH, readAssetDivisionForm } from "../../pages";
import { html } from "../../shared/html";
import { type ExitDivisionLine, getExit } from "../../store";
import type { KindWords, RequestKindSpec } from "../kind";

/** A partner approves the exit's division of the shared assets, or contests it with a reason. */
export const AssetDivisionDecisionSchema = z
  .strictObject({
    kind: z.literal("asset-division"),
    approve: z.boolean({ error: "must be true (approve) or false (contest)" }),
    reason: multiLine(1, MAX_COMMENT_LENGTH).optional(),
  })
  .refine((decision) => decision.approve || decision.reason !== undefined, {
    path: ["reason"],
    message: "must say why the division is contested",
  });
export type AssetDivisionDecision = z.infer<typeof AssetDivisionDecisionSchema>;

/** The exit's planned division and who leaves, as every partner reads it. */
interface DivisionPacket {
  partnerId: string;
  division: ExitDivisionLine[];
}

const WORDS: KindWords = {
  noun: "asset-division answer",
  task: "approve or contest the asset division",
  partnerTask: "approve or contest the asset division",
  button: "Approve or contest the division",
};

/** Exit: each partner still in the alliance (the leaver too) approves or contests the division; silence: no objection. */
export const assetDivisionKind: RequestKindSpec<AssetDivisionDecision, DivisionPacket> = {
  decision: AssetDivisionDecisionSchema,
  words: WORDS,
  loadPacket: async ({ allianceId, instance }) => {
    const exit = await getExit(allianceId, instance);
    return exit && { partnerId: exit.partnerId, division: exit.division };
  },
  requestEmail: ({ draft, partner, contact, link, deadline, packet }) =>
    assetDivisionRequest({
      button: WORDS.button,
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      link,
      deadline,
      division: packet?.division ?? [],
    }),
  form: ({ draft, partner, contact, deadline, secret, colleagues, errors, values, packet }) => {
    const leaving = draft.partners.find((p) => p.id === packet?.partnerId)?.name;
    return assetDivisionForm({
      allianceName: draft.name,
      partnerName: partner.name,
      contactName: contact.name,
      deadline,
      secret,
      colleagues,
      ...(leaving ? { leaving } : {}),
      division: packet?.division ?? [],
      mode: auditMode(draft).mode,
      ...(errors ? { errors } : {}),
      ...(values ? { values } : {}),
    });
  },
  readForm: (body) => {
    const read = readAssetDivisionForm(body);
    if (!read.ok || read.action !== "decide") return read;
    return { ...read, decision: { kind: "asset-division", ...read.decision } };
  },
  show: ({ approve, reason }) => html`<dl>
<dt><strong>Answer</strong></dt><dd>${approve ? "Approved the division" : "Contested the division"}</dd>
${reason !== undefined && html`<dt><strong>Why</strong></dt><dd>${reason}</dd>`}
</dl>`,
  summary: ({ approve, reason }) =>
    approve ? "approved the asset division" : `contested the asset division: ${reason ?? ""}`,
  silence: (_draft, partnerName) => ({
    countedAs: "no objection",
    consequence: `${partnerName} did not answer on the asset division by the deadline; it is counted as not objecting.`,
  }),
};
