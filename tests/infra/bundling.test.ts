import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { App, Stack } from "aws-cdk-lib";
import { afterAll, describe, expect, it } from "vitest";
import { cdkJsonContext } from "../../infra/app-context";
import { ConcordFunction } from "../../infra/constructs/concord-function";
import { SAMPLE_ENTRIES } from "./fixtures/sample-workflow";

const outdir = mkdtempSync(join(tmpdir(), "concord-bundle-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("ConcordFunction bundling", () => {
  it("bundles a handler with the local esbuild into a runnable ES module with a source map", async () => {
    const app = new App({ outdir, context: cdkJsonContext(), builtinCloudFormationValidation: false });
    const stack = new Stack(app, "Bundled");
    const fn = new ConcordFunction(stack, "Greet", { entry: SAMPLE_ENTRIES.greet });
    const assembly = app.synth();

    const template = assembly.getStackByName(stack.stackName).template as {
      Resources: Record<string, { Properties: { Code: { S3Key: string } } }>;
    };
    const code = template.Resources[stack.getLogicalId(fn.node.defaultChild as never)]?.Properties.Code;
    const assetDir = join(assembly.directory, `asset.${code?.S3Key.replace(/\.zip$/, "")}`);
    const bundle = join(assetDir, "index.mjs");
    expect(existsSync(bundle)).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    expect(readFileSync(bundle, "utf8")).toContain("createRequire");

    const module = (await import(/* @vite-ignore */ pathToFileURL(bundle).href)) as {
      handler: (event: unknown) => Promise<unknown>;
    };
    await expect(module.handler({ name: "Ada" })).resolves.toEqual({ greeting: "Hello, Ada" });
  });
});
