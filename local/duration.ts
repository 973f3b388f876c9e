const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Unit names for people, largest first; weeks left out, since "10 days" reads better than "1 week 3 days". */
const LONG_UNITS = [
  ["d", "day"],
  ["h", "hour"],
  ["m", "minute"],
  ["s", "second"],
] as const;

/** Parses "90s", "15m", "12h", "3d", "2w" or combinations like "1d12h" into milliseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (!/^(\d+(ms|s|m|h|d|w))+$/.test(trimmed)) return null;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? "ms"] ?? 0);
  }
  return total;
}

/**
 * Formats milliseconds as the largest whole units. The "short" style (default) is compact and exact to the
 * second, e.g. 129600000 → "1d 12h"; the "long" style is for a sentence a person reads, rounded to the
 * second, e.g. 129600000 → "1 day 12 hours", 864000000 → "10 days", 500 → "500 milliseconds".
 * Zero and negative durations are "0s" / "0 seconds": callers say "ahead" or "behind" themselves.
 */
export function formatDuration(ms: number, style: "short" | "long" = "short"): string {
  return style === "long" ? longDuration(ms) : shortDuration(ms);
}

function shortDuration(ms: number): string {
  if (ms <= 0) return "0s";
  const parts: string[] = [];
  let rest = ms;
  for (const unit of ["w", "d", "h", "m", "s"] as const) {
    const size = UNIT_MS[unit] ?? 1;
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count}${unit}`);
      rest -= count * size;
    }
  }
  return parts.length > 0 ? parts.join(" ") : `${ms}ms`;
}

function longDuration(ms: number): string {
  if (!(ms > 0)) return "0 seconds";
  if (ms < 1) return "less than a millisecond";
  if (ms < 1000) return plural(Math.round(ms), "millisecond");
  const parts: string[] = [];
  // Rounded to the second, so a clock a few milliseconds past "10 days" reads "10 days".
  let rest = Math.round(ms / 1000) * 1000;
  for (const [unit, name] of LONG_UNITS) {
    const size = UNIT_MS[unit] ?? 1;
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(plural(count, name));
      rest -= count * size;
    }
  }
  return parts.join(" ");
}

function plural(count: number, name: string): string {
  return `${count} ${name}${count === 1 ? "" : "s"}`;
}
