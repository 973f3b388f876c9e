import type { InterestMap } from "./interest-map";
import type { Partner } from "./partner";

/** Something the partners should talk about before they sign. */
export interface AlignmentGap {
  kind: "missing-interest-map" | "unbacked-must-keep" | "goal-outside-alliance";
  partnerId: string;
  /** The interest the gap is about, as the partner wrote it. */
  item?: string;
  message: string;
}

/** Shared goals and gaps, in partner order then item order (deterministic, for the welcome email). */
export interface AlignmentReport {
  /** Explicit goals every partner with a map states in some form, in the first partner's wording. */
  sharedGoals: string[];
  gaps: AlignmentGap[];
}

/**
 * Compare the partners' interest maps. Two interests match when their significant words overlap
 * (one set contains the other, or they share at least half of their words), so the result is easy
 * to explain and never depends on anything but the text.
 *
 * - sharedGoals: explicit goals that every partner with a map states in some form;
 * - unbacked-must-keep: a partner cannot afford to lose something no other partner names as a goal;
 * - goal-outside-alliance: a partner's explicit goal matches none of `allianceGoals` (when given);
 * - missing-interest-map: a partner has not shared its map yet.
 */
export function alignmentGaps(
  partners: readonly Partner[],
  interestMaps: Readonly<Record<string, InterestMap | undefined>>,
  allianceGoals: readonly string[] = [],
): AlignmentReport {
  const gaps: AlignmentGap[] = [];
  const mapped: { partner: Partner; map: InterestMap }[] = [];
  for (const partner of partners) {
    const map = interestMaps[partner.id];
    if (map === undefined) {
      gaps.push({
        kind: "missing-interest-map",
        partnerId: partner.id,
        message: `${partner.name} has not shared its interest map yet.`,
      });
    } else {
      mapped.push({ partner, map });
    }
  }

  const sharedGoals: string[] = [];
  const [first, ...others] = mapped;
  if (first !== undefined && others.length > 0) {
    for (const goal of first.map.explicit) {
      const sharedByAll = others.every(({ map }) => map.explicit.some((other) => sameInterest(goal, other)));
      const alreadyListed = sharedGoals.some((shared) => sameInterest(shared, goal));
      if (sharedByAll && !alreadyListed) {
        sharedGoals.push(goal);
      }
    }
  }

  for (const { partner, map } of mapped) {
    const othersGoals = mapped
      .filter((entry) => entry.partner.id !== partner.id)
      .flatMap((entry) => entry.map.explicit);
    for (const item of map.cannotAffordToLose) {
      if (!othersGoals.some((goal) => sameInterest(item, goal))) {
        gaps.push({
          kind: "unbacked-must-keep",
          partnerId: partner.id,
          item,
          message: `${partner.name} cannot afford to lose "${item}", but no other partner names it as a goal: agree who protects it.`,
        });
      }
    }
  }

  if (allianceGoals.length > 0) {
    for (const { partner, map } of mapped) {
      for (const item of map.explicit) {
        if (!allianceGoals.some((goal) => sameInterest(item, goal))) {
          gaps.push({
            kind: "goal-outside-alliance",
            partnerId: partner.id,
            item,
            message: `The goal "${item}" (${partner.name}) is not among the alliance's goals.`,
          });
        }
      }
    }
  }

  return { sharedGoals, gaps };
}

// Words that carry no interest of their own ("protect our brand" is about the brand).
const FILLER = new Set(
  (
    "a an and any are as at be by for from in into is it its of on or our that the their this to we with " +
    "keep protect maintain ensure avoid losing lose"
  ).split(" "),
);

/** The words that carry meaning in an interest, lower-cased, with a plural "s" dropped. */
export function significantWords(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 3 && !FILLER.has(word))
    .map((word) =>
      word.length > 4 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word,
    );
  return new Set(words);
}

/** Whether two interests are about the same thing (see alignmentGaps for the rule). */
export function sameInterest(a: string, b: string): boolean {
  const left = significantWords(a);
  const right = significantWords(b);
  if (left.size === 0 || right.size === 0) {
    return a.trim().toLowerCase() === b.trim().toLowerCase();
  }
  const common = [...left].filter((word) => right.has(word)).length;
  const smaller = Math.min(left.size, right.size);
  const union = left.size + right.size - common;
  return common === smaller || common / union >= 0.5;
}
