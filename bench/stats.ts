/**
 * Shared pieces of the benchmark: percentiles, the row every section reports, goal checks and the printed table.
 */

/** Whether a figure meets its goal; "—" when the figure has no goal (informational). */
export type Verdict = "PASS" | "MISS" | "—";

/** One figure of the benchmark, as printed and as written to the results JSON. */
export interface BenchRow {
  name: string;
  unit: string;
  /** The median of the samples, or the single measured value for figures that are not sampled. */
  median: number;
  /** The 95th percentile, for sampled figures only. */
  p95?: number;
  /** How many samples the median and p95 come from. */
  samples?: number;
  /** The goal in words, e.g. "p95 ≤ 3×". */
  goal?: string;
  verdict: Verdict;
}

/** The q-quantile (0..1) of the samples by the nearest-rank method; NaN for no samples. */
export function percentile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** The median (nearest rank) of the samples. */
export const median = (samples: readonly number[]): number => percentile(samples, 0.5);

/** The 95th percentile (nearest rank) of the samples. */
export const p95 = (samples: readonly number[]): number => percentile(samples, 0.95);

/** Rounds to three decimals, enough for milliseconds and ratios. */
export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** A row for sampled timings (or any sampled figure): median, p95 and the sample count. */
export function sampled(
  name: string,
  samples: readonly number[],
  unit: string,
  goal?: { text: string; met: (row: { median: number; p95: number }) => boolean },
): BenchRow {
  const figures = { median: round(median(samples)), p95: round(p95(samples)) };
  return {
    name,
    unit,
    ...figures,
    samples: samples.length,
    ...(goal ? { goal: goal.text, verdict: verdictOf(goal.met(figures)) } : { verdict: "—" }),
  };
}

/** A row for one measured value (a size, a rate), with an optional goal. */
export function single(
  name: string,
  value: number,
  unit: string,
  goal?: { text: string; met: (value: number) => boolean },
): BenchRow {
  return {
    name,
    unit,
    median: round(value),
    ...(goal ? { goal: goal.text, verdict: verdictOf(goal.met(value)) } : { verdict: "—" }),
  };
}

/** PASS when the goal is met. */
export function verdictOf(met: boolean): Verdict {
  return met ? "PASS" : "MISS";
}

/** A number as the table shows it: up to three significant decimals, "—" when absent. */
export function formatNumber(value: number | undefined): string {
  if (value === undefined) return "—";
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  return value.toFixed(digits);
}

/** The rows of one section as an aligned text table (figure, median, p95, unit, n, goal, result). */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ["figure", "median", "p95", "unit", "n", "goal", "result"];
  const cells = rows.map((row) => [
    row.name,
    formatNumber(row.median),
    formatNumber(row.p95),
    row.unit,
    row.samples === undefined ? "" : String(row.samples),
    row.goal ?? "—",
    row.verdict,
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...cells.map((line) => line[i]?.length ?? 0)),
  );
  // Numbers right-aligned, text left-aligned.
  const numeric = new Set([1, 2, 4]);
  const line = (values: string[]) =>
    values
      .map((value, i) => (numeric.has(i) ? value.padStart(widths[i] ?? 0) : value.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [line(header), rule, ...cells.map(line)].join("\n");
}

/** Milliseconds elapsed since `start` (a performance.now() reading). */
export function since(start: number): number {
  return performance.now() - start;
}

/** Undo steps for everything a section starts (folders, processes, servers), run even when the bench fails. */
export class Cleanup {
  private readonly steps = new Set<() => Promise<unknown> | unknown>();

  /** Registers an undo step; the returned function runs it now (at most once) and unregisters it. */
  add(step: () => Promise<unknown> | unknown): () => Promise<void> {
    let done = false;
    const once = async () => {
      if (done) return;
      done = true;
      this.steps.delete(once);
      await step();
    };
    this.steps.add(once);
    return once;
  }

  /** Runs every remaining step, newest first; a failing step does not stop the others. */
  async runAll(): Promise<void> {
    for (const step of [...this.steps].reverse()) {
      try {
        await step();
      } catch (error) {
        console.error("bench cleanup step failed:", error);
      }
    }
  }
}

/** What every section gets from the runner. */
export interface SectionContext {
  /** Prints a progress line (the run is long). */
  progress(line: string): void;
  cleanup: Cleanup;
}

/** One section of `npm run bench`. */
export interface BenchSection {
  name: string;
  description: string;
  run(context: SectionContext): Promise<BenchRow[]>;
}
