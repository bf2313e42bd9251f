import type { FindingId } from "./catalogue.js";
import { boundMessage, excerpt } from "./excerpt.js";
import type { SourcePos } from "./source.js";

/**
 * One problem in a configuration file. Every parser reports bad input this way: never a thrown
 * exception, never a silent default. `message` is the full sentence shown to the user; `found` and
 * `expected` are kept apart so reports and tests can use them.
 */
export interface ConfigIssue extends SourcePos {
  /** What the file contains at that position, shortened (e.g. `"fast"`, `-3`, `<!DOCTYPE`). */
  found: string;
  /** What would have been accepted (e.g. `one of default | disabled | opportunistic`). */
  expected: string;
  /** Human sentence, without the position prefix. */
  message: string;
  /** Optional hint, e.g. `did you mean "messagesPerHour"?` */
  hint?: string;
  /** For a warning: the finding it becomes (config-warning when not given). */
  finding?: Extract<FindingId, "config-warning" | "unknown-attribute">;
}

export type Result<T> = { ok: true; value: T; warnings: ConfigIssue[] } | { ok: false; errors: ConfigIssue[]; warnings: ConfigIssue[] };

export function ok<T>(value: T, warnings: ConfigIssue[] = []): Result<T> {
  return { ok: true, value, warnings };
}

/** Issues reported per file at most; the rest are counted in one closing issue. */
export const MAX_ISSUES_PER_FILE = 50;

export function fail<T>(errors: ConfigIssue[], warnings: ConfigIssue[] = []): Result<T> {
  return { ok: false, errors: capPerFile(errors), warnings: capPerFile(warnings) };
}

/**
 * The first MAX_ISSUES_PER_FILE issues of each file, in order, then one issue per file that says
 * how many more there are (at the first one left out): 99,999 errors would bury the first one.
 */
export function capPerFile(issues: ConfigIssue[]): ConfigIssue[] {
  if (issues.length <= MAX_ISSUES_PER_FILE) return issues.map(bounded);
  const kept: ConfigIssue[] = [];
  const counts = new Map<string, number>();
  const firstLeftOut = new Map<string, ConfigIssue>();
  for (const issue of issues) {
    const seen = (counts.get(issue.file) ?? 0) + 1;
    counts.set(issue.file, seen);
    if (seen <= MAX_ISSUES_PER_FILE) kept.push(bounded(issue));
    else if (!firstLeftOut.has(issue.file)) firstLeftOut.set(issue.file, issue);
  }
  for (const [file, first] of firstLeftOut) {
    const more = (counts.get(file)! - MAX_ISSUES_PER_FILE).toLocaleString("en-US");
    kept.push({
      file,
      line: first.line,
      column: first.column,
      found: `${more} more problems`,
      expected: `at most ${MAX_ISSUES_PER_FILE} reported problems per file`,
      message: boundMessage(
        `and ${more} more problems in ${file}: only the first ${MAX_ISSUES_PER_FILE} are listed (this one is the first left out: ${first.message})`,
      ),
    });
  }
  return kept;
}

/** The issue with its texts bounded (docs/limits.md#messages); the same object when they fit. */
export function bounded(issue: ConfigIssue): ConfigIssue {
  const message = boundMessage(issue.message);
  const found = excerpt(issue.found, 200);
  const expected = excerpt(issue.expected, 500);
  const hint = issue.hint === undefined ? undefined : boundMessage(issue.hint, 500);
  if (message === issue.message && found === issue.found && expected === issue.expected && hint === issue.hint) return issue;
  return hint === undefined ? { ...issue, message, found, expected } : { ...issue, message, found, expected, hint };
}

/** `file:line:column: message (found …, expected …) hint` — the one-line form used by the CLI. */
export function formatIssue(issue: ConfigIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  const hint = issue.hint ? ` (${issue.hint})` : "";
  return `${where}: ${issue.message}${issueDetail(issue)}${hint}`;
}

/**
 * " — found …, expected …", shortened when a part says nothing: a YAML syntax error names its
 * cause in the message, and "expected valid YAML" would only repeat it.
 */
export function issueDetail(issue: Pick<ConfigIssue, "found" | "expected">): string {
  if (issue.expected === "") return issue.found === "" ? "" : ` — found ${issue.found}`;
  return ` — found ${issue.found}, expected ${issue.expected}`;
}

/** Thrown only at the imperative edges (CLI, app) to carry issues up; the core returns Results. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** Shortens a found value for messages: at most 40 characters, control characters escaped. */
export function describeFound(value: unknown): string {
  let text: string;
  if (value === undefined) text = "nothing";
  else if (value === null) text = "null";
  else if (typeof value === "string") text = JSON.stringify(value);
  else if (typeof value === "number" || typeof value === "boolean") text = String(value);
  else if (Array.isArray(value)) text = "a list";
  else if (typeof value === "object") text = "a mapping";
  else text = String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
