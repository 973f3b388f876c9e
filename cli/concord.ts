import { parseArgs } from "node:util";
import { AdminApiError, callAdmin, clientSettings } from "./api-client";
import { type Command, commands } from "./commands";

// The `concord` admin CLI: human output by default, --json for scripts, non-zero exit on failure.

const GLOBAL_OPTIONS = {
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
  url: { type: "string" },
  token: { type: "string" },
  iam: { type: "boolean", default: false },
} as const;

function usage(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  const lines = commands.map((c) => `  concord ${c.usage.padEnd(width)}  ${c.summary}`);
  return `Usage: concord <command> [options]

Commands:
${lines.join("\n")}

Options:
  --json         print machine-readable JSON instead of text
  --url URL      admin API base URL (default $CONCORD_URL or http://127.0.0.1:3000)
  --token TOKEN  admin token (default $CONCORD_ADMIN_TOKEN or <$CONCORD_DATA_DIR or .concord>/admin-token)
  --iam          sign requests with your AWS credentials (SigV4) for a deployed stack; also CONCORD_AUTH=iam
  -h, --help     show help (also: concord <command> --help)`;
}

function findCommand(positionals: string[]): { command: Command; args: string[] } | undefined {
  // Longest match first, so "clock advance" wins over "clock".
  const sorted = [...commands].sort((a, b) => b.words.length - a.words.length);
  for (const command of sorted) {
    if (command.words.every((word, i) => positionals[i] === word)) {
      return { command, args: positionals.slice(command.words.length) };
    }
  }
  return undefined;
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof GLOBAL_OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: GLOBAL_OPTIONS, allowPositionals: true });
  } catch (error) {
    console.error(`concord: ${(error as Error).message}\n\n${usage()}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) {
    console.log(usage());
    return values.help ? 0 : 2;
  }
  const found = findCommand(positionals);
  if (!found) {
    console.error(`concord: unknown command '${positionals.join(" ")}'\n\n${usage()}`);
    return 2;
  }
  const { command, args } = found;
  if (values.help) {
    console.log(`Usage: concord ${command.usage}\n\n${command.help ?? command.summary}`);
    return 0;
  }
  if (args.length < command.minArgs || args.length > command.maxArgs) {
    console.error(`concord: wrong number of arguments\nUsage: concord ${command.usage}`);
    return 2;
  }
  const settings = await clientSettings({ url: values.url, token: values.token, iam: values.iam });
  try {
    const result = await command.run({
      args,
      call: (method, route, body) => callAdmin(settings, method, route, body),
    });
    console.log(values.json ? JSON.stringify(result.json, null, 2) : result.text);
    return 0;
  } catch (error) {
    if (error instanceof AdminApiError) {
      if (values.json) {
        console.error(
          JSON.stringify({ error: error.message, status: error.status, errors: error.fieldErrors }, null, 2),
        );
      } else {
        console.error(`concord: ${error.message}`);
        for (const field of error.fieldErrors)
          console.error(`  - ${field.path || "(draft)"}: ${field.message}`);
      }
      return 1;
    }
    if (error instanceof Error && error.name === "UsageError") {
      console.error(`concord: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
