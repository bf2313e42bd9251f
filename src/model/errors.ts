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
}

export type Result<T> =
  | { ok: true; value: T; warnings: ConfigIssue[] }
  | { ok: false; errors: ConfigIssue[]; warnings: ConfigIssue[] };

export function ok<T>(value: T, warnings: ConfigIssue[] = []): Result<T> {
  return { ok: true, value, warnings };
}

export function fail<T>(errors: ConfigIssue[], warnings: ConfigIssue[] = []): Result<T> {
  return { ok: false, errors, warnings };
}

/** `file:line:column: message (found …, expected …) hint` — the one-line form used by the CLI. */
export function formatIssue(issue: ConfigIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  const detail = `found ${issue.found}, expected ${issue.expected}`;
  const hint = issue.hint ? ` (${issue.hint})` : "";
  return `${where}: ${issue.message} — ${detail}${hint}`;
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
