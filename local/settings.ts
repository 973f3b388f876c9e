import path from "node:path";
import { z } from "zod";

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const SettingsSchema = z.object({
  CONCORD_DATA_DIR: z.string().min(1).default(".concord"),
  CONCORD_HOST: z.string().min(1).default("127.0.0.1"),
  CONCORD_APP_PORT: port(3000),
  CONCORD_SES_PORT: port(8005),
  CONCORD_DYNAMODB_PORT: port(8000),
  CONCORD_SFN_PORT: port(8083),
  CONCORD_CLOCK_RATE: z.coerce
    .number()
    .positive("CONCORD_CLOCK_RATE must be a positive number of simulated seconds per real second")
    .default(1),
  AWS_REGION: z.string().min(1).default("us-east-1"),
  CONCORD_LAMBDA_CODE: z
    .enum(["sources", "bundles"], "CONCORD_LAMBDA_CODE must be 'sources' or 'bundles'")
    .default("sources"),
});

/** Settings of the local cloud, all from environment variables (documented in README). */
export interface LocalSettings {
  dataDir: string;
  host: string;
  ports: { app: number; ses: number; dynamodb: number; stepFunctions: number };
  clockRate: number;
  region: string;
  accountId: string;
  /**
   * What the functions run: `sources` (the TypeScript, so an edit shows at the next start) or `bundles` (the
   * esbuild bundles `cdk deploy` uploads, built at start, with nothing beside them).
   */
  lambdaCode: "sources" | "bundles";
}

/** Reads the local cloud's settings; a bad value throws an Error naming the variable. */
export function readSettings(env: NodeJS.ProcessEnv = process.env): LocalSettings {
  const parsed = SettingsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`invalid setting — ${problems.join("; ")}`);
  }
  const s = parsed.data;
  // Two services on one port: the second would fail to listen halfway through start; say which at once.
  const byPort = new Map<number, string>();
  for (const name of Object.values(PORT_VARIABLES)) {
    const value = s[name];
    const other = byPort.get(value);
    if (other)
      throw new Error(
        `invalid setting — ${name} and ${other} are both ${value}: each service needs its own port`,
      );
    byPort.set(value, name);
  }
  return {
    dataDir: path.resolve(s.CONCORD_DATA_DIR),
    host: s.CONCORD_HOST,
    ports: {
      app: s.CONCORD_APP_PORT,
      ses: s.CONCORD_SES_PORT,
      dynamodb: s.CONCORD_DYNAMODB_PORT,
      stepFunctions: s.CONCORD_SFN_PORT,
    },
    clockRate: s.CONCORD_CLOCK_RATE,
    region: s.AWS_REGION,
    accountId: "000000000000",
    lambdaCode: s.CONCORD_LAMBDA_CODE,
  };
}

/**
 * What a `concord` CLI in another terminal must set to reach this cloud, when it is not the default (another app
 * port or host, or another data folder, where the admin token is): `export` lines, none when all is default.
 */
export function cliEnvironment(
  settings: LocalSettings,
  defaults: LocalSettings = readSettings({}),
): string[] {
  const lines: string[] = [];
  if (settings.ports.app !== defaults.ports.app || settings.host !== defaults.host)
    lines.push(`export CONCORD_URL=http://${settings.host}:${settings.ports.app}`);
  if (settings.dataDir !== defaults.dataDir) lines.push(`export CONCORD_DATA_DIR=${settings.dataDir}`);
  return lines;
}

/** The environment variable that overrides each port, for error messages and README. */
export const PORT_VARIABLES = {
  app: "CONCORD_APP_PORT",
  ses: "CONCORD_SES_PORT",
  dynamodb: "CONCORD_DYNAMODB_PORT",
  stepFunctions: "CONCORD_SFN_PORT",
} as const;
