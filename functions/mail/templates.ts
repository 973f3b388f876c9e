import type { AuditFinding, InterestMap, Organiser, ReviewPacket } from "../domain";
import type { KindWords } from "../requests/kind";
import { html, type SafeHtml } from "../shared/html";
import {
  type CharterChange,
  type CharterSummary,
  charterSummaryHtml,
  charterSummaryText,
  documentNameOf,
} from "./charter-summary";
import {
  type DateInput,
  formatDate,
  formatDateTime,
  formatDeadline,
  formatShortDate,
  relativeTime,
} from "./dates";
import {
  absoluteLink,
  actionLink,
  bullets,
  type Email,
  emailDocument,
  heading,
  list,
  para,
  paragraphs,
  subjectLine,
  typed,
} from "./layout";
import { reviewPacketHtml, reviewPacketText } from "./review-packet";

// Callers that render an email usually need the summary too; one implementation, two import paths.
export { charterSummary } from "./charter-summary";

/** Footer for mail that carries a personal link. */
function personalLinkFooter(allianceName: string, partnerName?: string): string {
  const holder = partnerName === undefined ? "your organisation" : partnerName;
  return (
    `Sent by Concord for the alliance "${allianceName}". This link is personal: anyone holding it can answer for ${holder}. ` +
    `Please do not forward it; to pass the request on, use "Hand this to a colleague" on the page. ` +
    "Opening the link changes nothing: you decide on the page."
  );
}

/** The line under every email of an alliance with an organiser: who runs it, and that replies reach them. */
export function organiserFooterLine(organiser: Organiser): { text: string; html: SafeHtml } {
  const words = `Organised by ${organiser.name} (${organiser.organisation}), ${organiser.email}: reply to this email to reach them.`;
  return { text: words, html: html`${words}` };
}

/**
 * The line under every partner's email of an ACTIVE alliance: their own link to raise a concern (a dispute, a partner
 * not contributing, a missed commitment, force majeure) on the alliance's escalation ladder.
 */
export function concernFooterLine(link: string): { text: string; html: SafeHtml } {
  const url = absoluteLink(link, "concern link");
  const words =
    "Something not working in this alliance? Raise a concern (a dispute, a partner not contributing, a missed commitment) for the escalation ladder with your personal link (please do not forward it)";
  return {
    text: `${words}: ${url}`,
    html: html`${words}: <a href="${url}" style="color:#52525b;">raise a concern</a>.`,
  };
}

function noticeFooter(allianceName: string): string {
  return `Sent by Concord for the alliance "${allianceName}". Nothing in this email needs an answer from you.`;
}

/** A block of a notice: a paragraph, or a heading over a list; false and undefined blocks are left out. */
type NoticeBlock = string | { heading: string; lines: readonly string[] } | false | undefined;

/** A notice that asks nothing of its reader: its blocks as text and HTML, under the notice footer. */
function noticeEmail(allianceName: string, subject: string, blocks: readonly NoticeBlock[]): Email {
  const shown = blocks.filter(
    (block): block is Exclude<NoticeBlock, false | undefined> =>
      block !== false && block !== undefined && (typeof block === "string" || block.lines.length > 0),
  );
  const footer = noticeFooter(allianceName);
  const text = paragraphs(
    ...shown.map((block) =>
      typeof block === "string" ? block : `${block.heading}:\n${bullets(block.lines)}`,
    ),
    footer,
  );
  const body = html`${shown.map((block) =>
    typeof block === "string" ? para(block) : html`${heading(block.heading)}${list(block.lines)}`,
  )}`;
  const line = subjectLine(subject);
  return { subject: line, text, html: emailDocument({ title: line, body, footer }) };
}

const whoseExit = (input: { allianceName: string; leaving?: string }) =>
  input.leaving === undefined ? "the dissolution" : `${input.leaving}'s exit`;

function onBehalfOf(requestedBy: string | undefined): string {
  return requestedBy ?? "the alliance's organisers";
}

/** Asks a partner's contact for the partner's interest map (explicit, implicit, cannot afford to lose). */
export function interestMapRequest(input: {
  allianceName: string;
  purpose: string;
  partnerName: string;
  contactName: string;
  link: string;
  /** The call to action: the kind's words (the same text its reminders use). */
  button: string;
  deadline: DateInput;
  goals: readonly string[];
  /** Who is asking, shown as "on behalf of …" (default: the alliance's organisers). */
  requestedBy?: string;
}): Email {
  const { allianceName, partnerName, contactName, purpose, goals } = input;
  const link = absoluteLink(input.link);
  const deadline = formatDeadline(input.deadline);
  const asker = onBehalfOf(input.requestedBy);
  const intro = `On behalf of ${asker}, Concord asks ${partnerName} to share its interests in the alliance "${allianceName}", which is being formed now. You receive this as ${partnerName}'s contact.`;
  const parts = [
    `Explicit interests: the goals ${partnerName} states openly for this alliance.`,
    `Implicit interests: what ${partnerName} cares about but rarely says out loud — autonomy, brand, risks to avoid.`,
    `What ${partnerName} cannot afford to lose: the things that would make the alliance a bad deal if they were lost.`,
  ];
  const why =
    "Every contact of every partner reads all the interest maps side by side before approving the charter (and again when the alliance starts), so differences are talked about early rather than discovered late. Write only what you are willing to share with them, implicit interests included.";
  const ask = "Please answer one item per line in each of three boxes:";

  const text = paragraphs(
    `Hello ${contactName},`,
    intro,
    `The alliance's purpose: ${typed(purpose)}`,
    goals.length > 0 && `Goals proposed for the alliance:\n${bullets(goals)}`,
    `${ask}\n${parts.map((part, index) => `  ${index + 1}. ${part}`).join("\n")}`,
    why,
    `Deadline: ${deadline}.`,
    `Open the form:\n${link}`,
    personalLinkFooter(allianceName, partnerName),
  );
  const body = html`${para(`Hello ${contactName},`)}
${para(intro)}
${para(html`<strong>The alliance's purpose:</strong> ${purpose}`)}
${goals.length > 0 && html`${para(html`<strong>Goals proposed for the alliance:</strong>`)}${list(goals)}`}
${para(ask)}
<ol style="margin:0 0 12px;padding-left:20px;">${parts.map((part) => html`<li style="margin:2px 0;">${part}</li>`)}</ol>
${para(why)}
${para(html`<strong>Deadline:</strong> ${deadline}.`)}
${actionLink(link, input.button)}`;
  const subject = subjectLine(
    `${allianceName}: share ${partnerName}'s interests by ${formatShortDate(input.deadline, "deadline")}`,
  );
  return {
    subject,
    text,
    html: emailDocument({ title: subject, body, footer: personalLinkFooter(allianceName, partnerName) }),
  };
}

/** Asks a partner's contact to approve or reject the charter (or the light-touch one-page agreement). */
export function charterApprovalRequest(input: {
  allianceName: string;
  partnerName: string;
  contactName: string;
  link: string;
  /** The call to action: the kind's words (the same text its reminders use). */
  button: string;
  deadline: DateInput;
  charterSummary: Pick<CharterSummary, "sections">;
  mode: "full" | "light-touch";
  /** The charter version being voted on, when known. */
  version?: number;
  /** Who is asking, shown as "on behalf of …" (default: the alliance's organisers). */
  requestedBy?: string;
  /** The interest maps every partner shared, when the formation collected them. */
  interestMaps?: InterestMapsView;
  /** For a revision: what changed since the version voted on, and how its comments were answered. */
  revision?: RevisionView;
}): Email {
  const { allianceName, partnerName, contactName } = input;
  const revision = input.revision && revisionSection(input.revision, input.mode);
  const link = absoluteLink(input.link);
  const deadline = formatDeadline(input.deadline);
  const maps = input.interestMaps && interestMapsSection(input.interestMaps);
  const mapsNote =
    "Before you vote, read how each partner sees the alliance: every contact of every partner reads these same interest maps, side by side, so differences are talked about now rather than discovered later.";
  const documentName = documentNameOf(input.mode);
  const version = input.revision?.version ?? input.version;
  const versioned = version === undefined ? documentName : `${documentName} (version ${version})`;
  const revised =
    input.revision &&
    `This is version ${input.revision.version}, revised after version ${input.revision.since} was not approved: what changed and how the comments were answered are below, before the ${documentName} itself.`;
  const intro = `On behalf of ${onBehalfOf(input.requestedBy)}, Concord asks ${partnerName} to approve or reject the ${versioned} of the alliance "${allianceName}". You receive this as ${partnerName}'s contact; one answer counts for ${partnerName}.`;
  const lightTouch =
    input.mode === "light-touch" &&
    "This alliance runs in light-touch mode: a one-page agreement instead of the full charter, with fewer steps and the same audit trail.";
  const how = `On the page, choose approve or reject and send. If you reject, say why: your comment goes back to the admin with the draft. Opening the link decides nothing.`;

  const text = paragraphs(
    `Hello ${contactName},`,
    intro,
    lightTouch,
    revised,
    `Deadline: ${deadline}.`,
    `Open the page to vote:\n${link}`,
    revision?.text,
    maps && mapsNote,
    maps?.text,
    `The ${documentName} in brief:`,
    charterSummaryText(input.charterSummary),
    how,
    `The page to vote, again:\n${link}`,
    personalLinkFooter(allianceName, partnerName),
  );
  const body = html`${para(`Hello ${contactName},`)}
${para(intro)}
${lightTouch && para(lightTouch)}
${revised && para(revised)}
${para(html`<strong>Deadline:</strong> ${deadline}.`)}
${actionLink(link, input.button)}
${revision?.html}
${maps && html`${para(mapsNote)}${maps.html}`}
${heading(`The ${documentName} in brief`)}
${charterSummaryHtml(input.charterSummary)}
${para(how)}
${actionLink(link, input.button)}`;
  const subject = subjectLine(
    `${allianceName}: approve or reject the ${input.revision ? `revised ${versioned}` : documentName} by ${formatShortDate(input.deadline, "deadline")}`,
  );
  return {
    subject,
    text,
    html: emailDocument({
      title: subject,
      body,
      footer: personalLinkFooter(allianceName, partnerName),
    }),
  };
}

/** Reminds a contact that a request is still open before its deadline. */
export function reminder(input: {
  allianceName: string;
  /** What the request asks, in the kind's words. */
  words: KindWords;
  contactName: string;
  link: string;
  deadline: DateInput;
  /** The partner the request is for, when known. */
  partnerName?: string;
}): Email {
  const { allianceName, contactName, partnerName } = input;
  const { words } = input;
  const link = absoluteLink(input.link);
  const deadline = formatDeadline(input.deadline);
  const whose = partnerName === undefined ? "your organisation's" : `${partnerName}'s`;
  const intro = `A reminder: the alliance "${allianceName}" is still waiting for ${whose} ${words.noun}. The request is open until ${deadline}.`;
  const after = "After the deadline the link closes and the alliance moves on as its charter says.";

  const text = paragraphs(
    `Hello ${contactName},`,
    intro,
    after,
    `Open the page:\n${link}`,
    personalLinkFooter(allianceName, partnerName),
  );
  const body = html`${para(`Hello ${contactName},`)}
${para(intro)}
${para(after)}
${actionLink(link, words.button)}`;
  const subject = subjectLine(
    `Reminder — ${allianceName}: ${words.task} by ${formatShortDate(input.deadline, "deadline")}`,
  );
  return {
    subject,
    text,
    html: emailDocument({ title: subject, body, footer: personalLinkFooter(allianceName, partnerName) }),
  };
}

/** Tells a contact whose request is still open that its deadline moved later; carries a fresh personal link. */
export function deadlineExtended(input: {
  allianceName: string;
  /** What the request asks, in the kind's words. */
  words: KindWords;
  contactName: string;
  partnerName: string;
  link: string;
  /** The new deadline, and the one it replaces. */
  deadline: DateInput;
  was: DateInput;
  /** Why, in the admin's words, when given. */
  reason?: string;
}): Email {
  const { allianceName, contactName, partnerName, words } = input;
  const link = absoluteLink(input.link);
  const deadline = formatDeadline(input.deadline);
  const intro = `The deadline for ${partnerName}'s ${words.noun} in the alliance "${allianceName}" has moved later. It is now ${deadline}; it was ${formatDateTime(input.was, "was")}.`;
  const why = input.reason === undefined ? undefined : `Why: ${typed(input.reason)}`;
  const rest =
    "Nothing you sent before is lost, and the earlier links keep working until the new deadline. If you have already decided, nothing else is needed from you.";
  const text = paragraphs(
    `Hello ${contactName},`,
    intro,
    why,
    rest,
    `Open the page:\n${link}`,
    personalLinkFooter(allianceName, partnerName),
  );
  const body = html`${para(`Hello ${contactName},`)}
${para(intro)}
${input.reason !== undefined && para(html`<strong>Why:</strong> ${input.reason}`)}
${para(rest)}
${actionLink(link, words.button)}`;
  const subject = subjectLine(
    `${allianceName}: more time to ${words.task}, now by ${formatShortDate(input.deadline, "deadline")}`,
  );
  return {
    subject,
    text,
    html: emailDocument({ title: subject, body, footer: personalLinkFooter(allianceName, partnerName) }),
  };
}

/** Tells the organiser that a round's deadline moved later, and whom the round still waits for. */
export function roundExtended(input: {
  allianceName: string;
  words: KindWords;
  deadline: DateInput;
  was: DateInput;
  /** The partners (with their contacts) the round still waits for. */
  pending: readonly string[];
  reason?: string;
}): Email {
  const { allianceName, words } = input;
  const subject = subjectLine(
    `${allianceName}: the ${words.noun} round now closes ${formatShortDate(input.deadline, "deadline")}`,
  );
  return noticeEmail(allianceName, subject, [
    `The deadline of the ${words.noun} round moved later. It is now ${formatDeadline(input.deadline)}; it was ${formatDateTime(input.was, "was")}. Everyone it still waits for was emailed the new deadline with a fresh link.`,
    input.reason !== undefined && `Why: ${input.reason}`,
    { heading: "Still waiting for", lines: input.pending },
  ]);
}

/** Tells a colleague that a request was handed to them; carries their own new link. */
export function delegatedToYou(input: {
  allianceName: string;
  /** What the request asks, in the kind's words. */
  words: KindWords;
  fromName: string;
  fromEmail: string;
  toName: string;
  link: string;
  deadline: DateInput;
  /** The partner the request is for, when known. */
  partnerName?: string;
}): Email {
  const { allianceName, fromName, fromEmail, toName, partnerName } = input;
  const { words } = input;
  const link = absoluteLink(input.link);
  const deadline = formatDeadline(input.deadline);
  const intro = `${fromName} (${fromEmail}) handed you a request from the alliance "${allianceName}": to ${words.task}${partnerName === undefined ? "" : ` for ${partnerName}`}. Their link is now closed; the link below is yours.`;

  const text = paragraphs(
    `Hello ${toName},`,
    intro,
    `Deadline: ${deadline}.`,
    `Open the page:\n${link}`,
    personalLinkFooter(allianceName, partnerName),
  );
  const body = html`${para(`Hello ${toName},`)}
${para(intro)}
${para(html`<strong>Deadline:</strong> ${deadline}.`)}
${actionLink(link, words.button)}`;
  const subject = subjectLine(`${allianceName}: ${fromName} handed you a request to ${words.task}`);
  return {
    subject,
    text,
    html: emailDocument({ title: subject, body, footer: personalLinkFooter(allianceName, partnerName) }),
  };
}

/** Says that a partner's deadline passed and how the missing answer counts. */
export function deadlineMissed(input: {
  allianceName: string;
  /** What the request asked, in the kind's words. */
  words: KindWords;
  partnerName: string;
  /** What the silence counts as, in one sentence (the kind's rule under this charter). */
  consequence: string;
  /** When the deadline was, if the sender knows. */
  deadline?: DateInput;
  /** Who reads it: the people who were asked (their link closed), or the organiser (default "asked"). */
  to?: "asked" | "organiser";
}): Email {
  const { allianceName, partnerName } = input;
  const { words } = input;
  const when = input.deadline === undefined ? "" : ` on ${formatDateTime(input.deadline, "deadline")}`;
  const happened = `The deadline for ${partnerName} to ${words.partnerTask} in the alliance "${allianceName}" passed${when} without an answer.`;
  const { consequence } = input;
  const after =
    input.to === "organiser"
      ? `You receive this as the alliance's organiser: ${partnerName}'s link is now closed, and the alliance goes on as its charter says.`
      : "The link sent earlier is now closed. Nothing else is needed from you.";

  const text = paragraphs(happened, consequence, after, noticeFooter(allianceName));
  const body = html`${para(happened)}
${para(consequence)}
${para(after)}`;
  const subject = subjectLine(`${allianceName}: the deadline for ${partnerName}'s ${words.noun} has passed`);
  return { subject, text, html: emailDocument({ title: subject, body, footer: noticeFooter(allianceName) }) };
}

const VOTE_WORDS: Record<"approve" | "reject" | "abstain", string> = {
  approve: "approved",
  reject: "rejected",
  abstain: "abstained",
};

/** A comment a partner's contact left with its charter vote. */
export interface VoteComment {
  partnerName: string;
  vote: "approve" | "reject" | "abstain";
  comment: string;
}

/** What the partners said with their votes, as text and HTML (the rejection notice and the welcome). */
function voteComments(comments: readonly VoteComment[]): { text: string; html: SafeHtml } {
  const commentLine = (entry: VoteComment) =>
    `${entry.partnerName} (${VOTE_WORDS[entry.vote]}): ${entry.comment.trim() === "" ? "no comment" : entry.comment}`;
  return {
    text: `What the partners said:\n${bullets(comments.map(commentLine))}`,
    html: html`${heading("What the partners said")}${list(
      comments.map(
        (entry) =>
          html`<strong>${entry.partnerName}</strong> (${VOTE_WORDS[entry.vote]}): ${entry.comment.trim() === "" ? html`<em>no comment</em>` : entry.comment}`,
      ),
    )}`,
  };
}

/** The charter was not approved: the partners' comments, and what happens next. */
export function returnedToDraft(input: {
  allianceName: string;
  version: number;
  reason: string;
  comments: readonly VoteComment[];
  /** Light-touch alliances approve a one-page agreement (default "full"). */
  mode?: "full" | "light-touch";
}): Email {
  const document = documentNameOf(input.mode);
  const { allianceName, version, reason, comments } = input;
  const said = voteComments(comments);
  const happened = `The ${document} (version ${version}) of the alliance "${allianceName}" was not approved. ${reason}`;
  const next =
    "The admin will revise the draft using these comments and submit a new version; every partner will then be asked again. Nothing is needed from you now.";
  const text = paragraphs(
    happened,
    comments.length > 0 ? said.text : "No partner left a comment.",
    next,
    noticeFooter(allianceName),
  );
  const body = html`${para(happened)}
${comments.length > 0 ? said.html : para("No partner left a comment.")}
${para(next)}`;
  const subject = subjectLine(`${allianceName}: the ${document} (version ${version}) was not approved`);
  return { subject, text, html: emailDocument({ title: subject, body, footer: noticeFooter(allianceName) }) };
}

const AREA_WORDS: Record<AuditFinding["area"], string> = {
  "decision-making": "Decision-making",
  "conflict-resolution": "Conflict resolution",
  exit: "Exit",
  review: "Reviews",
  "minority-protection": "Minority protection",
  "force-majeure": "Force majeure",
  organiser: "Organiser",
};

/** The charter audit found missing parts: formation waits until the admin completes the draft. */
export function auditFailed(input: {
  allianceName: string;
  findings: readonly Pick<AuditFinding, "area" | "severity" | "message">[];
}): Email {
  const { allianceName } = input;
  const line = (finding: (typeof input.findings)[number]) =>
    `${AREA_WORDS[finding.area]}: ${finding.message}`;
  const missing = input.findings.filter((finding) => finding.severity === "missing").map(line);
  const warnings = input.findings.filter((finding) => finding.severity !== "missing").map(line);
  const happened = `Before asking the partners, Concord checked the proposed charter of the alliance "${allianceName}". It cannot go ahead yet: ${missing.length === 1 ? "one part is" : `${missing.length} parts are`} missing.`;
  const next =
    "The admin will complete the draft and submit it again. Nothing is needed from you now; if you can answer any of these, tell the admin.";

  const text = paragraphs(
    happened,
    `Missing:\n${bullets(missing)}`,
    warnings.length > 0 && `Worth a look as well:\n${bullets(warnings)}`,
    next,
    noticeFooter(allianceName),
  );
  const body = html`${para(happened)}
${heading("Missing")}${list(missing)}
${warnings.length > 0 && html`${heading("Worth a look as well")}${list(warnings)}`}
${para(next)}`;
  const subject = subjectLine(
    `${allianceName}: the charter is missing ${missing.length === 1 ? "a part" : `${missing.length} parts`} before formation can go on`,
  );
  return { subject, text, html: emailDocument({ title: subject, body, footer: noticeFooter(allianceName) }) };
}

const INTEREST_ROWS: readonly { key: keyof InterestMap; label: string }[] = [
  { key: "explicit", label: "Explicit interests (stated goals)" },
  { key: "implicit", label: "Implicit interests (autonomy, brand, risks)" },
  { key: "cannotAffordToLose", label: "Cannot afford to lose" },
];

/** The partners' interest maps as every partner reads them, with the alignment report. */
export interface InterestMapsView {
  partners: readonly { name: string; interestMap: InterestMap | undefined }[];
  gaps: readonly { message: string }[];
  /** Goals every partner states (alignment report). */
  sharedGoals: readonly string[];
}

/**
 * The interest maps side by side (one card per partner; stacked on a phone), the goals all state and the alignment gaps: in the
 * charter-approval email (before anyone approves) and the welcome. Text and HTML.
 */
export function interestMapsSection(view: InterestMapsView): { text: string; html: SafeHtml } {
  const { partners, gaps, sharedGoals: shared } = view;
  const gapsIntro =
    gaps.length > 0
      ? "Alignment gaps to talk about early:"
      : "No alignment gaps found between the interest maps.";
  const partnerText = partners.map((partner) => {
    const map = partner.interestMap;
    if (map === undefined) return `${partner.name}\n  (interest map not shared)`;
    return [
      partner.name,
      ...INTEREST_ROWS.map(
        (row) =>
          `  ${row.label}:\n${map[row.key].length > 0 ? bullets(map[row.key], "    ") : "    (none listed)"}`,
      ),
    ].join("\n");
  });
  const text = paragraphs(
    "INTEREST MAPS",
    ...partnerText,
    shared.length > 0 && `Goals every partner states:\n${bullets(shared)}`,
    gaps.length > 0 ? `${gapsIntro}\n${bullets(gaps.map((gap) => gap.message))}` : gapsIntro,
  );
  // One card per partner: inline blocks sit side by side where the screen is wide enough (two in a 640 px card) and
  // stack on a phone, with no media query (many mail clients drop <style>).
  const card = (partner: InterestMapsView["partners"][number]): SafeHtml => {
    const map = partner.interestMap;
    const rows =
      map === undefined
        ? para(html`<em style="color:#71717a;">Interest map not shared.</em>`)
        : INTEREST_ROWS.map(
            (row) =>
              html`<p style="margin:0 0 4px;font-weight:bold;">${row.label}</p>${
                map[row.key].length > 0
                  ? list(map[row.key])
                  : para(html`<em style="color:#71717a;">none listed</em>`)
              }`,
          );
    return html`<div style="display:inline-block;vertical-align:top;box-sizing:border-box;width:100%;max-width:280px;margin:0 8px 8px 0;border:1px solid #e4e4e7;font-size:14px;line-height:1.5;text-align:left;">
<h3 style="margin:0;padding:8px;background:#f4f4f5;font-size:15px;">${partner.name}</h3>
<div style="padding:8px 8px 0;">${rows}</div>
</div>`;
  };
  const cards = html`<div style="font-size:0;margin:0 0 8px;">${partners.map(card)}</div>`;
  return {
    text,
    html: html`${heading("Interest maps, side by side")}
${cards}
${shared.length > 0 && html`${heading("Goals every partner states")}${list(shared)}`}
${heading("Alignment gaps")}
${para(gapsIntro)}
${gaps.length > 0 && list(gaps.map((gap) => gap.message))}`,
  };
}

/** A revised charter as its approval round shows it: what changed since the version voted on, and the comments. */
export interface RevisionView {
  /** The version now put to the vote. */
  version: number;
  /** The version the partners last voted on (not approved). */
  since: number;
  changes: readonly CharterChange[];
  /** Every comment left on `since`, with the organiser's answer when one was given. */
  comments: readonly (VoteComment & { answer?: string })[];
}

/** One change in words: "changed" with its "was:" and "now:" lines, "added: …", "removed: …". */
function changeText(change: CharterChange): string {
  if (change.before !== undefined && change.after !== undefined)
    return `${change.section}, changed:\nwas: ${change.before}\nnow: ${change.after}`;
  return change.after !== undefined
    ? `${change.section}, added: ${change.after}`
    : `${change.section}, removed: ${change.before}`;
}

function changeHtml(change: CharterChange): SafeHtml {
  if (change.before !== undefined && change.after !== undefined)
    return html`<strong>${change.section}</strong><br><span style="color:#71717a;">was:</span> <s>${change.before}</s><br><span style="color:#71717a;">now:</span> ${change.after}`;
  return change.after !== undefined
    ? html`<strong>${change.section}</strong>, added: ${change.after}`
    : html`<strong>${change.section}</strong>, removed: <s>${change.before}</s>`;
}

/**
 * A revised charter's difference from the version the partners last voted on, and how each comment on that version
 * was answered: in the approval email and page, so no one has to compare two charters by eye. Text and HTML.
 */
export function revisionSection(
  view: RevisionView,
  mode?: "full" | "light-touch",
): { text: string; html: SafeHtml } {
  const changedTitle = `What changed since version ${view.since}`;
  const none = `Nothing in the ${documentNameOf(mode)} changed since version ${view.since}.`;
  const commentsTitle = `How the comments on version ${view.since} were answered`;
  const noComments = `No partner left a comment on version ${view.since}.`;
  // bullets() keeps typed text's own line breaks inside the bullet, the answer's line too.
  const commentText = (c: RevisionView["comments"][number]) =>
    `${c.partnerName} (${VOTE_WORDS[c.vote]}): ${c.comment}\nAnswer: ${c.answer ?? "(no answer given)"}`;
  const text = paragraphs(
    changedTitle.toUpperCase(),
    view.changes.length > 0 ? bullets(view.changes.map(changeText)) : none,
    commentsTitle.toUpperCase(),
    view.comments.length > 0 ? bullets(view.comments.map(commentText)) : noComments,
  );
  const commentHtml = (c: RevisionView["comments"][number]) =>
    html`<strong>${c.partnerName}</strong> (${VOTE_WORDS[c.vote]}): <span style="white-space:pre-wrap">${c.comment}</span><br><span style="color:#71717a;">Answer:</span> ${
      c.answer === undefined
        ? html`<em>no answer given</em>`
        : html`<span style="white-space:pre-wrap">${c.answer}</span>`
    }`;
  return {
    text,
    html: html`${heading(changedTitle)}
${view.changes.length > 0 ? list(view.changes.map(changeHtml)) : para(none)}
${heading(commentsTitle)}
${view.comments.length > 0 ? list(view.comments.map(commentHtml)) : para(noComments)}`,
  };
}

/**
 * The alliance is ACTIVE: the partners' interest maps side by side (one card per partner), the gaps
 * to talk about, the charter summary and the first review date.
 */
export function welcome(input: {
  allianceName: string;
  purpose: string;
  charterSummary: Pick<CharterSummary, "sections">;
  nextReviewDate: DateInput;
  partners: readonly { name: string; interestMap: InterestMap | undefined }[];
  gaps: readonly { message: string }[];
  /** Goals every partner states (alignment report), when known. */
  sharedGoals?: readonly string[];
  /** What the partners wrote with their approvals: the page promises the other partners read it. */
  comments?: readonly VoteComment[];
  /** Light-touch alliances approve a one-page agreement (default "full"). */
  mode?: "full" | "light-touch";
}): Email {
  const said = (input.comments ?? []).length > 0 ? voteComments(input.comments ?? []) : undefined;
  const { allianceName, purpose, partners, gaps } = input;
  const document = documentNameOf(input.mode);
  const review = `${formatDate(input.nextReviewDate, "nextReviewDate")} (${relativeTime(input.nextReviewDate, undefined, "nextReviewDate")})`;
  const intro = `The alliance "${allianceName}" is now active: its ${document} was approved.`;
  const reviewLine = `First realignment review: ${review}. Concord will ask every partner for it; no one needs to remember the date.`;

  const maps = interestMapsSection({ partners, gaps, sharedGoals: input.sharedGoals ?? [] });
  const text = paragraphs(
    intro,
    `Purpose: ${typed(purpose)}`,
    reviewLine,
    maps.text,
    said?.text,
    `THE ${document.toUpperCase()} IN BRIEF`,
    charterSummaryText(input.charterSummary),
    noticeFooter(allianceName),
  );

  const body = html`${para(intro)}
${para(html`<strong>Purpose:</strong> ${purpose}`)}
${para(html`<strong>First realignment review:</strong> ${review}. Concord will ask every partner for it; no one needs to remember the date.`)}
${maps.html}
${said?.html}
${heading(`The ${document} in brief`)}
${charterSummaryHtml(input.charterSummary)}`;
  const subject = subjectLine(
    `${allianceName} is active: interest maps, ${document} and first review on ${formatShortDate(input.nextReviewDate, "nextReviewDate")}`,
  );
  return {
    subject,
    text,
    html: emailDocument({ title: subject, body, footer: noticeFooter(allianceName) }),
  };
}

/** What every email asking one person for a decision through their personal link knows. */
interface RequestEmailInput {
  allianceName: string;
  partnerName: string;
  contactName: string;
  link: string;
  /** The call to action: the kind's words. */
  button: string;
  deadline: DateInput;
}

/**
 * The email that asks one person for a decision through their personal link: the greeting, why they are asked,
 * the deadline, the link (as "Open the <what>:" in text, a button in HTML), then the kind's own parts.
 */
function personalRequest(input: {
  allianceName: string;
  partnerName: string;
  contactName: string;
  intro: string;
  deadline: DateInput;
  /** "review" → "Open the review:". */
  opens: string;
  link: string;
  button: string;
  /** What follows the link, each part as text and HTML (false parts are left out). */
  parts: readonly (false | undefined | { text: string; html: SafeHtml })[];
  subject: string;
}): Email {
  const { allianceName, partnerName, contactName } = input;
  const link = absoluteLink(input.link);
  const deadline = formatDeadline(input.deadline);
  const parts = input.parts.filter((part) => part !== false && part !== undefined);
  const footer = personalLinkFooter(allianceName, partnerName);
  const text = paragraphs(
    `Hello ${contactName},`,
    input.intro,
    `Deadline: ${deadline}.`,
    `Open the ${input.opens}:\n${link}`,
    ...parts.map((part) => part.text),
    footer,
  );
  const body = html`${para(`Hello ${contactName},`)}
${para(input.intro)}
${para(html`<strong>Deadline:</strong> ${deadline}.`)}
${actionLink(link, input.button)}
${parts.map((part) => part.html)}`;
  const subject = subjectLine(input.subject);
  return { subject, text, html: emailDocument({ title: subject, body, footer }) };
}

/** Asks a partner's lead for the partner's answer in a realignment review, with the review packet. */
export function reviewRequest(input: {
  allianceName: string;
  partnerName: string;
  contactName: string;
  link: string;
  /** The call to action: the kind's words. */
  button: string;
  deadline: DateInput;
  goals: readonly string[];
  /** What the partners read before answering: trust and health since the last review. */
  packet?: ReviewPacket;
}): Email {
  const { allianceName, partnerName } = input;
  const how =
    "On the page: score how well the alliance still fits your strategy (1–5), say for each goal whether to keep, change or drop it, name one thing that would make this partnership stronger, and say whether you want to continue. Opening the link decides nothing.";
  return personalRequest({
    ...input,
    intro: `It is time for the scheduled realignment review of the alliance "${allianceName}": markets and priorities change, so the partners reassess the alliance together. Concord asks ${partnerName} for its answer; one answer counts for ${partnerName}.`,
    opens: "review",
    parts: [
      input.goals.length > 0 && {
        text: `The alliance's goals:\n${bullets(input.goals)}`,
        html: html`${heading("The alliance's goals")}${list(input.goals)}`,
      },
      input.packet && { text: reviewPacketText(input.packet), html: reviewPacketHtml(input.packet) },
      { text: how, html: para(how) },
    ],
    subject: `${allianceName}: realignment review, please answer by ${formatShortDate(input.deadline, "deadline")}`,
  });
}

/** One goal as a partner's review answer treats it ("Share one booking API: change to \"…\""). */
function goalLine(
  goals: readonly string[],
  goal: { action: string; wording?: string },
  index: number,
): string {
  const name = goals[index] ?? `goal ${index + 1}`;
  return goal.action === "change" ? `${name}: change to "${goal.wording ?? ""}"` : `${name}: ${goal.action}`;
}

/** The goals a review changed, before → after. */
function goalChangeLine(change: { before: string; after?: string }): string {
  return change.after === undefined
    ? `Dropped: "${change.before}"`
    : `"${change.before}" → "${change.after}"`;
}

/** Every change a review adopted, in plain words: each goal, then the cadence. */
function adoptedLines(adjusted: {
  changes: readonly { before: string; after?: string }[];
  cadence?: { before: string; after: string };
}): string[] {
  return [
    ...adjusted.changes.map(goalChangeLine),
    ...(adjusted.cadence ? [`Reviews: ${adjusted.cadence.before} → ${adjusted.cadence.after}`] : []),
  ];
}

/** Tells everyone how a realignment review ended: each partner's answers side by side, the outcome, the next date. */
export function reviewSummary(input: {
  allianceName: string;
  outcome: string;
  reason: string;
  nextReviewDate: DateInput;
  goals: readonly string[];
  /** The goals the review changed, and the charter version that holds them (adjust-goals only). */
  adjusted?: {
    charterVersion: number;
    changes: readonly { before: string; after?: string }[];
    goals: readonly string[];
  };
  answers: readonly {
    partnerName: string;
    /** Undefined when the partner did not answer by the deadline. */
    answer?: {
      strategicFit: number;
      stance: string;
      stronger?: string;
      goals: readonly { action: string; wording?: string }[];
    };
    /** What the silence counted as, for a partner that did not answer. */
    countedAs?: string;
  }[];
}): Email {
  const { allianceName, adjusted } = input;
  const next = `${formatDate(input.nextReviewDate, "nextReviewDate")} (${relativeTime(input.nextReviewDate, undefined, "nextReviewDate")})`;
  const outcomeLine = `Outcome: ${input.outcome}. ${input.reason}`;
  const adjustedTitle =
    adjusted && `The goals, before and after (charter version ${adjusted.charterVersion})`;
  const answerLines = input.answers.map(({ partnerName, answer, countedAs }) => {
    if (answer === undefined)
      return `${partnerName}: no answer by the deadline (counted as ${countedAs ?? "abstain"})`;
    return [
      `${partnerName}: strategic fit ${answer.strategicFit}/5, wants to ${answer.stance}`,
      ...answer.goals.map((goal, i) => `  ${goalLine(input.goals, goal, i)}`),
      answer.stronger === undefined
        ? undefined
        : `  Would make the partnership stronger: ${typed(answer.stronger)}`,
    ]
      .filter((line) => line !== undefined)
      .join("\n");
  });
  const text = paragraphs(
    `The realignment review of "${allianceName}" is closed.`,
    outcomeLine,
    adjusted &&
      `${adjustedTitle?.toUpperCase()}\n${bullets(adoptedLines(adjusted))}\nThe goals now:\n${bullets(adjusted.goals)}`,
    "ANSWERS",
    ...answerLines,
    `Next review: ${next}.`,
    noticeFooter(allianceName),
  );
  const body = html`${para(`The realignment review of "${allianceName}" is closed.`)}
${para(html`<strong>Outcome: ${input.outcome}.</strong> ${input.reason}`)}
${adjusted && html`${heading(adjustedTitle ?? "")}${list(adoptedLines(adjusted))}${para("The goals now:")}${list(adjusted.goals)}`}
${heading("Answers")}
${input.answers.map(({ partnerName, answer, countedAs }) =>
  answer === undefined
    ? para(
        html`<strong>${partnerName}</strong>: no answer by the deadline (counted as ${countedAs ?? "abstain"}).`,
      )
    : html`${para(html`<strong>${partnerName}</strong>: strategic fit ${answer.strategicFit}/5, wants to ${answer.stance}.`)}${list(
        answer.goals.map((goal, i) => goalLine(input.goals, goal, i)),
      )}${answer.stronger !== undefined && para(`Would make the partnership stronger: ${answer.stronger}`)}`,
)}
${para(html`<strong>Next review:</strong> ${next}.`)}`;
  const subject = subjectLine(
    `${allianceName}: review closed (${input.outcome}); next review ${formatShortDate(input.nextReviewDate, "nextReviewDate")}`,
  );
  return {
    subject,
    text,
    html: emailDocument({ title: subject, body, footer: noticeFooter(allianceName) }),
  };
}

const ADMIN_WORDS: Record<"escalate" | "exit-recommended", { subject: string; ask: string }> = {
  escalate: {
    subject: "a review raised an escalation",
    ask: "The escalation ladder is not automated yet: take the dispute to the charter's first rung and record how it ends.",
  },
  "exit-recommended": {
    subject: "a review recommends an exit",
    ask: "Concord does not start an exit by itself: decide with the partners whether to start a formal exit.",
  },
};

/** Tells the admin that a review ended in something an admin must act on (an escalation, an exit recommendation). */
export function reviewNeedsAdmin(input: {
  allianceName: string;
  allianceId: string;
  cycle: number;
  outcome: "escalate" | "exit-recommended";
  reason: string;
}): Email {
  const words = ADMIN_WORDS[input.outcome];
  const intro = `Realignment review ${input.cycle} of "${input.allianceName}" (${input.allianceId}) ended in: ${input.outcome}.`;
  const show = `See the answers and the timeline: concord alliances show ${input.allianceId}`;
  const footer = `You receive this as the admin of Concord's alliances.`;
  const text = paragraphs(intro, input.reason, words.ask, show, footer);
  const body = html`${para(intro)}
${para(input.reason)}
${para(html`<strong>${words.ask}</strong>`)}
${para(show)}`;
  const subject = subjectLine(`${input.allianceName}: ${words.subject}`);
  return { subject, text, html: emailDocument({ title: subject, body, footer }) };
}

/** Asks a partner's lead for the monthly health check-in: one score about the relationship, not the tasks. */
export function checkInRequest(input: RequestEmailInput): Email {
  const { allianceName, partnerName } = input;
  const ack =
    "On the same page you can acknowledge another partner's contribution (something shared early, a promise kept): it is a trust deposit for them. Opening the link decides nothing.";
  return personalRequest({
    ...input,
    intro: `Time for the health check-in of the alliance "${allianceName}": one question about how the relationship between the partners is going (not about task progress), scored 1 to 5, with an optional comment. It takes a minute; one answer counts for ${partnerName}.`,
    opens: "check-in",
    parts: [{ text: ack, html: para(ack) }],
    subject: `${allianceName}: health check-in, please answer by ${formatShortDate(input.deadline, "deadline")}`,
  });
}

/** Tells everyone that a low check-in average brought the realignment review forward, and why. */
export function reviewBroughtForward(input: {
  allianceName: string;
  average: number;
  threshold: number;
  answered: number;
  asked: number;
  reviewDate: DateInput;
  comments: readonly { partnerName: string; comment: string }[];
}): Email {
  const { allianceName } = input;
  const when = `${formatDate(input.reviewDate, "reviewDate")} (${relativeTime(input.reviewDate, undefined, "reviewDate")})`;
  const why = `The partners' health check-in averaged ${input.average.toFixed(2)} out of 5 (${input.answered} of ${input.asked} partners answered), below the charter's threshold of ${input.threshold}. A relationship in trouble is better talked through early: the realignment review is brought forward.`;
  const commentLines = input.comments.map((c) => `${c.partnerName}: ${c.comment}`);
  const text = paragraphs(
    `The health of "${allianceName}" needs attention.`,
    why,
    `The review starts ${when}; every partner's lead gets its link then.`,
    commentLines.length > 0 && `What the partners said:\n${bullets(commentLines)}`,
    noticeFooter(allianceName),
  );
  const body = html`${para(`The health of "${allianceName}" needs attention.`)}
${para(why)}
${para(html`<strong>The review starts</strong> ${when}; every partner's lead gets its link then.`)}
${commentLines.length > 0 && html`${heading("What the partners said")}${list(commentLines)}`}`;
  const subject = subjectLine(
    `${allianceName}: review brought forward to ${formatShortDate(input.reviewDate, "reviewDate")} after a low health check-in`,
  );
  return { subject, text, html: emailDocument({ title: subject, body, footer: noticeFooter(allianceName) }) };
}

/** The division of the shared assets as an exit plans it, one line per asset. */
type DivisionLines = readonly { summary: string }[];

/** Tells every partner that a formal exit has begun: who leaves (or that the alliance dissolves), when, and what follows. */
export function exitNotice(input: {
  allianceName: string;
  /** The leaving partner's name; undefined for a dissolution. */
  leaving?: string;
  reason: string;
  effectiveDate: DateInput;
  noticeDays: number;
  forceMajeure: boolean;
  division: DivisionLines;
}): Email {
  const { allianceName } = input;
  const when = `${formatDate(input.effectiveDate, "effectiveDate")} (${relativeTime(input.effectiveDate, undefined, "effectiveDate")})`;
  const what =
    input.leaving === undefined
      ? `The alliance "${allianceName}" is being dissolved. It ends on ${when}.`
      : `${input.leaving} is leaving the alliance "${allianceName}". Its exit takes effect on ${when}.`;
  const notice = input.forceMajeure
    ? `The notice is shorter than the charter's ${input.noticeDays} days: the charter's force-majeure clause was invoked.`
    : `This respects the charter's notice period of ${input.noticeDays} day(s).`;
  const next =
    input.leaving === undefined
      ? "Until then the alliance works as before. On that date the partners approve or contest the division of the shared assets, then each confirms its wind-down obligations; then every open request closes and no new work starts. The timeline, ledger and charter stay readable."
      : `${input.leaving}'s lead is asked to acknowledge this notice. Until the exit takes effect ${input.leaving} remains a partner. On that date the partners approve or contest the division of the shared assets, then each confirms its wind-down obligations; when those are done ${input.leaving}'s open requests close and its vote leaves every later decision.`;
  return noticeEmail(
    allianceName,
    input.leaving === undefined
      ? `${allianceName}: the alliance is dissolving on ${formatShortDate(input.effectiveDate, "effectiveDate")}`
      : `${allianceName}: ${input.leaving} leaves on ${formatShortDate(input.effectiveDate, "effectiveDate")}`,
    [
      what,
      `Reason: ${input.reason}`,
      notice,
      next,
      { heading: "Shared assets, as the charter divides them", lines: input.division.map((d) => d.summary) },
    ],
  );
}

/** Asks the leaving partner's lead to acknowledge the exit notice. */
export function exitAcknowledgementRequest(input: RequestEmailInput): Email {
  const { allianceName, partnerName } = input;
  return personalRequest({
    ...input,
    intro: `${partnerName}'s exit from the alliance "${allianceName}" has been started. Please acknowledge that you have received the notice: what happens, when, and what ${partnerName} must do. If no one acknowledges by the deadline, that is recorded and the exit goes ahead.`,
    opens: "notice",
    parts: [],
    subject: `${allianceName}: please acknowledge ${partnerName}'s exit notice`,
  });
}

/**
 * The record of a completed exit, to everyone: who left (or that the alliance dissolved), when, who acknowledged
 * what, the division as agreed, and which obligations were met.
 */
export function exitCompleted(input: {
  allianceName: string;
  leaving?: string;
  effectiveDate: DateInput;
  reason: string;
  acknowledgement: string;
  division: DivisionLines;
  /** How the division was settled: "approved by …", or the admin's resolution. */
  settled?: string;
  obligations: readonly string[];
  /** The non-disparagement acknowledgement, when the charter has the clause. */
  nonDisparagement?: string;
  dissolved: boolean;
  remaining: readonly string[];
}): Email {
  const { allianceName } = input;
  const when = formatDate(input.effectiveDate, "effectiveDate");
  const what =
    input.leaving === undefined
      ? `The alliance "${allianceName}" was dissolved on ${when}.`
      : `${input.leaving} left the alliance "${allianceName}" on ${when}.${input.dissolved ? " Fewer than two partners remain, so the alliance is dissolved." : ""}`;
  const remaining = input.dissolved
    ? "No new reviews, check-ins or requests will start. Nothing is deleted: the timeline, trust ledger and charter versions stay readable."
    : `The alliance continues with ${input.remaining.join(", ")}. ${input.leaving}'s open requests are closed and its vote leaves every later decision.`;
  return noticeEmail(
    allianceName,
    input.dissolved
      ? `${allianceName}: the alliance is dissolved`
      : `${allianceName}: ${input.leaving ?? "a partner"} has left the alliance`,
    [
      what,
      `Reason: ${input.reason}`,
      `Acknowledgement: ${input.acknowledgement}`,
      { heading: "Shared assets, as the charter divides them", lines: input.division.map((d) => d.summary) },
      input.settled !== undefined && `Division: ${input.settled}`,
      { heading: "Wind-down obligations", lines: input.obligations },
      input.nonDisparagement !== undefined && `Non-disparagement: ${input.nonDisparagement}`,
      remaining,
    ],
  );
}

/** Tells everyone that an exit was cancelled before it took effect. */
export function exitCancelled(input: { allianceName: string; leaving?: string; reason: string }): Email {
  const { allianceName } = input;
  const what =
    input.leaving === undefined
      ? `The dissolution of the alliance "${allianceName}" was cancelled: the alliance continues.`
      : `${input.leaving}'s exit from the alliance "${allianceName}" was cancelled: ${input.leaving} remains a partner.`;
  return noticeEmail(
    allianceName,
    `${allianceName}: ${input.leaving === undefined ? "the dissolution" : `${input.leaving}'s exit`} is cancelled`,
    [what, `Reason: ${input.reason}`],
  );
}

/** Halfway through an exit's notice: where it stands, to everyone. */
export function exitStatus(input: {
  allianceName: string;
  leaving?: string;
  effectiveDate: DateInput;
  /** The leaving partner's acknowledgement; undefined for a dissolution. */
  acknowledged?: "yes" | "pending" | "missed" | "excused";
  division: DivisionLines;
}): Email {
  const { allianceName } = input;
  const when = `${formatDate(input.effectiveDate, "effectiveDate")} (${relativeTime(input.effectiveDate, undefined, "effectiveDate")})`;
  const what =
    input.leaving === undefined
      ? `Halfway through the notice: the alliance "${allianceName}" dissolves on ${when}.`
      : `Halfway through the notice: ${input.leaving} leaves the alliance "${allianceName}" on ${when}.`;
  const ack =
    input.acknowledged === undefined
      ? undefined
      : input.acknowledged === "yes"
        ? `${input.leaving} has acknowledged the notice.`
        : input.acknowledged === "missed"
          ? `${input.leaving} did not acknowledge the notice by its deadline; that is recorded and the exit goes ahead.`
          : input.acknowledged === "excused"
            ? `${input.leaving} could not acknowledge the notice (its deadlines are suspended under force majeure); the exit goes ahead.`
            : `${input.leaving} has not acknowledged the notice yet.`;
  return noticeEmail(
    allianceName,
    input.leaving === undefined
      ? `${allianceName}: dissolution status, effective ${formatShortDate(input.effectiveDate, "effectiveDate")}`
      : `${allianceName}: ${input.leaving}'s exit status, effective ${formatShortDate(input.effectiveDate, "effectiveDate")}`,
    [
      what,
      ack,
      { heading: "Shared assets, as the charter divides them", lines: input.division.map((d) => d.summary) },
      "An admin can still cancel the exit before it takes effect.",
    ],
  );
}

/** The notice period has ended: the division of the shared assets is put to every partner. */
export function exitDivisionProposed(input: {
  allianceName: string;
  leaving?: string;
  division: DivisionLines;
  deadline: DateInput;
}): Email {
  return noticeEmail(
    input.allianceName,
    `${input.allianceName}: how the shared assets divide in ${whoseExit(input)}`,
    [
      `The notice period of ${whoseExit(input)} has ended. The shared assets divide as the charter says; each partner's lead approves the division or contests it by ${formatDeadline(input.deadline)} (their link comes separately). A partner that does not answer is counted as not objecting; a contested division goes to the admin, who decides.`,
      { heading: "The division", lines: input.division.map((d) => d.summary) },
    ],
  );
}

/** Asks a partner's lead to approve or contest the division of the shared assets. */
export function assetDivisionRequest(
  input: RequestEmailInput & {
    division: DivisionLines;
  },
): Email {
  const { allianceName, partnerName } = input;
  const lines = input.division.map((d) => d.summary);
  return personalRequest({
    ...input,
    intro: `The shared assets of the alliance "${allianceName}" are being divided as its exit terms say. Please approve the division for ${partnerName}, or contest it with your reason (the admin then decides). Without an answer by the deadline, ${partnerName} is counted as not objecting.`,
    opens: "division",
    parts: [
      { text: `The division:\n${bullets(lines)}`, html: html`${heading("The division")}${list(lines)}` },
    ],
    subject: `${allianceName}: approve or contest the asset division`,
  });
}

/** The division was contested (or has assets without a rule): everyone hears why; the admin is asked to decide. */
export function exitDivisionContested(input: {
  allianceName: string;
  allianceId: string;
  exitId: string;
  leaving?: string;
  contests: readonly { partnerName: string; reason: string }[];
  undivided: readonly string[];
  /** The admin's copy says how to decide. */
  forAdmin: boolean;
}): Email {
  const decide = `Decide it with: concord exits decide ${input.allianceId} ${input.exitId} --resolution "…" (optionally --transfers <file.json>), or POST /admin/alliances/${input.allianceId}/exits/${input.exitId}/division.`;
  return noticeEmail(
    input.allianceName,
    `${input.allianceName}: the asset division of ${whoseExit(input)} goes to the admin`,
    [
      `The asset division of ${whoseExit(input)} is not settled: the admin decides it, having read every reason below. The wind-down waits for that decision; everyone is told what it is.`,
      { heading: "Contested", lines: input.contests.map((c) => `${c.partnerName}: ${c.reason}`) },
      { heading: "No division rule in the charter", lines: input.undivided },
      input.forAdmin && decide,
    ],
  );
}

/** The admin decided a contested division: the resolution and the division as it now stands. */
export function exitDivisionDecided(input: {
  allianceName: string;
  leaving?: string;
  resolution: string;
  transfers: readonly string[];
}): Email {
  return noticeEmail(input.allianceName, `${input.allianceName}: the asset division is decided`, [
    `The admin decided the asset division of ${whoseExit(input)}.`,
    `Resolution: ${input.resolution}`,
    { heading: "What moves", lines: input.transfers },
    "The wind-down obligations follow: each owner confirms its own through a link.",
  ]);
}

/** The division is settled: the wind-down obligations, with their owners and due dates, to everyone. */
export function windDownStarted(input: {
  allianceName: string;
  leaving?: string;
  obligations: readonly { what: string; dueDate: DateInput }[];
}): Email {
  return noticeEmail(
    input.allianceName,
    `${input.allianceName}: the wind-down obligations of ${whoseExit(input)}`,
    [
      `The asset division of ${whoseExit(input)} is settled. What remains is below; each owner's lead confirms its obligation through a link once it is done.`,
      {
        heading: "Obligations",
        lines: input.obligations.map((o) => `${o.what}, by ${formatDate(o.dueDate, "dueDate")}`),
      },
    ],
  );
}

/** Asks the owner's lead to confirm one wind-down obligation once it is done. */
export function obligationRequest(
  input: RequestEmailInput & {
    what: string;
  },
): Email {
  const { allianceName } = input;
  return personalRequest({
    ...input,
    intro: `As part of the exit wind-down in the alliance "${allianceName}": ${input.what}. Please confirm it once it is done. An obligation not confirmed by its due date is recorded in the exit's record.`,
    opens: "obligation",
    parts: [],
    subject: `${allianceName}: confirm when done: ${input.what}`,
  });
}

/** Asks a leaving partner's lead to acknowledge the charter's non-disparagement clause. */
export function nonDisparagementRequest(input: RequestEmailInput): Email {
  const { allianceName, partnerName } = input;
  return personalRequest({
    ...input,
    intro: `The last step of the exit wind-down in the alliance "${allianceName}": the charter has a non-disparagement clause. Please acknowledge that ${partnerName} will not disparage the alliance or its partners after the exit. A missing acknowledgement is recorded and the exit completes.`,
    opens: "acknowledgement",
    parts: [],
    subject: `${allianceName}: please acknowledge the non-disparagement clause`,
  });
}

/** Asks a rung's participant for the partner's answer on a concern: resolve, escalate or abstain. */
export function rungRequest(
  input: RequestEmailInput & {
    subject: string;
    rungName: string;
    history: readonly string[];
  },
): Email {
  const { allianceName, partnerName } = input;
  return personalRequest({
    ...input,
    intro: `A concern in the alliance "${allianceName}" has reached ${input.rungName}: "${input.subject}". Please resolve it for ${partnerName} (in writing), escalate it to the next rung (saying why), or abstain. The page shows the concern and what happened at earlier rungs.`,
    opens: "concern",
    parts: [
      input.history.length > 0 && {
        text: `So far:\n${bullets(input.history)}`,
        html: html`${heading("So far")}${list(input.history)}`,
      },
    ],
    subject: `${allianceName}: a concern at ${input.rungName}: ${input.subject}`,
  });
}

/** A concern reached a rung: what it is, who decides now and by when, and why it moved. */
export function escalationAtRung(input: {
  allianceName: string;
  subject: string;
  description: string;
  concerned: readonly string[];
  /** Who raised it, in words. */
  raisedBy: string;
  rungName: string;
  rungNumber: number;
  participants: string;
  deadline: DateInput;
  /** Why it moved here (absent at the first rung). */
  moved?: string;
}): Email {
  return noticeEmail(
    input.allianceName,
    `${input.allianceName}: concern "${input.subject}" ${input.moved === undefined ? "raised" : `moved to ${input.rungName}`}`,
    [
      input.moved === undefined
        ? `A concern about ${input.concerned.join(", ")} was raised by ${input.raisedBy}: "${input.subject}".`
        : `The concern "${input.subject}" moved up the escalation ladder: ${input.moved}`,
      input.description,
      `It is now with ${input.rungName} (rung ${input.rungNumber}): ${input.participants} answer by ${formatDeadline(input.deadline)}; their links come separately.`,
    ],
  );
}

/** A concern was resolved at a rung: the written resolution, to everyone. */
export function escalationResolved(input: {
  allianceName: string;
  subject: string;
  rungName: string;
  resolution: string;
  reason: string;
  trust?: string;
}): Email {
  return noticeEmail(input.allianceName, `${input.allianceName}: concern "${input.subject}" resolved`, [
    `The concern "${input.subject}" was resolved at ${input.rungName}. ${input.reason}`,
    `Resolution: ${input.resolution}`,
    input.trust,
  ]);
}

/** The last rung did not resolve a concern: what the charter says happens now. */
export function escalationExhausted(input: {
  allianceName: string;
  allianceId: string;
  subject: string;
  reason: string;
  next: string;
  forAdmin: boolean;
  escalationId: string;
}): Email {
  return noticeEmail(
    input.allianceName,
    `${input.allianceName}: concern "${input.subject}" passed the last rung`,
    [
      `No rung of the escalation ladder resolved the concern "${input.subject}". At the last rung: ${input.reason}`,
      input.next,
      input.forAdmin &&
        `See its history: concord escalations show ${input.allianceId} ${input.escalationId}. Exit plan: concord exits start ${input.allianceId} <partner-id> "<reason>".`,
    ],
  );
}

/** An admin withdrew a concern: the reason, to everyone. */
export function escalationWithdrawn(input: { allianceName: string; subject: string; reason: string }): Email {
  return noticeEmail(input.allianceName, `${input.allianceName}: concern "${input.subject}" withdrawn`, [
    `The concern "${input.subject}" was withdrawn by the admin; its open links are closed.`,
    `Reason: ${input.reason}`,
  ]);
}

/** A workflow of the alliance stopped without finishing: to the organiser (and the admin), with what to do. */
export function workflowStopped(input: {
  allianceName: string;
  allianceId: string;
  workflow: string;
  status: "FAILED" | "TIMED_OUT" | "ABORTED";
  error?: string;
  cause?: string;
}): Email {
  const how = { FAILED: "failed", TIMED_OUT: "timed out", ABORTED: "was stopped" }[input.status];
  return noticeEmail(input.allianceName, `${input.allianceName}: its ${input.workflow} ${how}`, [
    `The ${input.workflow} of the alliance "${input.allianceName}" ${how} before it finished${input.error ? `: ${input.error}` : ""}.`,
    input.cause && `What it said: ${input.cause}`,
    "Nothing that was recorded is lost: the partners' answers and the timeline are kept, and no partner was told of the failure. The alliance waits where it stopped.",
    {
      heading: "What the admin can do",
      lines: [
        `Retry it from where it stopped: concord workflows retry ${input.allianceId}`,
        `See what stopped, and the timeline: concord alliances show ${input.allianceId}`,
      ],
    },
  ]);
}

/** An admin cancelled an alliance before it became ACTIVE: to everyone it asked something of, and the organiser. */
export function allianceCancelled(input: { allianceName: string; reason: string }): Email {
  return noticeEmail(input.allianceName, `${input.allianceName}: the alliance was cancelled`, [
    `The alliance "${input.allianceName}" was cancelled before it started: ${input.reason}`,
    "Every link sent for it is now closed; nothing more is needed from you.",
  ]);
}
