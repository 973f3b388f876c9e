import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { projectRoot } from "./paths";

const CdkJsonSchema = z.object({ context: z.record(z.string(), z.unknown()).default({}) });

/**
 * The context (feature flags) from cdk.json. The CDK CLI hands it to infra/app.ts itself; apps built in-process
 * (tests, the local cloud) pass it explicitly so they synthesize exactly what `cdk synth` does.
 */
export function cdkJsonContext(): Record<string, unknown> {
  const file = join(projectRoot, "cdk.json");
  const parsed = CdkJsonSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`cdk.json: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  return parsed.data.context;
}
