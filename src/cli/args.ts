import { parseArgs } from "node:util";
import { OUTPUT_FORMATS, type OutputFormat } from "../engine/index.js";

export type Format = OutputFormat;

export interface CliOptions {
  command: "simulate" | "diff" | "review" | "catalog" | "init" | "domains" | "help" | "version";
  positionals: string[];
  format: Format;
  config: string | null;
  repo: string | null;
  exitZero: boolean;
  /** review: the pull request, OWNER/REPO#N. */
  pull: PullRef | null;
  /** review: the REST root (https://HOST/api/v3 for GitHub Enterprise Server); null → api.github.com. */
  apiUrl: string | null;
  /** catalog: resolve the providers' MX records live. */
  resolve: boolean;
  /** catalog --resolve: write the live values to this providers.yaml. */
  write: string | null;
  /** domains: the CSV column that holds the addresses (default: found by its name). */
  column: string | null;
  /** domains: how many domains to list (default 20). */
  top: number;
}

export const DEFAULT_TOP = 20;
const MAX_TOP = 1000;

export interface PullRef {
  owner: string;
  repo: string;
  number: number;
}

export class UsageError extends Error {}

export const USAGE = `Usage:
  mx-guard simulate [DIR]          simulate the Campaign configuration in DIR (default .)
  mx-guard diff BASE HEAD          compare two directories, or two git revisions of --repo DIR
  mx-guard review --pull OWNER/REPO#N
                                   check a pull request on GitHub and post the "MX Guard" check
                                   run, review and summary comment, as the App does (token in
                                   GITHUB_TOKEN: checks: write, pull-requests: write, contents: read)
  mx-guard init [DIR]              create campaign/mx-rules.yaml, campaign/traffic.yaml and
                                   .github/mx-guard.yml in DIR (default .) as commented templates,
                                   pre-filled from an existing serverConf.xml; never writes over a
                                   file; then simulates the result
  mx-guard domains FILE [--top N] [--column NAME]
                                   read a recipient export (CSV with a header row, or one address
                                   per line; gzip accepted) and print a traffic.yaml domains: block
                                   with the top N domains (default 20)
  mx-guard catalog [--resolve [--write FILE]]
                                   print the built-in provider catalog; --resolve: look up every
                                   provider's MX hosts and remote IPs in DNS and print them next to
                                   the catalog's (exit 1 when they differ); --write FILE: save the
                                   live values as providers.yaml overrides

Options:
  --format text|markdown|json|sarif|html
                                      output format (default text); html: one self-contained
                                      page with charts, for a browser (mx-guard ... > report.html)
  --config FILE                       policy file (default DIR/.github/mx-guard.yml;
                                      for git revisions: .github/mx-guard.yml at BASE;
                                      for review: the path in the repository, read from its
                                      default branch)
  --repo DIR                          read BASE and HEAD as git revisions of DIR
  --api-url URL                       review: GitHub's REST root, https://HOST/api/v3 for
                                      GitHub Enterprise Server (default https://api.github.com)
  --exit-zero                         exit 0 even when the verdict fails (still 2 on bad input)
  -h, --help                          show this help
  -v, --version                       print the version

Exit codes: 0 pass, 1 fail (a finding listed in failOn), 2 usage error or unreadable input
(review: or MX Guard could not complete the check).`;

const PULL_REF = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+)#([1-9][0-9]*)$/;

/** "octo/campaign#12" → { owner, repo, number }. */
export function parsePullRef(raw: string): PullRef {
  const match = PULL_REF.exec(raw.trim());
  if (!match) throw new UsageError(`--pull ${raw}: expected OWNER/REPO#NUMBER, e.g. acme/campaign#12`);
  return { owner: match[1]!, repo: match[2]!, number: Number(match[3]) };
}

/** The REST root without trailing slashes; http(s) only. */
function parseApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--api-url ${raw}: not a URL (expected https://HOST/api/v3)`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError(`--api-url ${raw}: expected an http(s) URL`);
  if (url.search || url.hash) throw new UsageError(`--api-url ${raw}: expected a URL without query or fragment`);
  return url.href.replace(/\/+$/, "");
}

export function parseCliArgs(argv: string[]): CliOptions {
  // biome-ignore lint/suspicious/noImplicitAnyLet: TypeScript types it from the parseArgs call assigned in the try block
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
        pull: { type: "string" },
        "api-url": { type: "string" },
        "exit-zero": { type: "boolean" },
        resolve: { type: "boolean" },
        write: { type: "string" },
        column: { type: "string" },
        top: { type: "string" },
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
  const [written, ...rest] = positionals;
  const commands = ["simulate", "diff", "review", "catalog", "init", "domains"] as const;
  const command = commands.find((name) => name === written);
  if (command === undefined) {
    const expected = "expected simulate, diff, review, catalog, init or domains";
    throw new UsageError(written ? `unknown command "${written}" (${expected})` : `missing command (${expected})`);
  }
  for (const option of ["column", "top"] as const) {
    if (values[option] !== undefined && command !== "domains") throw new UsageError(`--${option} only applies to domains`);
  }
  if (command === "init" || command === "domains") {
    for (const option of ["format", "config", "repo", "pull", "api-url", "resolve", "write", "exit-zero"] as const) {
      if (values[option] !== undefined) throw new UsageError(`--${option} does not apply to ${command}`);
    }
    if (command === "init") {
      if (rest.length > 1) throw new UsageError(`init takes one directory, got ${rest.length}`);
      return { ...base("init"), positionals: rest };
    }
    if (rest.length !== 1) throw new UsageError(`domains takes one file (the recipient export), got ${rest.length}`);
    return { ...base("domains"), positionals: rest, column: values.column ?? null, top: parseTop(values.top) };
  }
  if (command === "catalog") {
    if (rest.length > 0) throw new UsageError(`catalog takes no arguments, got ${rest.join(" ")}`);
    if (values.write !== undefined && !values.resolve) throw new UsageError("--write needs --resolve (it writes the live values)");
    for (const option of ["format", "config", "repo", "pull", "api-url"] as const) {
      if (values[option] !== undefined) throw new UsageError(`--${option} does not apply to catalog`);
    }
    return { ...base("catalog"), resolve: values.resolve ?? false, write: values.write ?? null };
  }
  for (const option of ["resolve", "write"] as const) {
    if (values[option] !== undefined) throw new UsageError(`--${option} only applies to catalog`);
  }
  if (command === "review") {
    if (rest.length > 0)
      throw new UsageError(`review takes no arguments, got ${rest.join(" ")} (name the pull request with --pull OWNER/REPO#N)`);
    if (!values.pull) throw new UsageError("review needs --pull OWNER/REPO#N");
    for (const option of ["format", "repo"] as const) {
      if (values[option] !== undefined) throw new UsageError(`--${option} does not apply to review (it posts to the pull request)`);
    }
  } else {
    for (const option of ["pull", "api-url"] as const) {
      if (values[option] !== undefined) throw new UsageError(`--${option} only applies to review`);
    }
  }
  const format = values.format ?? "text";
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format ${format}: expected text, markdown, json, sarif or html`);
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
    pull: values.pull ? parsePullRef(values.pull) : null,
    apiUrl: values["api-url"] ? parseApiUrl(values["api-url"]) : null,
    resolve: false,
    write: null,
    column: null,
    top: DEFAULT_TOP,
  };

  function base(command: "help" | "version" | "catalog" | "init" | "domains"): CliOptions {
    return {
      command,
      positionals: [],
      format: "text",
      config: null,
      repo: null,
      exitZero: false,
      pull: null,
      apiUrl: null,
      resolve: false,
      write: null,
      column: null,
      top: DEFAULT_TOP,
    };
  }
}

function parseTop(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TOP;
  const top = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(top) || top < 1 || top > MAX_TOP)
    throw new UsageError(`--top ${raw}: expected a whole number from 1 to ${MAX_TOP}`);
  return top;
}
