import { assetDivision, type DivisionRule, type ExitTerms } from "./exit-terms";
import type { Partner } from "./partner";

// The mutual exit plan's arithmetic: when an exit may take effect, and how the shared assets divide. Pure.

const DAY_MS = 86_400_000;

/** What an admin asks for when starting an exit. */
export interface ExitRequest {
  /** ISO date or time the exit should take effect; absent: as soon as the notice period allows. */
  effectiveDate?: string;
  /** The admin invokes the charter's force-majeure clause to shorten the notice. */
  forceMajeure?: boolean;
}

/** When an exit takes effect, or why it cannot be when asked. */
export type ExitSchedule =
  | { ok: true; effectiveDate: string; earliest: string; noticeDays: number; shortened: boolean }
  | { ok: false; field: "effectiveDate" | "forceMajeure"; message: string };

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * When an exit asked for at `now` takes effect: the requested date, which may not be earlier than the charter's
 * notice period allows (`now` + noticePeriodDays; a charter without one allows none), unless the admin invokes the
 * charter's force-majeure clause, which allows any date from now on. A date in the past, a malformed one, or force
 * majeure without the clause is refused, naming the field.
 */
export function exitSchedule(
  request: ExitRequest,
  terms: Pick<ExitTerms, "noticePeriodDays"> | undefined,
  hasForceMajeureClause: boolean,
  now: number,
): ExitSchedule {
  const noticeDays = terms?.noticePeriodDays ?? 0;
  const earliest = iso(now + noticeDays * DAY_MS);
  if (request.forceMajeure && !hasForceMajeureClause) {
    return {
      ok: false,
      field: "forceMajeure",
      message: "cannot be invoked: the charter has no force-majeure clause",
    };
  }
  if (request.effectiveDate === undefined) {
    return { ok: true, effectiveDate: earliest, earliest, noticeDays, shortened: false };
  }
  const requested = Date.parse(request.effectiveDate);
  if (Number.isNaN(requested)) {
    return {
      ok: false,
      field: "effectiveDate",
      message: "must be a date such as 2027-03-31 or a time in ISO 8601",
    };
  }
  if (requested < now - 60_000) {
    return { ok: false, field: "effectiveDate", message: `must not be in the past (it is ${iso(now)} now)` };
  }
  const effective = Math.max(requested, now);
  if (effective < Date.parse(earliest) && !request.forceMajeure) {
    return {
      ok: false,
      field: "effectiveDate",
      message: `must be on or after ${earliest}: the charter's notice period is ${noticeDays} day(s) (invoke force majeure to shorten it)`,
    };
  }
  return {
    ok: true,
    effectiveDate: iso(effective),
    earliest,
    noticeDays,
    shortened: effective < Date.parse(earliest),
  };
}

/** Who holds what of one shared asset once the exit is done, and what must move for that. */
export interface AssetDivision {
  asset: string;
  rule: DivisionRule | "undivided";
  /** Shares of the asset after the exit, by partner id (they sum to 1; empty when the rule is missing). */
  holders: Record<string, number>;
  /** What must happen, each an obligation with an owner: "northwind hands its 40 % share to harbor-rail". */
  transfers: { from: string; to: string; share: number; what: "hand-over" | "buyout" | "license" }[];
  /** One sentence for the emails. */
  summary: string;
}

/**
 * How each asset of the register divides when `exiting` leaves (a partner id), or when the alliance dissolves
 * (`"all"`), by the asset's own rule or the exit terms' default:
 *
 * - return-to-contributor: the leaver takes back its contribution (a co-owned asset splits equally among its
 *   owners); on dissolution every owner takes its equal share.
 * - split-by-weight: the owners share it by voting weight; the leaver's share goes to it.
 * - buyout: the remaining owners buy the leaver's share, by their voting weights (a leaver that owns it alone is
 *   bought out by every remaining partner); on dissolution there is no one to buy, so it splits by weight.
 * - license-back: the remaining owner with the most weight keeps it; the other owners, the leaver among them, hand
 *   over their shares and get a licence (a leaver that owns it alone keeps it and licenses it to the others); on
 *   dissolution each owner keeps a licence.
 *
 * An asset the leaver does not own stays as it is. An asset without a rule is "undivided": the audit flags it, and
 * the admin decides.
 */
export function divisionPlan(
  terms: ExitTerms,
  partners: readonly Partner[],
  exiting: string,
): AssetDivision[] {
  const weightOf = (id: string) => partners.find((p) => p.id === id)?.votingWeight ?? 0;
  const byWeight = (ids: readonly string[]): Record<string, number> => {
    const total = ids.reduce((sum, id) => sum + weightOf(id), 0);
    return Object.fromEntries(ids.map((id) => [id, total === 0 ? 1 / ids.length : weightOf(id) / total]));
  };
  const equal = (ids: readonly string[]) => Object.fromEntries(ids.map((id) => [id, 1 / ids.length]));
  const remainingPartners = partners.map((p) => p.id).filter((id) => id !== exiting);
  const pct = (share: number) => `${Math.round(share * 100)} %`;

  return terms.sharedAssets.map((asset) => {
    const rule = assetDivision(asset, terms);
    const owners = asset.owners;
    if (rule === undefined) {
      return {
        asset: asset.name,
        rule: "undivided",
        holders: {},
        transfers: [],
        summary: `${asset.name}: no division rule; the admin decides.`,
      };
    }
    const dissolving = exiting === "all";
    if (!dissolving && !owners.includes(exiting)) {
      const holders = rule === "split-by-weight" || rule === "buyout" ? byWeight(owners) : equal(owners);
      return {
        asset: asset.name,
        rule,
        holders,
        transfers: [],
        summary: `${asset.name}: not the leaving partner's; stays as it is.`,
      };
    }
    return DIVIDERS[rule]({
      asset: asset.name,
      owners,
      exiting,
      dissolving,
      others: owners.filter((id) => id !== exiting),
      remainingPartners,
      byWeight,
      equal,
      weightOf,
      pct,
    });
  });
}

/** What dividing one asset needs. */
interface DivisionContext {
  asset: string;
  owners: readonly string[];
  exiting: string;
  dissolving: boolean;
  /** The owners other than the leaver. */
  others: readonly string[];
  /** Every partner but the leaver. */
  remainingPartners: readonly string[];
  byWeight: (ids: readonly string[]) => Record<string, number>;
  equal: (ids: readonly string[]) => Record<string, number>;
  weightOf: (id: string) => number;
  pct: (share: number) => string;
}

// One divider per rule, so a new rule without its divider does not compile.
const DIVIDERS: Record<DivisionRule, (c: DivisionContext) => AssetDivision> = {
  "return-to-contributor": (c) => {
    const holders = c.equal(c.owners);
    const summary = c.dissolving
      ? `${c.asset}: each owner takes back its equal share (${c.owners.join(", ")}).`
      : `${c.asset}: ${c.exiting} takes back its contribution (${c.pct(holders[c.exiting] ?? 0)}).`;
    return { asset: c.asset, rule: "return-to-contributor", holders, transfers: [], summary };
  },
  "split-by-weight": (c) => ({
    asset: c.asset,
    rule: "split-by-weight",
    holders: c.byWeight(c.owners),
    transfers: [],
    summary: `${c.asset}: shared by voting weight among ${c.owners.join(", ")}.`,
  }),
  buyout: (c) => {
    if (c.dissolving) {
      return {
        asset: c.asset,
        rule: "buyout",
        holders: c.byWeight(c.owners),
        transfers: [],
        summary: `${c.asset}: no partner remains to buy; shared by voting weight.`,
      };
    }
    const leaverShare = c.byWeight(c.owners)[c.exiting] ?? 0;
    const buyers = c.others.length > 0 ? c.others : c.remainingPartners;
    const buyerShares = c.byWeight(buyers);
    return {
      asset: c.asset,
      rule: "buyout",
      holders: buyerShares,
      transfers: buyers.map((to) => ({
        from: c.exiting,
        to,
        share: leaverShare * (buyerShares[to] ?? 0),
        what: "buyout" as const,
      })),
      summary: `${c.asset}: ${buyers.join(", ")} buy ${c.exiting}'s ${c.pct(leaverShare)} share.`,
    };
  },
  "license-back": (c) => {
    if (c.dissolving) {
      return {
        asset: c.asset,
        rule: "license-back",
        holders: c.equal(c.owners),
        transfers: [],
        summary: `${c.asset}: each owner keeps a licence to use it.`,
      };
    }
    const license = (from: string, to: string) => ({ from, to, share: 0, what: "license" as const });
    if (c.others.length === 0) {
      return {
        asset: c.asset,
        rule: "license-back",
        holders: { [c.exiting]: 1 },
        transfers: c.remainingPartners.map((to) => license(c.exiting, to)),
        summary: `${c.asset}: ${c.exiting} keeps it and licenses it to ${c.remainingPartners.join(", ")}.`,
      };
    }
    const keeper = [...c.others].sort(
      (a, b) => c.weightOf(b) - c.weightOf(a) || a.localeCompare(b),
    )[0] as string;
    const shares = c.byWeight(c.owners);
    const handing = c.owners.filter((id) => id !== keeper);
    return {
      asset: c.asset,
      rule: "license-back",
      holders: { [keeper]: 1 },
      transfers: [
        ...handing.map((from) => ({
          from,
          to: keeper,
          share: shares[from] ?? 0,
          what: "hand-over" as const,
        })),
        ...handing.map((to) => license(keeper, to)),
      ],
      summary: `${c.asset}: ${keeper} keeps it and licenses it to ${handing.join(", ")}.`,
    };
  },
};

/** Days the partners have for the wind-down obligations when the charter does not say. */
export const DEFAULT_WIND_DOWN_DAYS = 30;

/** One thing a partner must do to wind the exit down, confirmed through a link by its due date. */
export interface WindDownObligation {
  /** "ob-01", "ob-02", … in the order listed; names the obligation's request round. */
  id: string;
  /** The partner that must do it (its lead confirms). */
  owner: string;
  /** One sentence: "Northwind Telematics hands its 33 % share of Pilot emissions dataset to Harbor & Rail". */
  what: string;
  /** The shared asset it concerns; absent for confidential information. */
  asset?: string;
  dueDate: string;
}

/** A transfer of one asset, as a division plans it or an admin decided it. */
export type AssetTransfer = AssetDivision["transfers"][number] & { asset: string };

const pct = (share: number) => `${Math.round(share * 100)} %`;
const TRANSFER_WORDS: Record<
  AssetTransfer["what"],
  (t: AssetTransfer, nameOf: (id: string) => string) => string
> = {
  "hand-over": (t, nameOf) =>
    `${nameOf(t.from)} hands its ${pct(t.share)} share of ${t.asset} to ${nameOf(t.to)}`,
  buyout: (t, nameOf) =>
    `${nameOf(t.from)} transfers its ${pct(t.share)} share of ${t.asset} to ${nameOf(t.to)}, which buys it`,
  license: (t, nameOf) => `${nameOf(t.from)} grants ${nameOf(t.to)} a licence to use ${t.asset}`,
};

/** One transfer in a sentence: "Northwind hands its 33 % share of the dataset to Harbor & Rail". */
export function transferSentence(transfer: AssetTransfer, nameOf: (partnerId: string) => string): string {
  return TRANSFER_WORDS[transfer.what](transfer, nameOf);
}

/**
 * The wind-down obligations of an exit: every asset transfer of the settled division (the partner handing over,
 * selling or licensing is the owner), then the return or destruction of the alliance's confidential information by
 * the leaving partner (on dissolution: by every partner). All are due on `dueDate`. Pure.
 */
export function windDownObligations(
  transfers: readonly AssetTransfer[],
  leaving: readonly Pick<Partner, "id" | "name">[],
  partners: readonly Pick<Partner, "id" | "name">[],
  dueDate: string,
): WindDownObligation[] {
  const nameOf = (id: string) => partners.find((p) => p.id === id)?.name ?? id;
  const obligations: Omit<WindDownObligation, "id" | "dueDate">[] = [
    ...transfers.map((t) => ({ owner: t.from, what: transferSentence(t, nameOf), asset: t.asset })),
    ...leaving.map((p) => ({
      owner: p.id,
      what: `${p.name} returns or destroys the alliance's confidential information it holds, and confirms it in writing`,
    })),
  ];
  return obligations.map((o, i) => ({ id: `ob-${String(i + 1).padStart(2, "0")}`, ...o, dueDate }));
}
