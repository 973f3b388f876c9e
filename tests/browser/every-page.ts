import { charterSummary } from "../../functions/mail/charter-summary";
import * as forms from "../../functions/pages/forms";
import type { Page } from "../../functions/pages/layout";
import { withOrganiser } from "../../functions/pages/layout";
import * as results from "../../functions/pages/results";
import { html } from "../../functions/shared/html";
import { draftOf, fullDraftInput } from "../unit/mail/fixtures";
import { ALLIANCE, CONTACT, DEADLINE, MAPS, PARTNER, PARTNERS, REVISION, TYPED, WORD } from "./samples";

type Renderers<M> = { [K in keyof M]: M[K] extends (...args: never[]) => Page ? K : never }[keyof M];
/** Every export of the partner pages' modules that renders a page: a new one is a compile error until it has a sample. */
export type PageName = Renderers<typeof forms> | Renderers<typeof results>;

const decision = {
  allianceName: ALLIANCE,
  partnerName: PARTNER,
  contactName: CONTACT,
  deadline: DEADLINE,
  secret: "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4",
  colleagues: [
    {
      name: "Jean-Baptiste Lefèvre-Ollivier",
      email: "jean-baptiste.lefevre-ollivier@compagnie-generale-transports.example",
      role: "committee" as const,
    },
    { name: "Cy", email: "cy@cgtm.example", role: "sponsor" as const },
  ],
};
const concern = {
  subject: `Late payments for the ${WORD}`,
  description: TYPED,
  kind: "dispute",
  critical: true,
  concerned: [PARTNER, "Bolt Couriers"],
  raisedBy: `Anne-Sophie Delacroix-Montgomery for ${PARTNER}`,
  rungName: "Steering committee",
  rungNumber: 2,
  rungCount: 3,
  rule: "weighted majority, 66 % of voting weight, with a minority veto",
  history: [`Operational leads: no agreement (${TYPED})`],
};
const recorded = { noun: "charter vote", details: html`<p>Approved: ${TYPED}</p>` };

/** One sample of every partner page, with the widest content a real alliance is likely to put in it. */
export const EVERY_PAGE: { [K in PageName]: () => Page } = {
  interestMapForm: () =>
    forms.interestMapForm({
      ...decision,
      goals: [WORD],
      errors: { explicit: "Explicit interests: write at least one, one per line" },
      values: { explicit: "", implicit: WORD },
    }),
  charterApprovalForm: () =>
    forms.charterApprovalForm({
      ...decision,
      charterSummary: charterSummary(draftOf(fullDraftInput)),
      mode: "full",
      interestMaps: MAPS,
      revision: REVISION,
      errors: { vote: "Choose approve or reject" },
      values: { comment: TYPED },
    }),
  reviewForm: () =>
    forms.reviewForm({
      ...decision,
      goals: [WORD, "One booking portal for shippers"],
      otherPartners: PARTNERS.slice(1),
      packet: {
        since: "2026-09-01T10:00:00Z",
        balances: PARTNERS.map((partner, index) => ({ partnerName: partner.name, balance: index - 2 })),
        ledger: [
          { at: "2026-10-10T10:00:00Z", partnerName: PARTNER, points: -1, kind: "missed", note: TYPED },
        ],
        ledgerOmitted: 0,
        checkIns: [{ closedAt: "2026-10-01T10:00:00Z", average: 2.5, answered: 4, asked: 5 }],
      },
      cadence: "quarterly",
      errors: { strategicFit: "Strategic fit: choose a score from 1 to 5" },
    }),
  checkInForm: () =>
    forms.checkInForm({ ...decision, otherPartners: PARTNERS.slice(1), errors: { form: "Choose a score" } }),
  confirmationForm: () =>
    forms.confirmationForm({
      ...decision,
      title: "Acknowledge the exit notice",
      lead: html`<p>${PARTNER} leaves ${ALLIANCE} on 15 January 2027: ${TYPED}</p>`,
      confirm: `I have read the notice for ${PARTNER}`,
      button: "Acknowledge",
    }),
  assetDivisionForm: () =>
    forms.assetDivisionForm({
      ...decision,
      leaving: PARTNER,
      division: [{ summary: `Booking portal (${WORD}): licensed back to ${PARTNER}` }],
      errors: { reason: "Reason: say why you contest the division" },
    }),
  rungDecisionForm: () =>
    forms.rungDecisionForm({ ...decision, concern, revising: { at: "2026-12-01T09:00:00Z" } }),
  concernForm: () =>
    forms.concernForm({
      allianceName: ALLIANCE,
      partnerName: PARTNER,
      contactName: decision.contactName,
      secret: decision.secret,
      partners: PARTNERS,
      ownPartnerId: "partner-0",
      forceMajeure: true,
      rungs: [`Operational leads: any participant resolves, 7 days (${WORD})`],
      errors: { subject: "Subject: say in a few words what the concern is about" },
      values: { description: TYPED },
    }),
  decisionRecorded: () =>
    results.decisionRecorded({
      allianceName: ALLIANCE,
      decision: recorded,
      at: DEADLINE,
      contactName: "Ada",
    }),
  alreadyDecided: () =>
    results.alreadyDecided({
      allianceName: ALLIANCE,
      decidedAt: DEADLINE,
      decision: recorded,
      decidedBy: PARTNER,
    }),
  delegated: () =>
    results.delegated({
      allianceName: ALLIANCE,
      toName: "Jean-Baptiste Lefèvre-Ollivier",
      at: DEADLINE,
      forOriginalHolder: true,
    }),
  expired: () => results.expired({ allianceName: ALLIANCE, deadline: DEADLINE }),
  windowClosed: () => results.windowClosed({ allianceName: ALLIANCE }),
  cancelled: () => results.cancelled({ allianceName: ALLIANCE, reason: TYPED }),
  notFound: () => results.notFound(),
  methodNotAllowed: () => results.methodNotAllowed(),
  forbidden: () => results.forbidden(),
  serverError: () => results.serverError(),
  concernRaised: () =>
    results.concernRaised({
      allianceName: ALLIANCE,
      subject: concern.subject,
      escalationId: "esc-0f3c9a7e-4b1d-4c8a-9e6f-5d4c3b2a1908",
      firstRung: "Operational leads",
    }),
  concernRefused: () => results.concernRefused({ allianceName: ALLIANCE, reason: TYPED }),
  concernLinkClosed: () => results.concernLinkClosed({ allianceName: ALLIANCE, reason: TYPED }),
};

/** The page as served: with the organiser named at its foot. */
export function asServed(page: Page): string {
  return withOrganiser(page, {
    name: "Anne-Sophie Delacroix-Montgomery",
    email: "anne-sophie.delacroix-montgomery@harbour-programme-office.example",
    organisation: "Harbour District Programme Office",
  }).html;
}
