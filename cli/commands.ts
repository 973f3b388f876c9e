import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { draftJsonSchema, MAX_TRUST_POINTS, type TrustEntry } from "../functions/domain";
import { clockInWords } from "../local/clock";
import { formatDuration, parseDuration } from "../local/duration";
import { AdminApiError } from "./api-client";
import { line, oneLine } from "./terminal";

/** A mistake in how a command was called (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** What a command prints: text for people, JSON for scripts. */
export interface CommandResult {
  text: string;
  json: unknown;
  /** The process's exit status when the command ran but found a problem (default 0). */
  exitCode?: number;
}

/** An option only some commands take (the global ones are in concord.ts). */
export interface CommandOption {
  type: "string" | "boolean";
  /** Shown by `concord <command> --help`, e.g. "--limit N  alliances per page". */
  help: string;
}

/** One CLI command. */
export interface Command {
  words: string[];
  usage: string;
  summary: string;
  help?: string;
  options?: Record<string, CommandOption>;
  minArgs: number;
  maxArgs: number;
  run(ctx: {
    args: string[];
    /** The command's own options as given (absent when not given). */
    options: Record<string, string | boolean | undefined>;
    call: <T>(method: string, route: string, body?: unknown) => Promise<T>;
    /** A progress note for a person waiting (stderr; never part of the output). */
    progress: (message: string) => void;
  }): Promise<CommandResult>;
}

/** The local clock as `GET /local/clock` answers it. */
export interface ClockState {
  now: string;
  /** Simulated seconds per real second. */
  rate: number;
  /** How far ahead of the wall clock, compact ("10d"; "0s" when not ahead). */
  skew: string;
  /** How far ahead of the wall clock in ms; negative when behind. */
  skewMs: number;
}

/** A review as `GET /admin/alliances/{id}/reviews/{reviewId}` answers it. */
interface ReviewDetail {
  reviewId: string;
  cycle: number;
  status: string;
  outcome?: string;
  reason?: string;
  startedAt: string;
  closedAt?: string;
  charterVersion: number;
  adoptedVersion?: number;
  partners: {
    partnerId: string;
    name: string;
    status: "ANSWERED" | "PENDING" | "MISSED" | "EXCUSED";
    deadline?: string;
    answeredAt?: string;
    answeredBy?: string;
    answer?: { strategicFit: number; stance: string; stronger?: string };
    countedAs?: string;
  }[];
}

function reviewText(r: ReviewDetail): string {
  const head = [
    line`Review ${r.reviewId} (cycle ${r.cycle}, charter v${r.charterVersion}): ${r.status}`,
    line`  started ${r.startedAt}${r.closedAt ? `, closed ${r.closedAt}` : ""}`,
    ...(r.outcome ? [line`  outcome: ${r.outcome}. ${r.reason ?? ""}`] : []),
    ...(r.adoptedVersion !== undefined ? [line`  adjusted goals became charter v${r.adoptedVersion}`] : []),
  ];
  const partners = r.partners.map((p) =>
    p.status === "ANSWERED"
      ? line`  ${p.name}: answered ${p.answeredAt ?? ""} by ${p.answeredBy ?? "?"}: fit ${p.answer?.strategicFit ?? "?"}/5, ${p.answer?.stance ?? "?"}`
      : p.status === "MISSED" || p.status === "EXCUSED"
        ? line`  ${p.name}: missed the deadline ${p.deadline ?? ""} (counted as ${p.countedAs ?? "abstain"})`
        : line`  ${p.name}: pending, deadline ${p.deadline ?? "not yet set"}`,
  );
  return [...head, "Partners:", ...partners].join("\n");
}

interface ExitDetail {
  exitId: string;
  status: string;
  partnerId?: string;
  dissolve?: boolean;
  reason: string;
  effectiveDate: string;
  division: { summary: string }[];
  divisionAnswers?: {
    approved: string[];
    silent: string[];
    contests: { partnerId: string; reason: string }[];
    undivided: string[];
  };
  divisionDecision?: { resolution: string; decidedAt: string };
  obligations: { owner: string; what: string; dueDate: string; status: string; confirmedAt?: string }[];
}

function exitText(exit: ExitDetail): string {
  const answers = exit.divisionAnswers;
  return [
    line`Exit ${exit.exitId} (${exit.dissolve ? "dissolution" : (exit.partnerId ?? "?")}): ${exit.status}, effective ${exit.effectiveDate}`,
    line`  reason: ${exit.reason}`,
    ...(exit.division.length > 0
      ? ["Shared assets:", ...exit.division.map((d) => line`  ${d.summary}`)]
      : []),
    ...(answers
      ? [
          line`Division: approved by ${answers.approved.join(", ") || "no one"}; no answer from ${answers.silent.join(", ") || "no one"}`,
          ...answers.contests.map((c) => line`  contested by ${c.partnerId}: ${c.reason}`),
          ...answers.undivided.map((asset) => line`  no division rule: ${asset}`),
        ]
      : []),
    ...(exit.divisionDecision
      ? [
          line`  decided by the admin on ${exit.divisionDecision.decidedAt}: ${exit.divisionDecision.resolution}`,
        ]
      : []),
    ...(exit.obligations.length > 0
      ? [
          "Wind-down obligations:",
          ...exit.obligations.map(
            (o) =>
              line`  [${o.status}] ${o.what} (due ${o.dueDate.slice(0, 10)}${o.confirmedAt ? `, done ${o.confirmedAt.slice(0, 10)}` : ""})`,
          ),
        ]
      : []),
  ].join("\n");
}

interface EscalationDetail {
  escalationId: string;
  status: string;
  subject: string;
  kind: string;
  critical: boolean;
  partnerIds: string[];
  rung: number;
  rungs: {
    rung: number;
    name: string;
    deadline: string;
    outcome?: string;
    reason?: string;
    votes: { partnerId: string; choice: string; text?: string }[];
    pending: { partnerId: string; deadline: string }[];
  }[];
  resolution?: { text: string; rung: number };
}

function escalationText(e: EscalationDetail): string {
  return [
    line`Escalation ${e.escalationId}: ${e.status}, rung ${e.rung}: ${e.subject}`,
    line`  ${e.kind}${e.critical ? " (critical)" : ""} about ${e.partnerIds.join(", ")}`,
    ...e.rungs.flatMap((r) => [
      line`Rung ${r.rung}, ${r.name}: ${r.outcome ?? `open until ${r.deadline}`}${r.reason ? ` (${r.reason})` : ""}`,
      ...r.votes.map((v) => line`  ${v.partnerId}: ${v.choice}${v.text ? `: ${v.text}` : ""}`),
      ...r.pending.map((p) => line`  ${p.partnerId}: owes an answer by ${p.deadline}`),
    ]),
    ...(e.resolution ? [line`Resolution (rung ${e.resolution.rung}): ${e.resolution.text}`] : []),
  ].join("\n");
}

function balancesText(balances: Record<string, number>): string {
  const rows = Object.entries(balances).map(
    ([partnerId, balance]) => line`  ${partnerId}  ${balance > 0 ? `+${balance}` : String(balance)}`,
  );
  return `Trust balances:\n${rows.join("\n")}`;
}

/** Reads a draft (or any JSON/YAML input) file: YAML for .yaml/.yml, JSON otherwise (the API validates it field by field). */
async function readDataFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "there is no such file"
        : code === "EISDIR"
          ? "it is a folder, not a file"
          : code === "EACCES"
            ? "permission denied"
            : (code ?? (error as Error).message);
    throw new UsageError(`cannot read ${file}: ${why}`);
  }
  try {
    return /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${file} is not valid ${/\.ya?ml$/i.test(file) ? "YAML" : "JSON"}: ${(error as Error).message}`,
    );
  }
}

interface AllianceSummary {
  id: string;
  name: string;
  status: string;
  mode: string;
  version: number;
  createdAt: string;
  nextReviewAt?: string;
  /** Whom the alliance waits on (one entry per partner decision open), soonest deadline first. */
  waitingOn?: { partnerId: string; kind: string; deadline: string }[];
}

/** "riverside-makers (charter-approval) by 2026-12-17": whom an alliance waits on, in one cell. */
function waitingText(waiting: AllianceSummary["waitingOn"]): string {
  if (!waiting || waiting.length === 0) return "-";
  const kinds = [...new Set(waiting.map((w) => w.kind))].join(", ");
  const partners = [...new Set(waiting.map((w) => w.partnerId))].join(", ");
  return `${partners} (${kinds}) by ${localTime(waiting[0]?.deadline ?? "").slice(0, 10)}`;
}

/** What `GET /admin/alliances/{id}` answers, as `alliances show` prints it. */
export interface AllianceDetail extends AllianceSummary {
  purpose: string;
  partners: {
    id: string;
    name: string;
    sizeClass: string;
    votingWeight: number;
    contacts: { name: string; email: string; role: string }[];
  }[];
  pendingRequests: {
    requestId: string;
    kind: string;
    /** The round it belongs to, as `requests extend --round` takes it. */
    round: string;
    /** Past its deadline, waiting for its workflow to close it. */
    overdue?: boolean;
    partnerId: string;
    contact: string;
    deadline: string;
    remindAt?: string;
  }[];
  timeline: {
    at: string;
    type: string;
    summary: string;
    actor: { kind: string; id?: string; email?: string };
  }[];
  auditFindings: { area: string; severity: string; message: string }[];
  /** Each partner's interest map, by partner id, once shared. */
  interestMaps?: Record<
    string,
    { explicit: string[]; implicit: string[]; cannotAffordToLose: string[] } | undefined
  >;
  /** Workflows that stopped without finishing, waiting for `workflows retry`. */
  problems?: {
    workflow: string;
    executionName: string;
    status: string;
    stoppedAt: string;
    error?: string;
    cause?: string;
  }[];
  lastRejection?: {
    at: string;
    version: number;
    reason: string;
    comments: { partnerId: string; vote: string; comment: string }[];
  };
  /** What the partners wrote with their charter votes, per version, oldest first. */
  charterComments?: {
    version: number;
    outcome: string;
    comments: { partnerId: string; vote: string; comment: string }[];
  }[];
}

/** Rows as aligned columns; each cell's own line breaks and controls are escaped, so a row stays one line. */
export function table(values: string[][]): string {
  const rows = values.map((r) => r.map(oneLine));
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The text of `alliances show`: every value from the API is kept on its line (see `line`). */
export function detailText(a: AllianceDetail): string {
  const out = [
    line`${a.name} (${a.id})`,
    line`  status ${a.status} · ${a.mode} · charter v${a.version}` +
      (a.nextReviewAt ? line` · next review ${a.nextReviewAt.slice(0, 10)}` : ""),
    "",
    "Partners:",
    ...a.partners.map(
      (p) =>
        line`  ${p.name} [${p.id}] — ${p.sizeClass}, weight ${p.votingWeight}; ` +
        p.contacts.map((c) => line`${c.name} <${c.email}> (${c.role})`).join(", "),
    ),
  ];
  if ((a.problems ?? []).length > 0) {
    out.push("", "STOPPED — needs an admin:");
    for (const p of a.problems ?? [])
      out.push(
        line`  the ${p.workflow} ${p.status.toLowerCase().replace("_", " ")} at ${p.stoppedAt}${p.error ? `: ${p.error}` : ""}${p.cause ? ` (${p.cause})` : ""}`,
        line`  retry it from where it stopped: concord workflows retry ${a.id}${(a.problems ?? []).length > 1 ? ` --execution ${p.executionName}` : ""}`,
      );
  }
  if (a.auditFindings.length > 0) {
    out.push(
      "",
      "Charter audit:",
      ...a.auditFindings.map((f) => line`  ${f.severity.toUpperCase()} ${f.area}: ${f.message}`),
    );
  }
  if (a.lastRejection) {
    out.push("", line`Charter v${a.lastRejection.version} was not approved: ${a.lastRejection.reason}`);
  }
  // Alliances voted on before the votes' comments were kept on the timeline have only the last rejection's.
  const voted = a.charterComments ?? [];
  const rejection = a.lastRejection;
  const votes =
    rejection && !voted.some((round) => round.version === rejection.version)
      ? [...voted, { version: rejection.version, outcome: "not approved", comments: rejection.comments }]
      : voted;
  if (votes.some((round) => round.comments.length > 0)) {
    out.push("", "Comments with the charter votes:");
    for (const round of votes.filter((r) => r.comments.length > 0)) {
      out.push(line`  charter v${round.version} (${round.outcome}):`);
      for (const c of round.comments) out.push(line`    ${c.partnerId} (${c.vote}): ${c.comment}`);
    }
  }
  const maps = a.partners.filter((p) => a.interestMaps?.[p.id] !== undefined);
  if (maps.length > 0) {
    out.push("", "Interest maps:");
    for (const p of maps) {
      const map = a.interestMaps?.[p.id];
      out.push(
        line`  ${p.name}`,
        line`    explicit: ${map?.explicit.join("; ") || "(none)"}`,
        line`    implicit: ${map?.implicit.join("; ") || "(none)"}`,
        line`    cannot afford to lose: ${map?.cannotAffordToLose.join("; ") || "(none)"}`,
      );
    }
  }
  out.push("", a.pendingRequests.length > 0 ? "Pending requests, by round:" : "Pending requests: none");
  const rounds = new Map<string, AllianceDetail["pendingRequests"]>();
  for (const r of a.pendingRequests) rounds.set(r.round, [...(rounds.get(r.round) ?? []), r]);
  const extendable = [...rounds].filter(([, requests]) => requests.some((r) => !r.overdue)).length;
  for (const [round, requests] of rounds) {
    const hint = requests.every((r) => r.overdue)
      ? "deadline passed: the workflow is closing it"
      : line`more time: concord requests extend ${a.id} <days>${extendable > 1 ? ` --round ${round}` : ""}`;
    out.push(line`  ${round} (${hint})`);
    for (const r of requests)
      out.push(line`    ${r.partnerId} <${r.contact}>, due ${localTime(r.deadline)}  [${r.requestId}]`);
  }
  out.push("", `Timeline (${timeZoneName()}):`);
  for (const e of a.timeline) out.push(line`  ${localTime(e.at)}  ${e.summary}`);
  return out.join("\n");
}

/** An instant as the reader's local date and time ("2026-12-03 07:38"); the zone is named once (timeZoneName). */
export function localTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      ...(timeZone ? { timeZone } : {}),
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** The reader's time zone, as the times of `alliances show` are in it (TZ, else the system's). */
export function timeZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** What one page of `GET /admin/alliances` answers. */
interface AlliancePage {
  alliances: AllianceSummary[];
  nextToken?: string;
}

const PAGE_SIZE = { default: 50, max: 100 } as const;

function pageSize(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const size = typeof value === "string" && /^[0-9]{1,4}$/.test(value) ? Number(value) : Number.NaN;
  if (!(size >= 1 && size <= PAGE_SIZE.max))
    throw new UsageError(`--limit must be a whole number from 1 to ${PAGE_SIZE.max}`);
  return size;
}

function alliancesRoute(limit: number | undefined, nextToken: string | undefined): string {
  const query = new URLSearchParams();
  if (limit !== undefined) query.set("limit", String(limit));
  if (nextToken !== undefined) query.set("nextToken", nextToken);
  const search = query.toString();
  return `/admin/alliances${search ? `?${search}` : ""}`;
}

function alliancesTable(alliances: AllianceSummary[]): string {
  return table([
    ["ID", "NAME", "STATUS", "MODE", "VERSION", "NEXT REVIEW", "WAITING ON"],
    ...alliances.map((a) => [
      a.id,
      a.name,
      a.status,
      a.mode,
      `v${a.version}`,
      a.nextReviewAt?.slice(0, 10) ?? "-",
      waitingText(a.waitingOn),
    ]),
  ]);
}

/** What the charter audit found, as the admin API answers it. */
interface AuditFindingView {
  area: string;
  severity: string;
  message: string;
}

/** The audit's findings, one per line: what is missing first, then the warnings. */
function findingsText(findings: readonly AuditFindingView[]): string[] {
  const order = (f: AuditFindingView) => (f.severity === "missing" ? 0 : 1);
  return [...findings]
    .sort((a, b) => order(a) - order(b))
    .map((f) => line`  ${f.severity === "missing" ? "MISSING" : "warning"}  ${f.area}: ${f.message}`);
}

/** A created or revised alliance as the admin API answers it: formation started, or a DRAFT that fails the audit. */
interface SubmittedDraft {
  id: string;
  status: string;
  version: number;
  mode: string;
  executionArn?: string;
  message?: string;
  auditFindings: AuditFindingView[];
}

function submittedText(submitted: SubmittedDraft, started: string): string {
  if (submitted.executionArn !== undefined)
    return [started, ...findingsText(submitted.auditFindings)].join("\n");
  return [
    line`Saved ${submitted.id} as a DRAFT (charter v${submitted.version}): the charter fails the audit, so no partner was mailed.`,
    ...findingsText(submitted.auditFindings),
    line`Complete what is missing, then: concord alliances revise ${submitted.id} <draft>`,
  ].join("\n");
}

/** Every command the CLI knows, in the order --help lists them. */
export const commands: Command[] = [
  {
    words: ["alliances", "check"],
    usage: "alliances check <draft.json|draft.yaml>",
    summary: "validate and audit a draft without saving it or mailing anyone",
    help: "Sends the draft to POST /admin/alliances/check: field-level errors when it is invalid, otherwise the charter audit's findings (MISSING blocks formation, warnings are advice). Nothing is saved. Exits with status 1 when something is missing.",
    minArgs: 1,
    maxArgs: 1,
    async run({ args, call }) {
      const checked = await call<{
        ok: boolean;
        mode: string;
        modeReason: string;
        findings: AuditFindingView[];
      }>("POST", "/admin/alliances/check", await readDataFile(args[0] ?? ""));
      const verdict = checked.ok
        ? "The draft is valid and its charter passes the audit: `alliances create` starts its formation."
        : "The charter fails the audit: `alliances create` would save it as a DRAFT and mail no one.";
      return {
        text: [line`${checked.modeReason}`, verdict, ...findingsText(checked.findings)].join("\n"),
        json: checked,
        ...(checked.ok ? {} : { exitCode: 1 }),
      };
    },
  },
  {
    words: ["alliances", "create"],
    usage: "alliances create <draft.json|draft.yaml> [--force]",
    summary:
      "submit a new alliance draft; when its charter passes the audit, formation starts and partners get emails",
    help: "Submits the draft to the admin API (POST /admin/alliances). Field-level errors are listed when the draft is invalid; nothing is saved then. A charter that fails the audit is saved as a DRAFT with the findings and no partner is mailed (exit status 1); `alliances check` tells you first. An alliance of the same name is refused (it would mail every partner twice) unless --force. See `concord schema` for the format and examples/ for drafts.",
    options: {
      force: {
        type: "boolean",
        help: "--force             create it even when an alliance of the same name exists",
      },
    },
    minArgs: 1,
    maxArgs: 1,
    async run({ args, options, call }) {
      const created = await call<SubmittedDraft>(
        "POST",
        `/admin/alliances${options.force === true ? "?force=true" : ""}`,
        await readDataFile(args[0] ?? ""),
      );
      return {
        text: submittedText(
          created,
          `Created alliance ${created.id} (charter v${created.version}, ${created.mode}); formation started — partners are being emailed.`,
        ),
        json: created,
        ...(created.executionArn === undefined ? { exitCode: 1 } : {}),
      };
    },
  },
  {
    words: ["alliances", "revise"],
    usage: "alliances revise <id> <draft.json|draft.yaml> [--answers answers.yaml]",
    summary: "resubmit a revised draft for a DRAFT alliance (a new charter version)",
    help: "The new version's approval emails and page show every partner what changed since the version they voted down, and each comment they left on it with your answer. Give the answers in a JSON or YAML file that maps each commenting partner's id to your answer (`alliances show` lists the comments), e.g.\n  lumen-analytics: We lengthened the notice period to 30 days.\nA comment left without an answer shows as \"no answer given\"; the command names them.",
    options: {
      answers: {
        type: "string",
        help: "--answers FILE      your answers to the partners' comments, by partner id (JSON or YAML)",
      },
    },
    minArgs: 2,
    maxArgs: 2,
    async run({ args, options, call }) {
      const draft = await readDataFile(args[1] ?? "");
      const answers = typeof options.answers === "string" ? await readDataFile(options.answers) : undefined;
      const revised = await call<SubmittedDraft & { unansweredComments?: string[] }>(
        "POST",
        `/admin/alliances/${encodeURIComponent(args[0] ?? "")}/revisions`,
        answers === undefined ? draft : { draft, answers },
      );
      const unanswered = revised.unansweredComments ?? [];
      const note =
        unanswered.length > 0
          ? line`\nNo answer to the comments of ${unanswered.join(", ")}: the partners will read "no answer given" under them (give answers with --answers).`
          : "";
      return {
        text: submittedText(
          revised,
          `Submitted charter v${revised.version} of ${revised.id}; formation started again.${note}`,
        ),
        json: revised,
        ...(revised.executionArn === undefined ? { exitCode: 1 } : {}),
      };
    },
  },
  {
    words: ["workflows", "retry"],
    usage: "workflows retry <alliance-id> [--execution NAME]",
    summary: "retry an alliance's workflow that stopped (failed, timed out) from where it stopped",
    help: "Redrives the stopped execution (Step Functions RedriveExecution): the state that failed runs again with the input it had; what was recorded before is kept. `alliances show` lists what stopped; name one with --execution when there are several. Refused when nothing stopped, or when Step Functions can no longer redrive it.",
    options: {
      execution: {
        type: "string",
        help: "--execution NAME   which stopped execution (when there are several)",
      },
    },
    minArgs: 1,
    maxArgs: 1,
    async run({ args, options, call }) {
      const execution = typeof options.execution === "string" ? options.execution : undefined;
      const retried = await call<{ executionName: string; workflow: string; status: string }>(
        "POST",
        `/admin/alliances/${encodeURIComponent(args[0] ?? "")}/retry`,
        execution === undefined ? {} : { executionName: execution },
      );
      return {
        text:
          retried.status === "RUNNING"
            ? line`Retried the ${retried.workflow} (${retried.executionName}): it runs again from where it stopped.`
            : line`The ${retried.workflow} (${retried.executionName}) is ${retried.status} already; the problem is cleared.`,
        json: retried,
      };
    },
  },
  {
    words: ["alliances", "cancel"],
    usage: 'alliances cancel <id> "<reason>"',
    summary:
      "cancel an alliance that is a DRAFT or still forming; its links close and everyone asked is told",
    help: "Only before the alliance is ACTIVE (an active one ends with `exits start <id> --dissolve`). The formation stops, every open link shows a page with the reason, and the partners' contacts it asked (and the organiser) are emailed.",
    minArgs: 2,
    maxArgs: 2,
    async run({ args, call }) {
      const done = await call<{ id: string; closedLinks: number }>(
        "POST",
        `/admin/alliances/${encodeURIComponent(args[0] ?? "")}/cancel`,
        { reason: args[1] },
      );
      return {
        text: line`Cancelled ${done.id}; ${String(done.closedLinks)} open link(s) closed, everyone asked is told.`,
        json: done,
      };
    },
  },
  {
    words: ["alliances", "list"],
    usage: "alliances list [--limit N] [--next-token TOKEN] [--all]",
    summary: "list alliances, newest first, a page at a time (--all for every one)",
    help: `Lists the newest alliances, ${PAGE_SIZE.default} unless --limit says otherwise. When there are more, the last line says how to see the next page. With --json the output is { alliances, nextToken? }; pass nextToken back with --next-token.`,
    options: {
      limit: {
        type: "string",
        help: `--limit N           alliances per page, 1 to ${PAGE_SIZE.max} (default ${PAGE_SIZE.default})`,
      },
      "next-token": { type: "string", help: "--next-token TOKEN  the page after the one that gave TOKEN" },
      all: {
        type: "boolean",
        help: "--all               every alliance, fetching page after page (progress on stderr)",
      },
    },
    minArgs: 0,
    maxArgs: 0,
    async run({ options, call, progress }) {
      const all = options.all === true;
      const limit = pageSize(options.limit) ?? (all ? PAGE_SIZE.max : undefined);
      let nextToken = typeof options["next-token"] === "string" ? options["next-token"] : undefined;
      const alliances: AllianceSummary[] = [];
      do {
        const page = await call<AlliancePage>("GET", alliancesRoute(limit, nextToken));
        alliances.push(...page.alliances);
        nextToken = page.nextToken;
        if (all && nextToken) progress(`fetched ${alliances.length} alliances so far…`);
      } while (all && nextToken);
      if (alliances.length === 0)
        return {
          text: "No alliances yet. Create one with: concord alliances create examples/pilot-three-partners.json",
          json: { alliances },
        };
      const more = nextToken
        ? `\n\nShowing ${alliances.length} alliances; there are more. Next page: concord alliances list${limit ? ` --limit ${limit}` : ""} --next-token ${nextToken}\nEvery alliance: concord alliances list --all`
        : "";
      return {
        text: alliancesTable(alliances) + more,
        json: { alliances, ...(nextToken ? { nextToken } : {}) },
      };
    },
  },
  {
    words: ["alliances", "show"],
    usage: "alliances show <id>",
    summary: "show an alliance: status, partners, pending requests, timeline",
    minArgs: 1,
    maxArgs: 1,
    async run({ args, call }) {
      const alliance = await call<AllianceDetail>(
        "GET",
        `/admin/alliances/${encodeURIComponent(args[0] ?? "")}`,
      );
      return { text: detailText(alliance), json: alliance };
    },
  },
  {
    words: ["reviews", "start"],
    usage: "reviews start <alliance-id>",
    summary: "start the alliance's next realignment review now (refused while one runs)",
    help: "Every partner's lead is emailed a review link (strategic fit, each goal keep/change/drop, one thing that would make the partnership stronger, continue or leave). When all have answered or the deadline passes, the review is tallied by the charter's rule for strategic decisions, everyone is emailed the summary and the next review is scheduled. `concord alliances show <id>` lists the reviews and who is pending.",
    minArgs: 1,
    maxArgs: 1,
    async run({ args, call }) {
      const started = await call<{ reviewId: string; executionArn: string }>(
        "POST",
        `/admin/alliances/${encodeURIComponent(args[0] ?? "")}/reviews`,
      );
      return {
        text: line`Started review ${started.reviewId}; the partners' leads are being emailed.`,
        json: started,
      };
    },
  },
  {
    words: ["reviews", "show"],
    usage: "reviews show <alliance-id> <review-id>",
    summary: "show a review: who has answered, who is pending and until when, the outcome",
    help: "The review ids are listed under 'Reviews' by `concord alliances show <id>` (e.g. review-<alliance>-0001).",
    minArgs: 2,
    maxArgs: 2,
    async run({ args, call }) {
      const review = await call<ReviewDetail>(
        "GET",
        `/admin/alliances/${encodeURIComponent(args[0] ?? "")}/reviews/${encodeURIComponent(args[1] ?? "")}`,
      );
      return { text: reviewText(review), json: review };
    },
  },
  {
    words: ["exits", "start"],
    usage: "exits start <alliance-id> <partner-id> <reason> | exits start <alliance-id> --dissolve <reason>",
    summary: "start a formal exit of one partner, or dissolve the alliance",
    help: "Every partner is emailed the notice (what happens, when, how the shared assets divide); the leaving partner's lead is asked to acknowledge it. The exit takes effect on --effective (never earlier than the charter's notice period allows, unless --force-majeure invokes the charter's clause) or when the notice period ends. Then the partner is EXITED, its open requests close and its vote leaves later decisions; with fewer than two partners left, or with --dissolve, the alliance is DISSOLVED. Refused, and nothing started, while the partner is already leaving or gone or the alliance is not ACTIVE.",
    options: {
      dissolve: { type: "boolean", help: "--dissolve          dissolve the whole alliance (no partner id)" },
      effective: {
        type: "string",
        help: "--effective DATE    when the exit takes effect (default: when the notice period ends)",
      },
      "force-majeure": {
        type: "boolean",
        help: "--force-majeure     shorten the notice under the charter's force-majeure clause",
      },
    },
    minArgs: 2,
    maxArgs: 3,
    async run({ args, options, call }) {
      const dissolve = options.dissolve === true;
      if (args.length !== (dissolve ? 2 : 3)) {
        throw new UsageError(
          dissolve
            ? "with --dissolve: exits start <alliance-id> --dissolve <reason>"
            : "expected <alliance-id> <partner-id> <reason>",
        );
      }
      const [allianceId = "", ...rest] = args;
      const [partnerId, reason] = dissolve ? [undefined, rest[0]] : rest;
      const started = await call<{ exitId: string; effectiveDate: string; executionArn: string }>(
        "POST",
        `/admin/alliances/${encodeURIComponent(allianceId)}/exits`,
        {
          ...(dissolve ? { dissolve: true } : { partnerId }),
          reason,
          ...(typeof options.effective === "string" ? { effectiveDate: options.effective } : {}),
          ...(options["force-majeure"] === true ? { forceMajeure: true } : {}),
        },
      );
      return {
        text: line`Started ${started.exitId}: effective ${started.effectiveDate}. Every partner is being emailed the notice.`,
        json: started,
      };
    },
  },
  {
    words: ["exits", "show"],
    usage: "exits show <alliance-id> <exit-id>",
    summary: "show an exit: its stage, the division of the shared assets, the wind-down obligations",
    minArgs: 2,
    maxArgs: 2,
    async run({ args, call }) {
      const exit = await call<ExitDetail>(
        "GET",
        `/admin/alliances/${encodeURIComponent(args[0] ?? "")}/exits/${encodeURIComponent(args[1] ?? "")}`,
      );
      return { text: exitText(exit), json: exit };
    },
  },
  {
    words: ["exits", "decide"],
    usage: "exits decide <alliance-id> <exit-id> --resolution TEXT [--transfers FILE]",
    summary: "decide a contested asset division (the exit then goes on to its wind-down obligations)",
    help: 'A division goes to the admin when a partner contests it or an asset has no division rule; the exit waits (and reminds the admin) until it is decided. The resolution is written on the timeline and emailed to everyone. --transfers names a JSON or YAML file with the transfers that replace the plan\'s: a list of { "asset", "from", "to", "share" (0 to 1), "what": "hand-over" | "buyout" | "license" }; without it the plan\'s transfers stand.',
    options: {
      resolution: { type: "string", help: "--resolution TEXT   the written decision (required)" },
      transfers: {
        type: "string",
        help: "--transfers FILE    JSON/YAML list of transfers replacing the plan's",
      },
    },
    minArgs: 2,
    maxArgs: 2,
    async run({ args, options, call }) {
      const [allianceId = "", exitId = ""] = args;
      if (typeof options.resolution !== "string") throw new UsageError("--resolution TEXT is required");
      const transfers =
        typeof options.transfers === "string" ? await readDataFile(options.transfers) : undefined;
      const decided = await call<{ exitId: string }>(
        "POST",
        `/admin/alliances/${encodeURIComponent(allianceId)}/exits/${encodeURIComponent(exitId)}/division`,
        { resolution: options.resolution, ...(transfers !== undefined ? { transfers } : {}) },
      );
      return {
        text: line`Decided the division of ${decided.exitId}; everyone is being told, and the wind-down obligations follow.`,
        json: decided,
      };
    },
  },
  {
    words: ["exits", "cancel"],
    usage: "exits cancel <alliance-id> <exit-id> <reason>",
    summary: "cancel an exit before it takes effect (the partner stays; everyone is told)",
    minArgs: 3,
    maxArgs: 3,
    async run({ args, call }) {
      const [allianceId = "", exitId = "", reason] = args;
      const cancelled = await call<{ exitId: string; status: string }>(
        "POST",
        `/admin/alliances/${encodeURIComponent(allianceId)}/exits/${encodeURIComponent(exitId)}/cancel`,
        { reason },
      );
      return { text: line`Cancelled ${cancelled.exitId}; every partner is being told.`, json: cancelled };
    },
  },
  {
    words: ["escalations", "raise"],
    usage:
      "escalations raise <alliance-id> --subject TEXT --description TEXT --kind KIND --partners ID[,ID] [--critical]",
    summary: "raise a concern: it climbs the charter's escalation ladder, rung by rung",
    help: "KIND is dispute, free-rider, missed-commitment or force-majeure. Each rung's participants (by charter role) are emailed the concern, its history and their link; the rung resolves it in writing, or it moves up (by choice, a minority veto, or a missed deadline). Past the last rung the charter decides: the admin is told, or the exit plan is invoked. A second open concern of the same kind about the same partner is refused.",
    options: {
      subject: { type: "string", help: "--subject TEXT      one line: what the concern is about (required)" },
      description: { type: "string", help: "--description TEXT  what happened and what is asked (required)" },
      kind: {
        type: "string",
        help: "--kind KIND         dispute | free-rider | missed-commitment | force-majeure",
      },
      partners: { type: "string", help: "--partners IDS      the partner(s) concerned, comma-separated" },
      critical: {
        type: "boolean",
        help: "--critical          a critical decision: the minority veto applies",
      },
    },
    minArgs: 1,
    maxArgs: 1,
    async run({ args, options, call }) {
      for (const name of ["subject", "description", "kind", "partners"] as const) {
        if (typeof options[name] !== "string") throw new UsageError(`--${name} is required`);
      }
      const raised = await call<{ escalationId: string; executionArn: string }>(
        "POST",
        `/admin/alliances/${encodeURIComponent(args[0] ?? "")}/escalations`,
        {
          subject: options.subject,
          description: options.description,
          kind: options.kind,
          partnerIds: String(options.partners)
            .split(",")
            .map((id) => id.trim())
            .filter((id) => id !== ""),
          critical: options.critical === true,
        },
      );
      return {
        text: line`Raised ${raised.escalationId}: the first rung's participants are being emailed.`,
        json: raised,
      };
    },
  },
  {
    words: ["escalations", "list"],
    usage: "escalations list <alliance-id>",
    summary: "list an alliance's escalations: status, rung, subject",
    minArgs: 1,
    maxArgs: 1,
    async run({ args, call }) {
      const { escalations } = await call<{
        escalations: { escalationId: string; status: string; rung: number; subject: string }[];
      }>("GET", `/admin/alliances/${encodeURIComponent(args[0] ?? "")}/escalations`);
      return {
        text:
          escalations.length === 0
            ? "No escalations."
            : escalations
                .map((e) => line`${e.escalationId}  ${e.status}  rung ${e.rung}  ${e.subject}`)
                .join("\n"),
        json: { escalations },
      };
    },
  },
  {
    words: ["escalations", "show"],
    usage: "escalations show <alliance-id> <escalation-id>",
    summary: "show an escalation: its rung, who owes what by when, the answers so far, the resolution",
    minArgs: 2,
    maxArgs: 2,
    async run({ args, call }) {
      const shown = await call<EscalationDetail>(
        "GET",
        `/admin/alliances/${encodeURIComponent(args[0] ?? "")}/escalations/${encodeURIComponent(args[1] ?? "")}`,
      );
      return { text: escalationText(shown), json: shown };
    },
  },
  {
    words: ["escalations", "withdraw"],
    usage: "escalations withdraw <alliance-id> <escalation-id> <reason>",
    summary: "withdraw an open escalation (its workflow stops; everyone is told why)",
    minArgs: 3,
    maxArgs: 3,
    async run({ args, call }) {
      const [allianceId = "", escalationId = "", reason] = args;
      const withdrawn = await call<{ escalationId: string }>(
        "POST",
        `/admin/alliances/${encodeURIComponent(allianceId)}/escalations/${encodeURIComponent(escalationId)}/withdraw`,
        { reason },
      );
      return { text: line`Withdrew ${withdrawn.escalationId}; everyone is being told.`, json: withdrawn };
    },
  },
  {
    words: ["trust", "record"],
    usage: "trust record <alliance-id> <partner-id> <deposit|withdrawal> <kind> <points> <note>",
    summary: "record a trust deposit or withdrawal for a partner (insert-only ledger)",
    help: `Deposits record shared-early, delivered or acknowledged; withdrawals record missed or surprise. Points are a whole number from 1 to ${MAX_TRUST_POINTS}. The entry and its note go on the alliance's timeline; nothing is recorded for a draft or dissolved alliance.`,
    minArgs: 6,
    maxArgs: 6,
    async run({ args, call }) {
      const [allianceId = "", partnerId, direction, kind, points = "", note] = args;
      if (!/^[0-9]+$/.test(points)) throw new UsageError(`points must be a whole number, got '${points}'`);
      const recorded = await call<{ entry: TrustEntry; balances: Record<string, number> }>(
        "POST",
        `/admin/alliances/${encodeURIComponent(allianceId)}/trust`,
        { partnerId, direction, kind, points: Number(points), note },
      );
      const { entry } = recorded;
      const sign = entry.direction === "deposit" ? "+" : "-";
      return {
        text: [
          line`Recorded a ${entry.direction} of ${sign}${entry.points} (${entry.kind}) for ${entry.partnerId}.`,
          balancesText(recorded.balances),
        ].join("\n"),
        json: recorded,
      };
    },
  },
  {
    words: ["trust", "show"],
    usage: "trust show <alliance-id>",
    summary: "show each partner's trust balance and the ledger",
    minArgs: 1,
    maxArgs: 1,
    async run({ args, call }) {
      const trust = await call<{ balances: Record<string, number>; entries: TrustEntry[] }>(
        "GET",
        `/admin/alliances/${encodeURIComponent(args[0] ?? "")}/trust`,
      );
      const ledger =
        trust.entries.length === 0
          ? "No entries yet."
          : trust.entries
              .map((e) => {
                const sign = e.direction === "deposit" ? "+" : "-";
                return line`  ${e.at}  ${e.partnerId}  ${sign}${e.points} ${e.kind}  ${e.note}  (by ${e.recordedBy})`;
              })
              .join("\n");
      return { text: `${balancesText(trust.balances)}\nLedger:\n${ledger}`, json: trust };
    },
  },
  {
    words: ["requests", "resend"],
    usage: "requests resend <request-id>",
    summary: "mail an open request's link again (a fresh link; earlier links keep working)",
    help: "The request ids are listed under 'Pending requests' by `concord alliances show <id>`. A closed request (decided, expired, handed over, cancelled) is refused and nothing is sent.",
    minArgs: 1,
    maxArgs: 1,
    async run({ args, call }) {
      const sent = await call<{ requestId: string; contact: string; deadline: string }>(
        "POST",
        `/admin/requests/${encodeURIComponent(args[0] ?? "")}/resend`,
      );
      return {
        text: `Re-sent request ${sent.requestId} to ${sent.contact} (due ${sent.deadline}).`,
        json: sent,
      };
    },
  },
  {
    words: ["requests", "extend"],
    usage: "requests extend <alliance-id> <days> [--round INSTANCE/KIND] [--reason TEXT]",
    summary:
      "give a pending round more time: its deadline moves <days> later for everyone it still waits for",
    help: `Everyone the round still waits for is emailed the new deadline with a fresh link (earlier links keep working), and the organiser hears whom it waits for; who already answered is not disturbed. The workflow waits until the new deadline (at most 90 days more at a time). Name the round (as 'Pending requests' in \`concord alliances show <id>\` lists it, e.g. formation-v0001/charter-approval) when more than one is pending.`,
    options: {
      round: {
        type: "string",
        help: "--round ID          the pending round, e.g. formation-v0001/charter-approval",
      },
      reason: { type: "string", help: "--reason TEXT       why, told to everyone it still waits for" },
    },
    minArgs: 2,
    maxArgs: 2,
    async run({ args, options, call }) {
      const days = /^([1-9][0-9]{0,2})d?$/.exec(args[1] ?? "")?.[1];
      if (days === undefined) throw new UsageError(`'${args[1]}' is not a number of days; use e.g. 7 or 7d`);
      const extended = await call<{
        round: string;
        deadline?: string;
        extended: { partnerId: string; deadline: string; contacts: string[] }[];
        closed: { partnerId: string; why: string }[];
      }>("POST", `/admin/alliances/${encodeURIComponent(args[0] ?? "")}/rounds/extend`, {
        days: Number(days),
        ...(typeof options.round === "string" ? { round: options.round } : {}),
        ...(typeof options.reason === "string" ? { reason: options.reason } : {}),
      });
      const lines = [
        extended.deadline === undefined
          ? line`Nothing moved in ${extended.round}: every request in it closed meanwhile.`
          : line`Extended ${extended.round} to ${localTime(extended.deadline)} (${timeZoneName()}):`,
        ...extended.extended.map((e) => line`  ${e.partnerId}: told ${e.contacts.join(", ")}`),
        ...extended.closed.map((c) => line`  ${c.partnerId}: unchanged (${c.why})`),
      ];
      return { text: lines.join("\n"), json: extended };
    },
  },
  {
    words: ["contacts", "replace"],
    usage:
      "contacts replace <alliance-id> <partner-id> <old-email> <new-name> <new-email> [lead|committee|sponsor]",
    summary: "replace a partner's contact; their open requests move to the new person",
    help: "Recorded on the alliance as an amendment (the charter is unchanged). The replaced person's open links close with a page saying so, and the new contact is emailed new links. The role stays the same unless given.",
    minArgs: 5,
    maxArgs: 6,
    async run({ args, call }) {
      const [allianceId = "", partnerId, replace, name, email, role] = args;
      const done = await call<{
        replaced: string;
        by: string;
        moved: { from: string; to: string; kind: string }[];
      }>("POST", `/admin/alliances/${encodeURIComponent(allianceId)}/contact-replacements`, {
        partnerId,
        replace,
        with: { name, email, ...(role ? { role } : {}) },
      });
      const moved =
        done.moved.length === 0
          ? "No open requests to move."
          : `Moved ${done.moved.length} open request(s): ${done.moved.map((m) => m.kind).join(", ")}.`;
      return { text: `${done.by} replaces ${done.replaced}. ${moved}`, json: done };
    },
  },
  {
    words: ["schema"],
    usage: "schema",
    summary: "print the alliance draft's JSON Schema (works offline)",
    minArgs: 0,
    maxArgs: 0,
    async run() {
      const schema = draftJsonSchema();
      return { text: JSON.stringify(schema, null, 2), json: schema };
    },
  },
  {
    words: ["clock"],
    usage: "clock",
    summary: "show the local cloud's clock",
    minArgs: 0,
    maxArgs: 0,
    async run({ call }) {
      const clock = await call<ClockState>("GET", "/local/clock");
      return { text: clockInWords(clock), json: clock };
    },
  },
  {
    words: ["clock", "advance"],
    usage: "clock advance <duration>",
    summary: "move the local clock forward (e.g. 90m, 12h, 3d, 2w); waits, deadlines and schedules follow",
    minArgs: 1,
    maxArgs: 1,
    async run({ args, call }) {
      const duration = args[0] ?? "";
      const ms = parseDuration(duration);
      if (duration.startsWith("-"))
        throw new UsageError(`'${duration}' is negative: the clock only moves forward (use e.g. 3d)`);
      if (ms === null)
        throw new UsageError(`'${duration}' is not a duration; use e.g. 90s, 15m, 12h, 3d, 2w`);
      const clock = await call<ClockState>("POST", "/local/clock", { advance: duration });
      return { text: `Advanced ${formatDuration(ms, "long")}. ${clockInWords(clock)}`, json: clock };
    },
  },
  {
    words: ["clock", "rate"],
    usage: "clock rate <simulated-seconds-per-second>",
    summary: "run the local clock faster (86400 = one day per second; 1 = real time)",
    minArgs: 1,
    maxArgs: 1,
    async run({ args, call }) {
      const rate = Number(args[0]);
      if (!Number.isFinite(rate) || rate <= 0) throw new UsageError(`'${args[0]}' is not a positive number`);
      const clock = await call<ClockState>("POST", "/local/clock", { rate });
      return { text: clockInWords(clock), json: clock };
    },
  },
  {
    words: ["clock", "reset"],
    usage: "clock reset [--force]",
    summary: "put the local clock back in step with the wall clock, at real time (rate 1)",
    help: "A clock behind the wall clock moves forward, as with `clock advance`. A clock ahead of it would move simulated time backwards, so the reset is refused (nothing changes) unless --force; `clock rate 1` instead runs at real time from where the clock is. A forced reset undoes nothing: deadlines already passed stay passed, and what they started (a missed answer, an escalation, a fired schedule) stands; every timer still pending (a Wait, a deadline, a task timeout, the next run of a schedule) keeps its time and fires when the clock reaches it again. The saved clock (<data dir>/clock.json) is rewritten, so a restart resumes from the reset time.",
    options: {
      force: {
        type: "boolean",
        help: "--force             move simulated time backwards when the clock is ahead",
      },
    },
    minArgs: 0,
    maxArgs: 0,
    async run({ options, call }) {
      const force = options.force === true;
      let clock: ClockState;
      try {
        clock = await call<ClockState>("POST", "/local/clock", { reset: true, ...(force ? { force } : {}) });
      } catch (error) {
        if (!(error instanceof AdminApiError) || error.status !== 409) throw error;
        throw new AdminApiError(
          `${error.message}. Run \`concord clock reset --force\` to move it back anyway (deadlines already passed stay passed; timers still pending fire when the clock reaches their time again), or \`concord clock rate 1\` to run at real time from here`,
          error.status,
        );
      }
      return { text: `Reset. ${clockInWords(clock)}`, json: clock };
    },
  },
];

/** Commands, one per line, usage then summary. */
export function commandLines(list: readonly Command[]): string[] {
  const width = Math.max(...list.map((c) => c.usage.length));
  return list.map((c) => `  concord ${c.usage.padEnd(width)}  ${c.summary}`);
}

/**
 * `concord <command> --help`: usage, summary, the longer help when there is one, the command's options, and
 * the commands under it when its words are also a group's (`clock` lists `clock advance`, `clock reset`…).
 */
export function commandHelp(command: Command, all: readonly Command[] = commands): string {
  const options = Object.values(command.options ?? {}).map((o) => `  ${o.help}`);
  const under = all.filter(
    (c) => c.words.length > command.words.length && command.words.every((word, i) => c.words[i] === word),
  );
  return [
    `Usage: concord ${command.usage}`,
    command.summary,
    ...(command.help ? [command.help] : []),
    ...(options.length > 0 ? [`Options:\n${options.join("\n")}`] : []),
    ...(under.length > 0 ? [`Commands:\n${commandLines(under).join("\n")}`] : []),
  ].join("\n\n");
}
