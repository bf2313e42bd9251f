/**
 * The `mx-guard` command line: the same engine as the GitHub App, reading from directories or git,
 * or (`review`) from a pull request on GitHub. Only I/O lives here; everything it prints comes from
 * src/render.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { createRequire } from "node:module";
import { directorySource, explicitFileSource } from "../io/directory-source.js";
import { gitRevisionSource } from "../io/git-source.js";
import type { FileSource } from "../io/file-source.js";
import { ConfigError, formatIssue } from "../model/errors.js";
import { headConfigErrors, REVIEW_FORMATS, reviewChange, SIMULATE_FORMATS, simulate } from "../engine/index.js";
import { parseCliArgs, USAGE, UsageError, type CliOptions } from "./args.js";
import { DEFAULT_POLICY_PATH, loadPolicy, readFiles } from "./load-side.js";
import { progressReporter, type Output } from "./output.js";
import { neutraliseTerminal, oneLine } from "../render/plain-text.js";
import { reviewCommand, type ReviewDeps } from "./review.js";
import { catalogCommand, type CatalogDeps } from "./catalog.js";
import { initCommand, type InitDeps } from "./init.js";
import { domainsCommand } from "./domains.js";

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;

/** `deps`: the environment and GitHub client settings of `review`, the DNS resolver of `catalog`, init's clock (tests). */
export async function main(
  argv: string[],
  output: Output = processOutput(),
  deps: ReviewDeps & CatalogDeps & InitDeps = {},
): Promise<number> {
  // Messages quote file contents: keep them from starting workflow commands or moving the cursor.
  const out: Output = { ...output, stderr: (text) => output.stderr(neutraliseTerminal(text)) };
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      out.stderr(`mx-guard: ${error.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (options.command === "help") {
    out.stdout(`${USAGE}\n`);
    return EXIT_PASS;
  }
  if (options.command === "version") {
    out.stdout(`${packageVersion()}\n`);
    return EXIT_PASS;
  }
  try {
    if (options.command === "review") return await reviewCommand(options, out, deps);
    if (options.command === "catalog") return await catalogCommand(options, out, deps);
    if (options.command === "domains") return await domainsCommand(options, out);
    if (options.command === "init") {
      const simulateDir = (dir: string) => simulateCommand({ ...options, command: "simulate", positionals: [dir], exitZero: true }, out);
      return await initCommand(options, out, simulateDir, deps);
    }
    return options.command === "simulate" ? await simulateCommand(options, out) : await diffCommand(options, out);
  } catch (error) {
    if (error instanceof ConfigError) {
      out.stderr(`${error.issues.map((issue) => `mx-guard: ${oneLine(formatIssue(issue))}`).join("\n")}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      out.stderr(`mx-guard: ${error.message}\n`);
      return EXIT_USAGE;
    }
    out.stderr(`mx-guard: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
}

async function simulateCommand(options: CliOptions, out: Output): Promise<number> {
  const dir = options.positionals[0] ?? ".";
  if (!(await isDirectory(dir))) throw new UsageError(`${dir}: not a directory`);
  const source = directorySource(dir);
  const progress = progressReporter(out);
  const policy = options.config
    ? await loadPolicy(explicitFileSource(), options.config, true)
    : await loadPolicy(source, DEFAULT_POLICY_PATH, false);
  progress(`reading ${dir}`);
  const files = await readFiles(source, policy);
  progress(`simulating ${policy.instances.length} instance(s)`);
  const result = simulate(files, policy);
  out.stdout(SIMULATE_FORMATS[options.format](result, policy));
  if (result.configErrors.length > 0) {
    out.stderr(`${result.configErrors.map((finding) => `mx-guard: ${oneLine(finding.message)}`).join("\n")}\n`);
    return EXIT_USAGE;
  }
  return result.conclusion === "failure" && !options.exitZero ? EXIT_FAIL : EXIT_PASS;
}

async function diffCommand(options: CliOptions, out: Output): Promise<number> {
  const [baseArg, headArg] = options.positionals as [string, string];
  const progress = progressReporter(out);
  let base: FileSource;
  let head: FileSource;
  let policySource: FileSource;
  const [baseIsDir, headIsDir] = options.repo ? [false, false] : [await isDirectory(baseArg), await isDirectory(headArg)];
  if (baseIsDir !== headIsDir) {
    const [side, arg, other] = baseIsDir ? ["HEAD", headArg, baseArg] : ["BASE", baseArg, headArg];
    const what = (await exists(arg)) ? "not a directory" : "neither a directory nor a revision (no such path)";
    throw new UsageError(
      `${side} ${arg}: ${what}; ${other} is a directory, and diff compares two directories or two revisions of --repo DIR`,
    );
  }
  if (baseIsDir && headIsDir) {
    base = directorySource(baseArg);
    head = directorySource(headArg);
    policySource = base;
  } else {
    const repo = options.repo ?? ".";
    if (!(await exists(join(repo, ".git"))) && !(await isGitDir(repo))) {
      throw new UsageError(`${repo} is not a git repository, and ${baseArg} / ${headArg} are not both directories`);
    }
    const revision = async (side: "BASE" | "HEAD", arg: string) =>
      gitRevisionSource(repo, arg).catch(async (error: Error) => {
        // A typo in a directory name reaches git as a revision: say what was tried, not git's own words.
        if (!options.repo && !(await exists(arg))) {
          throw new UsageError(`${side} ${arg}: neither a directory nor a revision of the git repository at ${repo}`);
        }
        throw new UsageError(`${side} ${arg}: ${error.message}`);
      });
    base = await revision("BASE", baseArg);
    head = await revision("HEAD", headArg);
    policySource = base;
  }
  // The policy comes from the base side (as the app reads it from the default branch): a change
  // must not be able to relax its own gate.
  const policy = options.config
    ? await loadPolicy(explicitFileSource(), options.config, true)
    : await loadPolicy(policySource, DEFAULT_POLICY_PATH, false);
  progress(`reading ${base.label} and ${head.label}`);
  const [baseFiles, headFiles] = await Promise.all([readFiles(base, policy), readFiles(head, policy)]);
  progress("simulating base and head, comparing and searching fixes");
  const result = reviewChange(baseFiles, headFiles, policy);
  out.stdout(REVIEW_FORMATS[options.format](result));
  // Fail closed: a head that cannot be parsed was not checked, whatever the base looked like.
  const unreadable = headConfigErrors(result.review.findings);
  if (unreadable.length > 0) {
    out.stderr(
      `mx-guard: could not check ${head.label}: ${unreadable.length} configuration error(s)\n` +
        `${unreadable.map((finding) => `mx-guard: ${oneLine(finding.message)}`).join("\n")}\n`,
    );
    return EXIT_USAGE;
  }
  return result.conclusion === "failure" && !options.exitZero ? EXIT_FAIL : EXIT_PASS;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function isGitDir(path: string): Promise<boolean> {
  try {
    return (await stat(join(path, "HEAD"))).isFile() && (await stat(join(path, "objects"))).isDirectory();
  } catch {
    return false;
  }
}

function packageVersion(): string {
  const require = createRequire(import.meta.url);
  return (require("../../package.json") as { version: string }).version;
}

function processOutput(): Output {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    isInteractive: Boolean(process.stderr.isTTY),
    now: () => performance.now(),
  };
}
