import path from "node:path";
import { build, type Plugin } from "esbuild";
import { CONCORD_BUNDLING } from "../../infra/constructs/concord-function";
import type { LocalFunctionSpec } from "../synth";

/** Where one function's code is, ready for a container to import. */
export interface FunctionModule {
  /** Absolute path of the ES module. */
  modulePath: string;
  /** The export that is the handler. */
  exportName: string;
}

const ENTRY_NAMESPACE = "concord-function";

/**
 * Builds every function from its TypeScript sources into `outdir`, as the deployable bundles are built
 * (CONCORD_BUNDLING: ES modules, Node 24, nothing left external, the AWS SDK included) but unminified and with
 * code shared between functions split into common chunks, so all of them build in one pass of a second or
 * two and each container loads its function in a fraction of the time TypeScript sources would take.
 * `preload` modules (tests only) become part of each function's entry, ahead of its handler, so they share
 * the function's module instances (e.g. the request kind registry).
 */
export async function buildFunctions(
  functions: readonly LocalFunctionSpec[],
  options: { rootDir: string; outdir: string; preload?: readonly string[] },
): Promise<Map<string, FunctionModule>> {
  const entries = Object.fromEntries(
    functions.map((fn) => [fn.logicalId, `${ENTRY_NAMESPACE}:${fn.logicalId}`]),
  );
  const byId = new Map(functions.map((fn) => [fn.logicalId, fn]));
  const virtualEntries: Plugin = {
    name: ENTRY_NAMESPACE,
    setup(plugin) {
      plugin.onResolve({ filter: new RegExp(`^${ENTRY_NAMESPACE}:`) }, (args) => ({
        path: args.path.slice(ENTRY_NAMESPACE.length + 1),
        namespace: ENTRY_NAMESPACE,
      }));
      plugin.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, (args) => {
        const fn = byId.get(args.path);
        if (!fn) return { errors: [{ text: `no function ${args.path}` }] };
        const imports = (options.preload ?? []).map((file) => `import ${JSON.stringify(file)};`);
        const entry = JSON.stringify(path.resolve(options.rootDir, fn.entry));
        return {
          contents: [...imports, `export { ${fn.handler} } from ${entry};`].join("\n"),
          resolveDir: options.rootDir,
          loader: "ts",
        };
      });
    },
  };
  await build({
    entryPoints: entries,
    outdir: options.outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: CONCORD_BUNDLING.target ?? "node24",
    mainFields: CONCORD_BUNDLING.mainFields ?? ["module", "main"],
    ...(CONCORD_BUNDLING.banner ? { banner: { js: CONCORD_BUNDLING.banner } } : {}),
    sourcemap: true,
    sourcesContent: false,
    logLevel: "warning",
    plugins: [virtualEntries],
  });
  return new Map(
    functions.map((fn) => [
      fn.logicalId,
      { modulePath: path.join(options.outdir, `${fn.logicalId}.mjs`), exportName: fn.handler },
    ]),
  );
}
