import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { AdminApiError, callAdmin, clientSettings } from "./api-client";
import { type Command, commandHelp, commandLines, commands } from "./commands";
import { forTerminal, jsonForTerminal, line } from "./terminal";

// The `concord` admin CLI: human output by default, --json for scripts, non-zero exit on failure.

/** Every line the CLI writes goes through here, so no control character from the data reaches the terminal. */
function print(stream: "stdout" | "stderr", text: string): void {
  process[stream].write(`${forTerminal(text)}\n`);
}

const GLOBAL_OPTIONS = {
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
  version: { type: "boolean", short: "V", default: false },
  url: { type: "string" },
  token: { type: "string" },
  iam: { type: "boolean", default: false },
} as const;

// Every command's own options, parsed together with the global ones; main() refuses one its command lacks.
const COMMAND_OPTIONS = Object.fromEntries(
  commands.flatMap((c) => Object.entries(c.options ?? {}).map(([name, o]) => [name, { type: o.type }])),
) as Record<string, { type: "string" | "boolean" }>;
const OPTIONS = { ...COMMAND_OPTIONS, ...GLOBAL_OPTIONS };

/** `concord <group>`: the group's commands and how to see one's help. */
function groupUsage(group: string, list: readonly Command[]): string {
  return `Usage: concord ${group} <command> [options]

Commands:
${commandLines(list).join("\n")}

Run \`concord ${group} <command> --help\` for a command's own help.`;
}

function usage(): string {
  return `Usage: concord <command> [options]

Commands:
${commandLines(commands).join("\n")}

Options:
  --json         print machine-readable JSON instead of text
  --url URL      admin API base URL (default $CONCORD_URL or http://127.0.0.1:3000)
  --token TOKEN  admin token (default $CONCORD_ADMIN_TOKEN or <$CONCORD_DATA_DIR or .concord>/admin-token)
  --iam          sign requests with your AWS credentials (SigV4) for a deployed stack; also CONCORD_AUTH=iam
  -h, --help     show help (also: concord <group> --help, concord <command> --help)
  -V, --version  print the version`;
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

function errorText(error: AdminApiError): string {
  const lines = [line`concord: ${error.message}`];
  for (const field of error.fieldErrors) lines.push(line`  - ${field.path || "(draft)"}: ${field.message}`);
  const left = error.errorCount - error.fieldErrors.length;
  if (left > 0) lines.push(`  … and ${left} more (fix these and submit again to see the rest)`);
  return lines.join("\n");
}

/** Runs the CLI on `argv` (without node and the script) and returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (error) {
    print("stderr", `concord: ${(error as Error).message}\n\n${usage()}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    print("stdout", `concord ${await version()}`);
    return 0;
  }
  if (positionals.length === 0) {
    print("stdout", usage());
    return values.help ? 0 : 2;
  }
  const found = findCommand(positionals);
  const group = commands.filter((c) => c.words[0] === positionals[0]);
  if (!found && positionals.length === 1 && group.length > 0) {
    print(values.help ? "stdout" : "stderr", groupUsage(positionals[0] ?? "", group));
    return values.help ? 0 : 2;
  }
  if (!found) {
    print("stderr", `concord: unknown command '${positionals.join(" ")}'\n\n${usage()}`);
    return 2;
  }
  const { command, args } = found;
  if (values.help) {
    print("stdout", commandHelp(command));
    return 0;
  }
  const options: Record<string, string | boolean | undefined> = {};
  for (const name of Object.keys(COMMAND_OPTIONS)) {
    const value = (values as Record<string, string | boolean | undefined>)[name];
    if (value === undefined) continue;
    if (!command.options?.[name]) {
      print(
        "stderr",
        `concord: '${command.words.join(" ")}' takes no --${name}\nUsage: concord ${command.usage}`,
      );
      return 2;
    }
    options[name] = value;
  }
  if (args.length < command.minArgs || args.length > command.maxArgs) {
    print("stderr", `concord: wrong number of arguments\nUsage: concord ${command.usage}`);
    return 2;
  }
  const settings = await clientSettings({ url: values.url, token: values.token, iam: values.iam });
  try {
    const result = await command.run({
      args,
      options,
      call: (method, route, body) => callAdmin(settings, method, route, body),
      progress: (message) => print("stderr", `concord: ${message}`),
    });
    print("stdout", values.json ? jsonForTerminal(result.json) : result.text);
    return result.exitCode ?? 0;
  } catch (error) {
    if (error instanceof AdminApiError) {
      if (values.json) {
        print(
          "stderr",
          jsonForTerminal({
            error: error.message,
            status: error.status,
            errors: error.fieldErrors,
            ...(error.errorCount > error.fieldErrors.length ? { errorCount: error.errorCount } : {}),
          }),
        );
      } else {
        print("stderr", errorText(error));
      }
      return 1;
    }
    if (error instanceof Error && error.name === "UsageError") {
      print("stderr", `concord: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

/** The version in package.json (the CLI ships with the project). */
async function version(): Promise<string> {
  const pkg = (await import("../package.json", { with: { type: "json" } })).default as { version?: string };
  return pkg.version ?? "unknown";
}

// Run when started as a program, not when a test imports main().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = await main(process.argv.slice(2));
