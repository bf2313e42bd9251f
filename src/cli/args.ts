import { parseArgs } from "node:util";

export type Format = "text" | "markdown" | "json" | "sarif";

export interface CliOptions {
  command: "simulate" | "diff" | "help" | "version";
  positionals: string[];
  format: Format;
  config: string | null;
  repo: string | null;
  exitZero: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage:
  mx-guard simulate [DIR]          simulate the Campaign configuration in DIR (default .)
  mx-guard diff BASE HEAD          compare two directories, or two git revisions of --repo DIR

Options:
  --format text|markdown|json|sarif   output format (default text)
  --config FILE                       policy file (default DIR/.github/mx-guard.yml;
                                      for git revisions: .github/mx-guard.yml at BASE)
  --repo DIR                          read BASE and HEAD as git revisions of DIR
  --exit-zero                         exit 0 even when the verdict fails (still 2 on bad input)
  -h, --help                          show this help
  -v, --version                       print the version

Exit codes: 0 pass, 1 fail (a finding listed in failOn), 2 usage error or unreadable input.`;

export function parseCliArgs(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: "string", short: "f" },
        config: { type: "string", short: "c" },
        repo: { type: "string" },
        "exit-zero": { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return base("help");
  if (values.version) return base("version");
  const [command, ...rest] = positionals;
  if (command !== "simulate" && command !== "diff") {
    throw new UsageError(command ? `unknown command "${command}" (expected simulate or diff)` : "missing command (expected simulate or diff)");
  }
  const format = values.format ?? "text";
  if (!["text", "markdown", "json", "sarif"].includes(format)) {
    throw new UsageError(`--format ${format}: expected text, markdown, json or sarif`);
  }
  if (command === "simulate" && rest.length > 1) throw new UsageError(`simulate takes one directory, got ${rest.length}`);
  if (command === "diff" && rest.length !== 2) throw new UsageError(`diff takes BASE and HEAD, got ${rest.length} argument(s)`);
  return {
    command,
    positionals: rest,
    format: format as Format,
    config: values.config ?? null,
    repo: values.repo ?? null,
    exitZero: values["exit-zero"] ?? false,
  };

  function base(command: "help" | "version"): CliOptions {
    return { command, positionals: [], format: "text", config: null, repo: null, exitZero: false };
  }
}
