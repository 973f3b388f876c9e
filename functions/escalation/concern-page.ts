import { loadCurrent, partnersInAlliance } from "../alliance/load";
import { type AllianceDraft, auditMode, type Partner, parseWith } from "../domain";
import { isSecret, secretMatches } from "../links/secret";
import { decisionRuleInWords } from "../mail/charter-summary";
import type { Page } from "../pages";
import * as pages from "../pages";
import { nowIso } from "../shared/time";
import {
  type AllianceRecord,
  type ConcernLinkRecord,
  type EscalationRecord,
  getConcernLink,
  getEscalation,
  openConcern,
} from "../store";
import { type RaiseConcern, RaiseConcernSchema } from "./inputs";
import { ConcernRefusedError, raiseConcern, startingRung } from "./raise";

// The page behind the "raise a concern" link under every partner email of an ACTIVE alliance. GET shows the form and
// changes nothing; the POST raises the concern in the name of the contact the email went to, for their partner.

type Resolved =
  | { ok: false; page: Page }
  | {
      ok: true;
      link: ConcernLinkRecord;
      alliance: AllianceRecord;
      draft: AllianceDraft;
      partner: Partner;
      contactName: string;
      stillIn: Partner[];
    };

/** Finds the link and checks its secret, its age, the alliance and that its contact still acts for a partner. */
async function resolve(linkId: string, secret: unknown): Promise<Resolved> {
  const link = await getConcernLink(linkId);
  if (!link) return { ok: false, page: pages.notFound() };
  // A wrong secret learns nothing, not even the alliance's name.
  if (!isSecret(secret) || !secretMatches(secret, link.secretHash))
    return { ok: false, page: pages.forbidden() };
  const current = await loadCurrent(link.allianceId);
  if (!current) return { ok: false, page: pages.notFound() };
  const { alliance, draft } = current;
  const allianceName = draft.name;
  if (link.expiresAt <= nowIso())
    return {
      ok: false,
      page: pages.concernLinkClosed({ allianceName, reason: `it expired on ${link.expiresAt.slice(0, 10)}` }),
    };
  if (alliance.status !== "ACTIVE")
    return {
      ok: false,
      page: pages.concernLinkClosed({
        allianceName,
        reason: `the alliance is ${alliance.status.toLowerCase()}, and concerns are raised only while it is active`,
      }),
    };
  const stillIn = await partnersInAlliance(alliance.id, draft);
  const email = link.email.toLowerCase();
  const partner = stillIn.find((p) => p.contacts.some((c) => c.email.toLowerCase() === email));
  const contact = partner?.contacts.find((c) => c.email.toLowerCase() === email);
  if (!partner || !contact)
    return {
      ok: false,
      page: pages.concernLinkClosed({
        allianceName,
        reason: `${link.email} is no longer a contact of a partner in the alliance`,
      }),
    };
  return { ok: true, link, alliance, draft, partner, contactName: contact.name, stillIn };
}

function formInput(found: Extract<Resolved, { ok: true }>, secret: string): pages.ConcernFormInput {
  const { draft, partner, stillIn } = found;
  return {
    allianceName: draft.name,
    partnerName: partner.name,
    contactName: found.contactName,
    secret,
    partners: stillIn.map(({ id, name }) => ({ id, name })),
    ownPartnerId: partner.id,
    forceMajeure: draft.charter.forceMajeure !== undefined,
    mode: auditMode(draft).mode,
    rungs: (draft.charter.escalation?.rungs ?? []).map(
      (rung) =>
        `${rung.name}: ${rung.participants.join(", ")} contacts decide by ${decisionRuleInWords(rung.decision, draft.partners)}, within ${rung.deadlineDays} days`,
    ),
  };
}

/** GET: the "raise a concern" form, or the page that says why this link cannot raise one. */
export async function showConcernForm(linkId: string, secret: unknown): Promise<Page> {
  const found = await resolve(linkId, secret);
  if (!found.ok) return found.page;
  return pages.withOrganiser(pages.concernForm(formInput(found, String(secret))), found.draft.organiser);
}

/**
 * POST: raises the concern in the name of the link's contact (the timeline's actor: their partner, their address, the
 * link). Bad fields re-render the form (400) naming them; a refusal by the alliance's state is a 409 page. Nothing is
 * written unless it is raised.
 */
export async function raiseFromLink(linkId: string, body: string | URLSearchParams): Promise<Page> {
  const read = pages.readConcernForm(body);
  const found = await resolve(linkId, read.secret);
  if (!found.ok) return found.page;
  return pages.withOrganiser(await raiseResolved(found, read), found.draft.organiser);
}

async function raiseResolved(
  found: Extract<Resolved, { ok: true }>,
  read: ReturnType<typeof pages.readConcernForm>,
): Promise<Page> {
  const { alliance, draft, partner, link } = found;
  const rerender = (
    errors: pages.FormErrors<pages.ConcernField> | readonly { path: string; message: string }[],
  ) => pages.concernForm({ ...formInput(found, read.secret), errors, values: read.values });
  const parsed = parseWith(RaiseConcernSchema, read.concern);
  if (!parsed.ok) return rerender(parsed.errors);
  try {
    const { escalationId } = await raiseConcern({
      alliance,
      draft,
      concern: parsed.value,
      actor: { kind: "partner", partnerId: partner.id, email: link.email, concernLinkId: link.linkId },
    });
    return raisedPage(draft, { escalationId, subject: parsed.value.subject, kind: parsed.value.kind });
  } catch (error) {
    if (!(error instanceof ConcernRefusedError)) throw error;
    if (error.statusCode === 400) return rerender(error.errors);
    // The same form sent twice (a double click, a reload): the first raised it, so say that again.
    const mine = await raisedThrough(link, parsed.value);
    if (mine) return raisedPage(draft, mine);
    return pages.concernRefused({ allianceName: draft.name, reason: error.message });
  }
}

function raisedPage(
  draft: AllianceDraft,
  escalation: Pick<EscalationRecord, "escalationId" | "subject" | "kind">,
): Page {
  const rungs = draft.charter.escalation?.rungs ?? [];
  return pages.concernRaised({
    allianceName: draft.name,
    subject: escalation.subject,
    escalationId: escalation.escalationId,
    firstRung: rungs[startingRung(draft, escalation.kind)]?.name ?? "the first rung",
  });
}

/** The open concern this very link raised with the same subject, kind and partners, if any. */
async function raisedThrough(
  link: ConcernLinkRecord,
  concern: RaiseConcern,
): Promise<EscalationRecord | undefined> {
  const id = await openConcern(link.allianceId, concern.kind, concern.partnerIds[0] ?? "");
  const escalation = id ? await getEscalation(link.allianceId, id) : undefined;
  const raisedBy = escalation?.raisedBy;
  return escalation &&
    raisedBy?.kind === "partner" &&
    raisedBy.concernLinkId === link.linkId &&
    escalation.subject === concern.subject
    ? escalation
    : undefined;
}
