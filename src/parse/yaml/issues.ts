/**
 * Turns validation problems into ConfigIssues anchored on the offending value's line:column.
 */
import type * as z from "zod";
import { describeFound, type ConfigIssue } from "../../model/errors.js";
import { keySpanAt, spanAt, valueAt, type YamlPath } from "./positions.js";
import type { YamlSource } from "./read.js";
import { knownKeys } from "./schema-walk.js";
import { closest, didYouMean } from "../../schema/suggest.js";

export interface IssueDetail {
  message: string;
  expected: string;
  hint?: string | undefined;
  /** Defaults to the value at the path. */
  found?: string;
}

/** An issue at the value of `path` (or at its key when `at` is "key"). */
export function issueAt(src: YamlSource, path: YamlPath, detail: IssueDetail, at: "value" | "key" = "value"): ConfigIssue {
  const span = at === "key" ? keySpanAt(src, path) : spanAt(src, path);
  const issue: ConfigIssue = {
    file: src.file,
    line: span.line,
    column: span.column,
    found: detail.found ?? describeFound(valueAt(src.value, path)),
    expected: detail.expected,
    message: detail.message,
  };
  if (detail.hint) issue.hint = detail.hint;
  return issue;
}

/** Params that the schema's field parsers attach to their custom issues. */
export interface FieldIssueParams {
  expected: string;
  hint?: string;
  missing?: boolean;
}

export function fromZodIssues(src: YamlSource, schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  const misspelt = misspeltKeys(schema, issues);
  return issues
    .filter((issue) => !isMissing(src, issue) || !misspelt.has(pathKey(toPath(issue.path))))
    .flatMap((issue) => fromZodIssue(src, schema, issue));
}

/** "rules" written as "rule": the unknown-key error already says it, so the missing-key error is noise. */
function misspeltKeys(schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): Set<string> {
  const keys = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const path = toPath(issue.path);
    const known = knownKeys(schema, path);
    for (const key of issue.keys) {
      const match = closest(key, known);
      if (match !== undefined) keys.add(pathKey([...path, match]));
    }
  }
  return keys;
}

function isMissing(src: YamlSource, issue: z.core.$ZodIssue): boolean {
  const path = toPath(issue.path);
  return issue.code !== "unrecognized_keys" && path.length > 0 && valueAt(src.value, path) === undefined;
}

function pathKey(path: YamlPath): string {
  return JSON.stringify(path.map(String));
}

function toPath(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((p) => (typeof p === "symbol" ? String(p) : p));
}

function fromZodIssue(src: YamlSource, schema: z.ZodType, issue: z.core.$ZodIssue): ConfigIssue[] {
  const path = toPath(issue.path);
  const raw = valueAt(src.value, path);
  const name = path.length > 0 ? String(path[path.length - 1]) : "";

  if (issue.code === "unrecognized_keys") {
    const known = knownKeys(schema, path);
    return issue.keys.map((key) =>
      issueAt(
        src,
        [...path, key],
        {
          message: `unknown key "${key}"`,
          expected: known.length > 0 ? `one of ${known.join(", ")}` : "no other keys",
          hint: didYouMean(key, known),
          found: JSON.stringify(key),
        },
        "key",
      ),
    );
  }
  if (raw === undefined && path.length > 0 && issue.code !== "custom") {
    return [issueAt(src, path, { message: `missing required key "${name}"`, expected: expectedOf(issue), found: "nothing" })];
  }
  if (issue.code === "custom") {
    const params = (issue.params ?? {}) as Partial<FieldIssueParams>;
    if (params.missing) {
      return [issueAt(src, path, { message: `missing required key "${name}"`, expected: params.expected ?? "a value", found: "nothing" })];
    }
    return [issueAt(src, path, { message: issue.message, expected: params.expected ?? "a valid value", hint: params.hint })];
  }
  if (path.length === 0 && (raw === null || raw === undefined)) {
    return [issueAt(src, path, { message: "the file is empty", expected: expectedOf(issue) })];
  }
  const expected = expectedOf(issue);
  if (issue.code === "too_small" && Array.isArray(raw) && raw.length === 0)
    return [issueAt(src, path, { message: "the list is empty", expected, found: "[]" })];
  return [issueAt(src, path, { message: `expected ${expected}, found ${describeFound(raw)}`, expected })];
}

const TYPE_NAMES: Record<string, string> = {
  object: "a mapping (key: value)",
  record: "a mapping (key: value)",
  map: "a mapping (key: value)",
  array: "a list",
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  null: "nothing",
};

function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return TYPE_NAMES[issue.expected] ?? issue.expected;
    case "invalid_value":
      return `one of ${issue.values.map((v) => String(v)).join(" | ")}`;
    case "too_small":
      return issue.origin === "array" ? `a list with at least ${String(issue.minimum)} item(s)` : `a value ≥ ${String(issue.minimum)}`;
    case "too_big":
      return issue.origin === "array" ? `a list with at most ${String(issue.maximum)} item(s)` : `a value ≤ ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}
