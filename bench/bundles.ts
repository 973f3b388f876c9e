/**
 * Lambda bundles as they deploy, and what they cost to start. Runs the deployable synth (bundling with the local
 * esbuild) into a temporary folder and measures each function's main file, raw and gzipped. Then, for each
 * function, cold init in a fresh Node 24 process started in a copy of the asset folder outside the repository:
 * the time to import the bundle and the time of its first handler call. The same figures come for a variant
 * built with the very same bundling options except that the AWS SDK is left external, as NodejsFunction does by
 * default, and given to it the way the Lambda runtime would: a node_modules folder beside the bundle.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { App, Stack } from "aws-cdk-lib";
import { Architecture, type CfnFunction, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import * as z from "zod";
import { cdkJsonContext } from "../infra/app-context";
import { CONCORD_BUNDLING } from "../infra/constructs/concord-function";
import { type BenchRow, type BenchSection, type SectionContext, sampled, since, single } from "./stats";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SYNTH_TIMEOUT_MS = 180_000;
const INIT_TIMEOUT_MS = 30_000;
const KIB = 1024;
/** Fresh processes per function and variant (the median and p95 come from these). */
const INIT_RUNS = 7;
/** What NodejsFunction leaves to the Lambda runtime by default (with cdk.json's sdkV3ExcludeSmithyPackages). */
const RUNTIME_SDK_EXTERNALS = ["@aws-sdk/*", "@smithy/*"];
/** The runtime's SDK stand-in: the repo's own copy, linked into a node_modules folder beside the bundle. */
const RUNTIME_SDK_SCOPES = ["@aws-sdk", "@smithy"];

const ManifestSchema = z.object({
  artifacts: z.record(
    z.string(),
    z.object({ type: z.string(), properties: z.object({ templateFile: z.string() }).partial().optional() }),
  ),
});

const FunctionResourceSchema = z.object({
  Type: z.literal("AWS::Lambda::Function"),
  Properties: z.object({
    Handler: z.string(),
    Environment: z.object({ Variables: z.record(z.string(), z.unknown()).optional() }).optional(),
  }),
  Metadata: z.object({ "aws:asset:path": z.string(), "concord:entry": z.string() }),
});

const TemplateSchema = z.object({ Resources: z.record(z.string(), z.object({ Type: z.string() }).loose()) });

/** What one fresh process measured (printed by INIT_PROBE). */
const InitSampleSchema = z.object({
  importMs: z.number(),
  /** CPU time (user + system, all threads) of the import: steadier than wall time on a shared machine. */
  importCpuMs: z.number(),
  callMs: z.number(),
  outcome: z.union([
    z.object({ statusCode: z.number() }),
    z.object({ threw: z.string(), message: z.string() }),
  ]),
});
type InitSample = z.infer<typeof InitSampleSchema>;

/** One deployed function, as the template describes it. */
interface DeployedFunction {
  entry: string;
  /** `index.handler` → module `index`, export `handler`. */
  handler: string;
  /** The asset folder of the deployable synth. */
  assetDir: string;
  /** Its main file's name in the asset folder (index.mjs). */
  main: string;
  /** Environment variables as the function gets them, with dummies for the values only known at deploy. */
  environment: Record<string, string>;
}

/** The two ways to get the AWS SDK to a function that the init figures compare. */
const VARIANTS = [
  { key: "bundled", label: "SDK bundled (as deployed)" },
  { key: "runtime", label: "SDK from node_modules beside it (the runtime's way)" },
] as const;
type VariantKey = (typeof VARIANTS)[number]["key"];

/** The `bundles` section. */
export const bundlesSection: BenchSection = {
  name: "bundles",
  description: `Lambda bundle sizes from the deployable synth, and cold init (import + first call, ${INIT_RUNS} fresh Node 24 processes each) with the AWS SDK bundled vs left to the runtime`,
  run: benchBundles,
};

async function benchBundles({ progress, cleanup }: SectionContext): Promise<BenchRow[]> {
  const tempFolders: string[] = [];
  const removeTempFolders = cleanup.add(() =>
    Promise.all(tempFolders.map((dir) => rm(dir, { recursive: true, force: true }))),
  );
  const tempFolder = async (prefix: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    tempFolders.push(dir);
    return dir;
  };
  try {
    const outDir = await tempFolder("concord-bench-synth-");
    progress("cdk synth with bundling (takes a while)…");
    const started = performance.now();
    await synth(outDir, cleanup);
    const synthMs = since(started);
    progress(`synthesized in ${(synthMs / 1000).toFixed(1)} s`);
    const functions = await deployedFunctions(outDir);

    progress(`bundling the ${functions.length} functions again with the AWS SDK left external…`);
    const runtimeSdkBundles = buildWithExternals(functions, await tempFolder("concord-bench-external-sdk-"));

    const rows: BenchRow[] = [
      single("deployable cdk synth (bundling all functions)", synthMs / 1000, "s"),
      ...(await sizeRows(functions, runtimeSdkBundles)),
    ];

    // Copies outside the repository: the bundled variant finds no node_modules by walking up; the other
    // finds the SDK beside it and nothing else.
    const initDir = await tempFolder("concord-bench-init-");
    await assertNoNodeModulesAbove(initDir);
    const initFolders = new Map<string, Record<VariantKey, string>>();
    for (const [i, fn] of functions.entries()) {
      const bundled = path.join(initDir, `${i}-bundled`);
      const runtime = path.join(initDir, `${i}-runtime-sdk`);
      await cp(fn.assetDir, bundled, { recursive: true });
      await cp(requireValue(runtimeSdkBundles, fn.entry), runtime, { recursive: true });
      await linkRuntimeSdk(runtime);
      initFolders.set(fn.entry, { bundled, runtime });
    }

    const node = node24();
    progress(`cold init: ${INIT_RUNS} fresh processes per function and variant (${node})…`);
    const samples = new Map<string, Record<VariantKey, InitSample[]>>(
      functions.map((fn) => [fn.entry, { bundled: [], runtime: [] }]),
    );
    for (let run = 0; run < INIT_RUNS; run++) {
      for (const fn of functions) {
        // Alternate which variant goes first, so neither always follows the other's warm file cache.
        for (const { key } of run % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
          const sample = await coldInit(node, requireValue(initFolders, fn.entry)[key], fn);
          requireValue(samples, fn.entry)[key].push(sample);
        }
      }
      progress(`cold init run ${run + 1}/${INIT_RUNS} done`);
    }
    rows.push(...initRows(functions, samples));
    return rows;
  } finally {
    await removeTempFolders();
  }
}

/** Each bundle's main file, raw and gzipped, and raw when the SDK is left to the runtime; then the totals. */
async function sizeRows(
  functions: readonly DeployedFunction[],
  runtimeSdkBundles: ReadonlyMap<string, string>,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const totals = { raw: 0, gzip: 0, runtimeSdk: 0 };
  for (const fn of functions) {
    const bytes = await readFile(path.join(fn.assetDir, fn.main));
    const external = await readFile(path.join(requireValue(runtimeSdkBundles, fn.entry), fn.main));
    const gzipped = gzipSync(bytes).length;
    totals.raw += bytes.length;
    totals.gzip += gzipped;
    totals.runtimeSdk += external.length;
    rows.push(
      single(`${fn.entry} (${fn.main})`, bytes.length / KIB, "KiB"),
      single(`${fn.entry} (${fn.main}), gzip`, gzipped / KIB, "KiB"),
      single(`${fn.entry} (${fn.main}), SDK left to the runtime`, external.length / KIB, "KiB"),
    );
  }
  rows.push(
    single("all bundles", totals.raw / KIB, "KiB"),
    single("all bundles, gzip", totals.gzip / KIB, "KiB"),
    single("all bundles, SDK left to the runtime", totals.runtimeSdk / KIB, "KiB"),
  );
  return rows;
}

/** Per function and variant: import and first call; then all functions pooled: import + first call, import CPU. */
function initRows(
  functions: readonly DeployedFunction[],
  samples: ReadonlyMap<string, Record<VariantKey, InitSample[]>>,
): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const fn of functions) {
    const name = path.basename(fn.entry, path.extname(fn.entry));
    for (const variant of VARIANTS) {
      const runs = requireValue(samples, fn.entry)[variant.key];
      rows.push(
        sampled(
          `${name}: import, ${variant.label}`,
          runs.map((s) => s.importMs),
          "ms",
        ),
        sampled(
          `${name}: first call, ${variant.label}`,
          runs.map((s) => s.callMs),
          "ms",
        ),
      );
    }
  }
  for (const variant of VARIANTS) {
    const runs = [...samples.values()].flatMap((byVariant) => byVariant[variant.key]);
    rows.push(
      sampled(
        `all functions: import + first call, ${variant.label}`,
        runs.map((s) => s.importMs + s.callMs),
        "ms",
      ),
      sampled(
        `all functions: import, CPU time, ${variant.label}`,
        runs.map((s) => s.importCpuMs),
        "ms",
      ),
    );
  }
  return rows;
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

/** Every Lambda function of the synthesized assembly, with its bundle and environment. */
async function deployedFunctions(outDir: string): Promise<DeployedFunction[]> {
  const functions: DeployedFunction[] = [];
  for (const template of await templates(outDir)) {
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== "AWS::Lambda::Function") continue;
      const fn = FunctionResourceSchema.safeParse(resource);
      if (!fn.success) throw new Error(`function ${logicalId} lacks bundle metadata: ${fn.error.message}`);
      const { Handler, Environment } = fn.data.Properties;
      const assetDir = path.join(outDir, fn.data.Metadata["aws:asset:path"]);
      functions.push({
        entry: fn.data.Metadata["concord:entry"],
        handler: Handler,
        assetDir,
        main: mainFile(assetDir, Handler),
        environment: deployEnvironment(Environment?.Variables ?? {}),
      });
    }
  }
  return functions;
}

/**
 * The function's environment as Lambda would set it: the template's literal values (NODE_OPTIONS), dummies for
 * the ones only known at deploy (table name, state machine ARNs), a region, dummy credentials, and an endpoint
 * that refuses connections, so a call that should not happen fails at once instead of reaching for AWS.
 */
function deployEnvironment(variables: Record<string, unknown>): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    environment[name] = typeof value === "string" ? value : dummyValue(name);
  }
  return {
    ...environment,
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "AKIDCONCORDBENCH",
    AWS_SECRET_ACCESS_KEY: "concord-bench",
    AWS_SESSION_TOKEN: "concord-bench",
    AWS_LAMBDA_FUNCTION_NAME: "concord-bench",
    AWS_ENDPOINT_URL: "http://127.0.0.1:9",
  };
}

function dummyValue(name: string): string {
  if (name === "MAIL_FROM") return "concord@example.com";
  if (name === "APP_URL") return "https://concord.example.com";
  if (name.endsWith("_STATE_MACHINE_ARN")) return "arn:aws:states:us-east-1:000000000000:stateMachine:bench";
  return "concord-bench";
}

/**
 * Bundles each function again, in-process, with Concord's bundling options but the AWS SDK left external, as
 * NodejsFunction does by default; returns each entry's asset folder.
 */
function buildWithExternals(functions: readonly DeployedFunction[], outdir: string): Map<string, string> {
  const app = new App({ outdir, context: cdkJsonContext(), builtinCloudFormationValidation: false });
  const stack = new Stack(app, "BenchRuntimeSdk");
  const built = functions.map((fn, i) => ({
    fn,
    lambda: new NodejsFunction(stack, `Fn${i}`, {
      entry: path.join(ROOT, fn.entry),
      handler: fn.handler.slice(fn.handler.lastIndexOf(".") + 1),
      projectRoot: ROOT,
      depsLockFilePath: path.join(ROOT, "package-lock.json"),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      bundling: { ...CONCORD_BUNDLING, externalModules: RUNTIME_SDK_EXTERNALS },
    }),
  }));
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as {
    Resources: Record<string, { Properties: { Code: { S3Key: string } } }>;
  };
  const folders = new Map<string, string>();
  for (const { fn, lambda } of built) {
    const logicalId = stack.getLogicalId(lambda.node.defaultChild as CfnFunction);
    const key = template.Resources[logicalId]?.Properties.Code.S3Key;
    if (!key) throw new Error(`no code asset for ${fn.entry} in the SDK-external build`);
    folders.set(fn.entry, path.join(assembly.directory, `asset.${key.replace(/\.zip$/, "")}`));
  }
  return folders;
}

/**
 * Gives an SDK-external bundle the SDK the way the Lambda runtime does, in a node_modules folder it resolves
 * bare imports from. The links point into the repo's node_modules, so the SDK's own dependencies resolve from
 * there (Node follows links to the real path), as they do from /var/runtime/node_modules.
 */
async function linkRuntimeSdk(dir: string): Promise<void> {
  await mkdir(path.join(dir, "node_modules"));
  for (const scope of RUNTIME_SDK_SCOPES) {
    await symlink(path.join(ROOT, "node_modules", scope), path.join(dir, "node_modules", scope), "dir");
  }
}

/** Fails when a node_modules folder above `dir` could hand a bundle a package it does not carry. */
async function assertNoNodeModulesAbove(dir: string): Promise<void> {
  for (let folder = dir; ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, "node_modules"))) {
      throw new Error(`${folder}/node_modules exists: a bundle copied below it is not on its own`);
    }
    if (path.dirname(folder) === folder) return;
  }
}

/**
 * Runs in a fresh process: imports the bundle, then makes the first handler call with an API Gateway event for
 * a path no function serves. HTTP handlers answer 404 and task handlers refuse it as an invalid event
 * (InvalidEventError), both without any network call. Prints the timings and the outcome.
 */
const INIT_PROBE = `
const [file, exportName] = process.argv.slice(1);
const importStart = performance.now();
const cpuStart = process.cpuUsage();
const mod = await import(file);
const cpu = process.cpuUsage(cpuStart);
const callStart = performance.now();
const event = { rawPath: "/bench/no-such-route", requestContext: { http: { method: "GET", path: "/bench/no-such-route" } } };
let outcome;
try {
  const result = await mod[exportName](event);
  outcome = { statusCode: result?.statusCode };
} catch (error) {
  outcome = { threw: String(error?.name), message: String(error?.message).slice(0, 300) };
}
const end = performance.now();
const importCpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(JSON.stringify({ importMs: callStart - importStart, importCpuMs, callMs: end - callStart, outcome }));
`;

/** One cold init of the function's bundle in `dir`: a fresh Node 24 process with the function's environment. */
async function coldInit(node: string, dir: string, fn: DeployedFunction): Promise<InitSample> {
  const exportName = fn.handler.slice(fn.handler.lastIndexOf(".") + 1);
  const file = pathToFileURL(path.join(dir, fn.main)).href;
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(
      node,
      ["--input-type=module", "-e", INIT_PROBE, file, exportName],
      { cwd: dir, env: fn.environment, timeout: INIT_TIMEOUT_MS, encoding: "utf8" },
    ));
  } catch (error) {
    throw new Error(`cold init of ${fn.entry} in ${dir} failed: ${(error as Error).message}`);
  }
  const sample = InitSampleSchema.parse(JSON.parse(stdout));
  const { outcome } = sample;
  const expected =
    "statusCode" in outcome ? outcome.statusCode === 404 : outcome.threw === "InvalidEventError";
  if (!expected) {
    throw new Error(
      `cold init of ${fn.entry}: the first call should answer 404 or refuse the event, got ${JSON.stringify(outcome)}`,
    );
  }
  return sample;
}

/** A Node 24 binary: this one when it is (npm scripts put the repo's on PATH), else the repo's own. */
function node24(): string {
  if (process.versions.node.split(".")[0] === "24") return process.execPath;
  const repoNode = path.join(ROOT, "node_modules", ".bin", "node");
  if (existsSync(repoNode)) return repoNode;
  throw new Error(
    `cold init needs Node 24 (Lambda's nodejs24.x); this is ${process.version} and ${repoNode} is missing`,
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

function requireValue<V>(map: ReadonlyMap<string, V>, key: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`nothing recorded for ${key}`);
  return value;
}
