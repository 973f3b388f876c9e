import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cdkJsonContext } from "../../infra/app-context";
import { ConcordFunction } from "../../infra/constructs/concord-function";
import { projectRoot } from "../../infra/paths";
import { SAMPLE_ENTRIES } from "./fixtures/sample-workflow";

// A product handler that reaches the AWS SDK (DynamoDB, SES and Step Functions clients at module scope, the
// DynamoDB document client) and answers a link it cannot know without calling any of them.
const PARTNER_HTTP_ENTRY = "functions/handlers/partner-http.ts";

const outdir = mkdtempSync(join(tmpdir(), "concord-bundle-"));
const isolated: string[] = [];
afterAll(() => {
  for (const dir of [outdir, ...isolated]) rmSync(dir, { recursive: true, force: true });
});

type FunctionResource = {
  Properties: { Code: { S3Key: string }; Environment?: { Variables?: Record<string, unknown> } };
};

interface Bundle {
  /** The asset folder CDK staged, as deployed. */
  assetDir: string;
  /** The function's literal environment variables from the template (NODE_OPTIONS). */
  environment: Record<string, string>;
}

let assembly: CloudAssembly;
let stack: Stack;
let greet: ConcordFunction;
let partner: ConcordFunction;

beforeAll(() => {
  const app = new App({ outdir, context: cdkJsonContext(), builtinCloudFormationValidation: false });
  stack = new Stack(app, "Bundled");
  greet = new ConcordFunction(stack, "Greet", { entry: SAMPLE_ENTRIES.greet });
  partner = new ConcordFunction(stack, "PartnerHttp", { entry: PARTNER_HTTP_ENTRY });
  assembly = app.synth();
});

function bundleOf(fn: ConcordFunction): Bundle {
  const template = assembly.getStackByName(stack.stackName).template as {
    Resources: Record<string, FunctionResource>;
  };
  const resource = template.Resources[stack.getLogicalId(fn.node.defaultChild as never)];
  if (!resource) throw new Error(`no resource for ${fn.node.id}`);
  const assetDir = join(assembly.directory, `asset.${resource.Properties.Code.S3Key.replace(/\.zip$/, "")}`);
  const environment = Object.fromEntries(
    Object.entries(resource.Properties.Environment?.Variables ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
  return { assetDir, environment };
}

/**
 * Copies the asset folder into a fresh temporary folder outside the repository, under which no `node_modules`
 * can be found by walking up: a bare import there resolves only if the bundle carries it.
 */
function isolatedCopy(bundle: Bundle): string {
  const dir = mkdtempSync(join(tmpdir(), "concord-isolated-bundle-"));
  isolated.push(dir);
  cpSync(bundle.assetDir, dir, { recursive: true });
  const fromRepo = relative(projectRoot, dir);
  expect(fromRepo.startsWith("..") || isAbsolute(fromRepo), `${dir} is inside the repository`).toBe(true);
  for (let folder = dir; ; folder = dirname(folder)) {
    expect(existsSync(join(folder, "node_modules")), `${folder}/node_modules exists`).toBe(false);
    if (dirname(folder) === folder) break;
  }
  return dir;
}

// Imports the bundle, calls its handler once with the event and prints what it returned (or threw).
const INVOKE = `
const { handler } = await import(process.argv[1]);
let outcome;
try { outcome = { returned: await handler(JSON.parse(process.argv[2])) }; }
catch (error) { outcome = { threw: { name: error.name, message: error.message } }; }
process.stdout.write(JSON.stringify(outcome));
`;

/**
 * Runs the bundle in `dir` in a fresh Node process with only the function's environment, a region and dummy
 * credentials (no NODE_PATH, no inherited variables), as Lambda would: imports it and makes one call.
 */
function invokeIn(dir: string, bundle: Bundle, event: unknown): { returned?: unknown; threw?: unknown } {
  const stdout = execFileSync(
    process.execPath,
    ["--input-type=module", "-e", INVOKE, join(dir, "index.mjs"), JSON.stringify(event)],
    {
      cwd: dir,
      env: {
        ...bundle.environment,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "AKIDBUNDLETEST",
        AWS_SECRET_ACCESS_KEY: "bundle-test",
        // A call that should not happen fails at once instead of leaving the process.
        AWS_ENDPOINT_URL: "http://127.0.0.1:9",
      },
      encoding: "utf8",
      timeout: 30_000,
    },
  );
  return JSON.parse(stdout) as { returned?: unknown; threw?: unknown };
}

/**
 * Every module the bundle imports or requires, found by esbuild parsing it (strings such as an error message
 * naming a package are not imports): static and dynamic imports, and require() calls.
 */
async function importsOf(file: string): Promise<{ path: string; kind: string }[]> {
  const found: { path: string; kind: string }[] = [];
  await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    logLevel: "silent",
    plugins: [
      {
        name: "record-imports",
        setup(esbuild) {
          esbuild.onResolve({ filter: /.*/ }, (args) => {
            if (args.kind === "entry-point") return undefined;
            found.push({ path: args.path, kind: args.kind });
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  return found;
}

describe("ConcordFunction bundling", () => {
  it("bundles a handler with the local esbuild into one ES module and a source map without the sources", () => {
    for (const fn of [greet, partner]) {
      const { assetDir } = bundleOf(fn);
      expect(readdirSync(assetDir).sort()).toEqual(["index.mjs", "index.mjs.map"]);
      expect(readFileSync(join(assetDir, "index.mjs"), "utf8")).toContain("createRequire");
      const map = JSON.parse(readFileSync(join(assetDir, "index.mjs.map"), "utf8")) as Record<
        string,
        unknown
      >;
      expect(map.mappings).toEqual(expect.any(String));
      expect(map.sourcesContent).toBeUndefined();
    }
  });

  it("runs a bundle copied to a folder with nothing beside it", () => {
    const bundle = bundleOf(greet);
    const dir = isolatedCopy(bundle);
    expect(invokeIn(dir, bundle, { name: "Ada" })).toEqual({ returned: { greeting: "Hello, Ada" } });
    // zod's English messages came along: registering its locale is a side effect esbuild must keep.
    expect(invokeIn(dir, bundle, { name: 3 })).toEqual({
      threw: expect.objectContaining({
        message: expect.stringContaining("expected string, received number"),
      }),
    });
  });

  it("bundles the AWS SDK: a handler that creates its clients at load runs with nothing beside it", () => {
    const bundle = bundleOf(partner);
    const dir = isolatedCopy(bundle);
    const event = { rawPath: "/r/unknown", requestContext: { http: { method: "GET", path: "/r/unknown" } } };
    expect(invokeIn(dir, bundle, event)).toEqual({
      returned: expect.objectContaining({ statusCode: 404 }),
    });
  });

  it("imports nothing the Lambda runtime would have to provide: only Node built-ins", async () => {
    for (const fn of [greet, partner]) {
      const imports = await importsOf(join(bundleOf(fn).assetDir, "index.mjs"));
      expect(imports.length, `${fn.node.id} imports no built-in at all`).toBeGreaterThan(0);
      expect(
        imports.filter((entry) => !isBuiltin(entry.path)),
        `${fn.node.id} leaves these to the runtime`,
      ).toEqual([]);
    }
    // The SDK's HTTP handler is inside the bundle: it is what reaches for node:https.
    const partnerImports = await importsOf(join(bundleOf(partner).assetDir, "index.mjs"));
    expect(partnerImports.map((entry) => entry.path)).toContain("node:https");
  });
});
