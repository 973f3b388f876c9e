import type { Email } from "../../functions/mail/layout";
import { withFooterLine } from "../../functions/mail/layout";
import * as templates from "../../functions/mail/templates";
import { requestKind } from "../../functions/requests";
import { draftOf, fullDraftInput } from "../unit/mail/fixtures";
import { ALLIANCE, CONTACT, DEADLINE, MAPS, PARTNER, PARTNERS, REVISION, TYPED, WORD } from "./samples";

type Templates = typeof templates;

/** Every export of the templates module that renders an email: a new template is a compile error below until it has a sample. */
export type EmailTemplateName = {
  [K in keyof Templates]: Templates[K] extends (...args: never[]) => Email ? K : never;
}[keyof Templates];

const LINK = `https://concord.example.org/r/0f3c9a7e4b1d2c8a9e6f5d4c3b2a1908?s=${"Zm9vYmFyYmF6cXV4".repeat(3)}`;
const summary = templates.charterSummary(draftOf(fullDraftInput));
const words = requestKind("charter-approval").words;
const request = {
  allianceName: ALLIANCE,
  partnerName: PARTNER,
  contactName: CONTACT,
  link: LINK,
  button: "Open the request",
  deadline: DEADLINE,
};
const division = [
  { summary: `Booking portal (${WORD}): licensed back to ${PARTNER}` },
  { summary: "Shipper list: returned to Bolt Couriers" },
];
const comments = [
  { partnerName: PARTNER, vote: "reject" as const, comment: TYPED },
  { partnerName: "Bolt Couriers", vote: "approve" as const, comment: "Fine by us." },
];

/** One sample of every email template, with the widest content a real alliance is likely to put in it. */
export const EVERY_EMAIL: { [K in EmailTemplateName]: () => Email } = {
  interestMapRequest: () =>
    templates.interestMapRequest({
      ...request,
      purpose: TYPED,
      goals: [WORD, "One booking portal for shippers"],
    }),
  charterApprovalRequest: () =>
    templates.charterApprovalRequest({
      ...request,
      charterSummary: summary,
      mode: "full",
      interestMaps: MAPS,
      revision: REVISION,
    }),
  reminder: () => templates.reminder({ ...request, words, deadline: DEADLINE }),
  deadlineExtended: () =>
    templates.deadlineExtended({ ...request, words, was: "2027-01-08T17:00:00.000Z", reason: TYPED }),
  roundExtended: () =>
    templates.roundExtended({
      allianceName: ALLIANCE,
      words,
      deadline: DEADLINE,
      was: "2027-01-08T17:00:00.000Z",
      pending: PARTNERS.map((partner) => `${partner.name} (${CONTACT}, anne-sophie@cgtm.example)`),
      reason: TYPED,
    }),
  delegatedToYou: () =>
    templates.delegatedToYou({
      ...request,
      words,
      fromName: CONTACT,
      fromEmail: "anne-sophie.delacroix-montgomery@compagnie-generale-transports.example",
      toName: "Cy Committee",
    }),
  deadlineMissed: () =>
    templates.deadlineMissed({
      allianceName: ALLIANCE,
      words,
      partnerName: PARTNER,
      consequence: `As the charter says, ${PARTNER}'s missing vote counts as an abstention.`,
      deadline: DEADLINE,
      to: "organiser",
    }),
  returnedToDraft: () =>
    templates.returnedToDraft({ allianceName: ALLIANCE, version: 3, reason: TYPED, comments, mode: "full" }),
  auditFailed: () =>
    templates.auditFailed({
      allianceName: ALLIANCE,
      findings: [
        { area: "exit", severity: "missing", message: `The exit terms name no notice period for ${WORD}.` },
        { area: "decision-making", severity: "warning", message: "Only one decision class is defined." },
      ],
    }),
  welcome: () =>
    templates.welcome({
      allianceName: ALLIANCE,
      purpose: TYPED,
      charterSummary: summary,
      nextReviewDate: DEADLINE,
      ...MAPS,
      comments,
      mode: "full",
    }),
  reviewRequest: () =>
    templates.reviewRequest({
      ...request,
      goals: [WORD],
      packet: {
        since: "2026-09-01T10:00:00Z",
        balances: PARTNERS.map(({ name }, index) => ({ partnerName: name, balance: index - 2 })),
        ledger: [
          { at: "2026-10-10T10:00:00Z", partnerName: PARTNER, points: -1, kind: "missed", note: TYPED },
        ],
        ledgerOmitted: 3,
        checkIns: [{ closedAt: "2026-10-01T10:00:00Z", average: 2.333, answered: 5, asked: 6 }],
      },
    }),
  reviewSummary: () =>
    templates.reviewSummary({
      allianceName: ALLIANCE,
      outcome: "adjust-goals",
      reason: TYPED,
      nextReviewDate: DEADLINE,
      goals: [WORD],
      adjusted: { charterVersion: 4, changes: [{ before: "Cut empty runs", after: WORD }], goals: [WORD] },
      answers: PARTNERS.map(({ name: partnerName }, index) =>
        index === 3
          ? { partnerName, countedAs: "an abstention" }
          : {
              partnerName,
              answer: {
                strategicFit: 4,
                stance: "continue",
                stronger: TYPED,
                goals: [{ action: "reword", wording: WORD }],
              },
            },
      ),
    }),
  reviewNeedsAdmin: () =>
    templates.reviewNeedsAdmin({
      allianceName: ALLIANCE,
      allianceId: "0f3c9a7e-4b1d-4c8a-9e6f-5d4c3b2a1908",
      cycle: 7,
      outcome: "exit-recommended",
      reason: TYPED,
    }),
  checkInRequest: () => templates.checkInRequest(request),
  reviewBroughtForward: () =>
    templates.reviewBroughtForward({
      allianceName: ALLIANCE,
      average: 1.8,
      threshold: 2.5,
      answered: 5,
      asked: 6,
      reviewDate: DEADLINE,
      comments: [{ partnerName: PARTNER, comment: TYPED }],
    }),
  exitNotice: () =>
    templates.exitNotice({
      allianceName: ALLIANCE,
      leaving: PARTNER,
      reason: TYPED,
      effectiveDate: DEADLINE,
      noticeDays: 90,
      forceMajeure: false,
      division,
    }),
  exitAcknowledgementRequest: () => templates.exitAcknowledgementRequest(request),
  exitCompleted: () =>
    templates.exitCompleted({
      allianceName: ALLIANCE,
      leaving: PARTNER,
      effectiveDate: DEADLINE,
      reason: TYPED,
      acknowledgement: `Acknowledged by ${CONTACT} on 2 December 2026`,
      division,
      settled: "approved by every remaining partner",
      obligations: [`Hand over the ${WORD} credentials (done 10 Jan 2027)`],
      nonDisparagement: `Acknowledged by ${CONTACT}`,
      dissolved: false,
      remaining: PARTNERS.slice(1).map((partner) => partner.name),
    }),
  exitCancelled: () => templates.exitCancelled({ allianceName: ALLIANCE, leaving: PARTNER, reason: TYPED }),
  exitStatus: () =>
    templates.exitStatus({
      allianceName: ALLIANCE,
      leaving: PARTNER,
      effectiveDate: DEADLINE,
      acknowledged: "pending",
      division,
    }),
  exitDivisionProposed: () =>
    templates.exitDivisionProposed({
      allianceName: ALLIANCE,
      leaving: PARTNER,
      division,
      deadline: DEADLINE,
    }),
  assetDivisionRequest: () => templates.assetDivisionRequest({ ...request, division }),
  exitDivisionContested: () =>
    templates.exitDivisionContested({
      allianceName: ALLIANCE,
      allianceId: "0f3c9a7e-4b1d-4c8a-9e6f-5d4c3b2a1908",
      exitId: "exit-0f3c9a7e-4b1d-4c8a-9e6f-5d4c3b2a1908",
      leaving: PARTNER,
      contests: [{ partnerName: "Bolt Couriers", reason: TYPED }],
      undivided: [WORD],
      forAdmin: true,
    }),
  exitDivisionDecided: () =>
    templates.exitDivisionDecided({
      allianceName: ALLIANCE,
      leaving: PARTNER,
      resolution: TYPED,
      transfers: [`${WORD} to Bolt Couriers`],
    }),
  windDownStarted: () =>
    templates.windDownStarted({
      allianceName: ALLIANCE,
      leaving: PARTNER,
      obligations: [{ what: `Hand over the ${WORD} credentials`, dueDate: DEADLINE }],
    }),
  obligationRequest: () =>
    templates.obligationRequest({ ...request, what: `Hand over the ${WORD} credentials` }),
  nonDisparagementRequest: () => templates.nonDisparagementRequest(request),
  rungRequest: () =>
    templates.rungRequest({
      ...request,
      subject: `Late payments for the ${WORD}`,
      rungName: "Steering committee",
      history: [`Operational leads: no agreement by 3 December 2026 (${TYPED})`],
    }),
  escalationAtRung: () =>
    templates.escalationAtRung({
      allianceName: ALLIANCE,
      subject: `Late payments for the ${WORD}`,
      description: TYPED,
      concerned: [PARTNER, "Bolt Couriers"],
      raisedBy: `${CONTACT} for ${PARTNER}`,
      rungName: "Steering committee",
      rungNumber: 2,
      participants: "the committee members of every partner",
      deadline: DEADLINE,
      moved: "The operational leads did not agree by the deadline.",
    }),
  escalationResolved: () =>
    templates.escalationResolved({
      allianceName: ALLIANCE,
      subject: `Late payments for the ${WORD}`,
      rungName: "Steering committee",
      resolution: TYPED,
      reason: "6 of 10 voting weight approved (66 % needed).",
      trust: `A trust deposit for ${PARTNER}.`,
    }),
  escalationExhausted: () =>
    templates.escalationExhausted({
      allianceName: ALLIANCE,
      allianceId: "0f3c9a7e-4b1d-4c8a-9e6f-5d4c3b2a1908",
      subject: `Late payments for the ${WORD}`,
      reason: "No rung resolved it.",
      next: "The exit plan starts for the partner concerned.",
      forAdmin: true,
      escalationId: "esc-0f3c9a7e-4b1d-4c8a-9e6f-5d4c3b2a1908",
    }),
  escalationWithdrawn: () =>
    templates.escalationWithdrawn({
      allianceName: ALLIANCE,
      subject: `Late payments for the ${WORD}`,
      reason: TYPED,
    }),
  workflowStopped: () =>
    templates.workflowStopped({
      allianceName: ALLIANCE,
      allianceId: "0f3c9a7e-4b1d-4c8a-9e6f-5d4c3b2a1908",
      workflow: "formation-0f3c9a7e-4b1d-4c8a-9e6f-5d4c3b2a1908-v2",
      status: "FAILED",
      error: "InjectedFault",
      cause: `{"errorType":"InjectedFault","errorMessage":"${WORD}","trace":["at ${WORD}.handler (index.js:1:1)"]}`,
    }),
  allianceCancelled: () => templates.allianceCancelled({ allianceName: ALLIANCE, reason: TYPED }),
};

/** The sample as a partner's contact receives it: with the organiser's line and their concern link under the footer. */
export function asReceived(email: Email): Email {
  const organised = withFooterLine(
    email,
    templates.organiserFooterLine({
      name: CONTACT,
      email: "anne-sophie.delacroix-montgomery@harbour-programme-office.example",
      organisation: "Harbour District Programme Office",
    }),
  );
  return withFooterLine(
    organised,
    templates.concernFooterLine(`https://concord.example.org/c/${"9".repeat(32)}?s=${"a".repeat(43)}`),
  );
}
