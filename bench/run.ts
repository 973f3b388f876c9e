/**
 * `npm run bench [-- section…]`: runs the benchmark sections in order, prints each section's table as it
 * finishes and writes every figure to <tmpdir>/concord-bench-results.json. `--help` lists the sections.
 */
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { bundlesSection } from "./bundles";
import { countsSection, escalationCountsSection, reviewCountsSection } from "./counts";
import { formationSection } from "./formation";
import { iamSection } from "./iam";
import { startupSection } from "./startup";
import { type BenchRow, type BenchSection, Cleanup, formatTable, since } from "./stats";
import { benchStepFunctions } from "./stepfunctions";
import { sweepSection } from "./sweep";

const SECTIONS: BenchSection[] = [
  {
    name: "stepfunctions",
    description: "local Step Functions service overhead vs bare aws-local-stepfunctions; callback latency",
    run: () => benchStepFunctions(),
  },
  startupSection,
  bundlesSection,
  iamSection,
  formationSection,
  countsSection,
  reviewCountsSection,
  escalationCountsSection,
  // Last: it sets the store's environment in this process (restored after) and seeds for minutes.
  sweepSection,
];

const RESULTS_FILE = path.join(os.tmpdir(), "concord-bench-results.json");

interface SectionResult {
  name: string;
  seconds: number;
  rows: BenchRow[];
  error?: string;
}

function usage(): string {
  const width = Math.max(...SECTIONS.map((s) => s.name.length));
  return [
    "usage: npm run bench [-- <section>…]   (no section: all of them, in this order)",
    "",
    ...SECTIONS.map((s) => `  ${s.name.padEnd(width)}  ${s.description}`),
    "",
    `Figures are printed and written to ${RESULTS_FILE}.`,
  ].join("\n");
}

/** The sections named on the command line (all when none), or a usage error. */
function chosenSections(args: string[]): BenchSection[] {
  if (args.length === 0) return SECTIONS;
  const unknown = args.filter((arg) => !SECTIONS.some((s) => s.name === arg));
  if (unknown.length > 0) throw new UsageError(`unknown section(s): ${unknown.join(", ")}`);
  return SECTIONS.filter((s) => args.includes(s.name));
}

/** A bad command line. */
class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage());
    return 0;
  }
  let sections: BenchSection[];
  try {
    sections = chosenSections(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bench: ${error.message}\n\n${usage()}`);
    return 2;
  }

  const cleanup = new Cleanup();
  let interrupted = false;
  // Ctrl-C or kill: start no further section and undo what the running one started (child process groups,
  // DynamoDB Local, temp folders). A second Ctrl-C ends the bench at once.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      interrupted = true;
      console.error(`\nbench: ${signal}, cleaning up…`);
      void cleanup.runAll().finally(() => process.exit(130));
    });
  }

  const started = performance.now();
  const stamp = () => `[${(since(started) / 1000).toFixed(0).padStart(4)} s]`;
  console.log(
    `Concord benchmark — ${sections.map((s) => s.name).join(", ")} — ${os.cpus().length} cores, Node ${process.version}`,
  );
  const results: SectionResult[] = [];
  for (const section of sections) {
    if (interrupted) break;
    console.log(`${stamp()} ${section.name}: ${section.description}`);
    const sectionStarted = performance.now();
    const progress = (line: string) => console.log(`${stamp()} ${section.name}: ${line}`);
    try {
      const rows = await section.run({ progress, cleanup });
      results.push({ name: section.name, seconds: since(sectionStarted) / 1000, rows });
      console.log(
        `\n${section.name} (${(since(sectionStarted) / 1000).toFixed(1)} s)\n${formatTable(rows)}\n`,
      );
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.push({ name: section.name, seconds: since(sectionStarted) / 1000, rows: [], error: message });
      console.error(`${stamp()} ${section.name} FAILED: ${message}\n`);
    } finally {
      await cleanup.runAll();
    }
  }

  // The signal handler exits once its cleanup is done; write no results for an interrupted run.
  if (interrupted) return 130;
  const seconds = since(started) / 1000;
  const rows = results.flatMap((r) => r.rows);
  const missed = rows.filter((row) => row.verdict === "MISS");
  const failed = results.filter((r) => r.error !== undefined);
  await writeFile(
    RESULTS_FILE,
    `${JSON.stringify(
      {
        finishedAt: new Date().toISOString(),
        seconds,
        machine: {
          cores: os.cpus().length,
          cpu: os.cpus()[0]?.model,
          node: process.version,
          platform: os.platform(),
        },
        sections: results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(
    `Done in ${seconds.toFixed(0)} s: ${rows.filter((r) => r.verdict === "PASS").length} goal(s) met, ${missed.length} missed${failed.length > 0 ? `, ${failed.length} section(s) FAILED (${failed.map((r) => r.name).join(", ")})` : ""}.`,
  );
  for (const row of missed) console.log(`  MISS  ${row.name}: ${row.median} ${row.unit} (goal ${row.goal})`);
  console.log(`Results: ${RESULTS_FILE}`);
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
