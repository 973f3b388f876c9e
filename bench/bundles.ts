/**
 * Size of each Lambda bundle as it would be deployed: runs the deployable synth (bundling with the local
 * esbuild) into a temporary folder and measures each function's main file, raw and gzipped.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { z } from "zod";
import { type BenchRow, type BenchSection, type SectionContext, since, single } from "./stats";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SYNTH_TIMEOUT_MS = 180_000;
const KIB = 1024;

const ManifestSchema = z.object({
  artifacts: z.record(
    z.string(),
    z.object({ type: z.string(), properties: z.object({ templateFile: z.string() }).partial().optional() }),
  ),
});

const FunctionResourceSchema = z.object({
  Type: z.literal("AWS::Lambda::Function"),
  Properties: z.object({ Handler: z.string() }),
  Metadata: z.object({ "aws:asset:path": z.string(), "concord:entry": z.string() }),
});

const TemplateSchema = z.object({ Resources: z.record(z.string(), z.object({ Type: z.string() }).loose()) });

/** The `bundles` section. */
export const bundlesSection: BenchSection = {
  name: "bundles",
  description: "Lambda bundle sizes from the deployable synth (cdk synth with esbuild bundling)",
  run: benchBundles,
};

async function benchBundles({ progress, cleanup }: SectionContext): Promise<BenchRow[]> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), "concord-bench-synth-"));
  const removeOut = cleanup.add(() => rm(outDir, { recursive: true, force: true }));
  try {
    progress("cdk synth with bundling (takes a while)…");
    const started = performance.now();
    await synth(outDir, cleanup);
    const synthMs = since(started);
    progress(`synthesized in ${(synthMs / 1000).toFixed(1)} s`);

    const rows: BenchRow[] = [single("deployable cdk synth (bundling all functions)", synthMs / 1000, "s")];
    let total = 0;
    let totalGzip = 0;
    for (const template of await templates(outDir)) {
      for (const [logicalId, resource] of Object.entries(template.Resources)) {
        if (resource.Type !== "AWS::Lambda::Function") continue;
        const fn = FunctionResourceSchema.safeParse(resource);
        if (!fn.success) throw new Error(`function ${logicalId} lacks bundle metadata: ${fn.error.message}`);
        const { Handler } = fn.data.Properties;
        const assetDir = path.join(outDir, fn.data.Metadata["aws:asset:path"]);
        const main = mainFile(assetDir, Handler);
        const bytes = await readFile(path.join(assetDir, main));
        const gzipped = gzipSync(bytes).length;
        total += bytes.length;
        totalGzip += gzipped;
        const entry = fn.data.Metadata["concord:entry"];
        rows.push(
          single(`${entry} (${main})`, bytes.length / KIB, "KiB"),
          single(`${entry} (${main}), gzip`, gzipped / KIB, "KiB"),
        );
      }
    }
    rows.push(single("all bundles", total / KIB, "KiB"), single("all bundles, gzip", totalGzip / KIB, "KiB"));
    return rows;
  } finally {
    await removeOut();
  }
}

/** `cdk synth --quiet -o outDir`, the deployable synth (bundling and every check on). */
async function synth(outDir: string, cleanup: SectionContext["cleanup"]): Promise<void> {
  const child = spawn("npx", ["cdk", "synth", "--quiet", "-o", outDir], {
    cwd: ROOT,
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own group, so the cleanup can end npx, the CDK CLI, the app and esbuild together.
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const kill = () => {
    try {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const release = cleanup.add(kill);
  const timer = setTimeout(kill, SYNTH_TIMEOUT_MS);
  try {
    const code = await exited;
    if (code !== 0) throw new Error(`cdk synth failed (exit ${code}):\n${output}`);
  } finally {
    clearTimeout(timer);
    await release();
  }
}

/** The CloudFormation templates of every stack in the cloud assembly. */
async function templates(outDir: string) {
  const manifest = ManifestSchema.parse(
    JSON.parse(await readFile(path.join(outDir, "manifest.json"), "utf8")),
  );
  const files = Object.values(manifest.artifacts)
    .filter((artifact) => artifact.type === "aws:cloudformation:stack")
    .map((artifact) => artifact.properties?.templateFile)
    .filter((file): file is string => file !== undefined);
  if (files.length === 0) throw new Error(`no stack template in ${outDir}/manifest.json`);
  return Promise.all(
    files.map(async (file) =>
      TemplateSchema.parse(JSON.parse(await readFile(path.join(outDir, file), "utf8"))),
    ),
  );
}

/** The file Lambda loads for `Handler` ("index.handler" → index.mjs, .js or .cjs in the asset folder). */
function mainFile(assetDir: string, handler: string): string {
  const module = handler.slice(0, handler.lastIndexOf("."));
  const found = [".mjs", ".js", ".cjs"]
    .map((ext) => `${module}${ext}`)
    .find((file) => existsSync(path.join(assetDir, file)));
  if (!found) throw new Error(`no ${module}.mjs/.js/.cjs for handler ${handler} in ${assetDir}`);
  return found;
}
