/** Count limits (src/parse/limits.ts) checked on the plain YAML value, before schema validation. */
import type { ConfigIssue } from "../../model/errors.js";
import { formatLimit } from "../limits.js";
import { issueAt } from "./issues.js";
import { valueAt, type YamlPath } from "./positions.js";
import type { YamlSource } from "./read.js";

/** The size of a list or mapping at `path` (0 when it is something else or absent). */
export function sizeAt(src: YamlSource, path: YamlPath): number {
  const value = valueAt(src.value, path);
  if (Array.isArray(value)) return value.length;
  return value !== null && typeof value === "object" ? Object.keys(value).length : 0;
}

/**
 * An issue at the first item over `limit` of the list or mapping at `path`, or null. `what` names
 * the items ("MX rules"), `where` the file part ("mx-rules.yaml").
 */
export function capIssue(src: YamlSource, path: YamlPath, limit: number, what: string): ConfigIssue | null {
  const value = valueAt(src.value, path);
  const size = sizeAt(src, path);
  if (size <= limit) return null;
  const isList = Array.isArray(value);
  const first = isList ? limit : Object.keys(value as object)[limit]!;
  return issueAt(
    src,
    [...path, first],
    {
      message: `too many ${what}: ${formatLimit(size)}, while mx-guard accepts at most ${formatLimit(limit)}`,
      expected: `at most ${formatLimit(limit)} ${what}`,
      found: `${formatLimit(size)} ${what}`,
    },
    isList ? "value" : "key",
  );
}

/**
 * Like capIssue for items summed over several lists or mappings: the issue sits on the first item
 * over the limit. `parts` are the paths of the lists or mappings, in file order.
 */
export function totalCapIssue(src: YamlSource, parts: YamlPath[], limit: number, what: string): ConfigIssue | null {
  const total = parts.reduce((sum, path) => sum + sizeAt(src, path), 0);
  if (total <= limit) return null;
  let seen = 0;
  for (const path of parts) {
    const size = sizeAt(src, path);
    if (seen + size > limit) {
      const value = valueAt(src.value, path);
      const index = limit - seen;
      const item = Array.isArray(value) ? index : Object.keys(value as object)[index]!;
      return issueAt(
        src,
        [...path, item],
        {
          message: `too many ${what}: ${formatLimit(total)} in all, while mx-guard accepts at most ${formatLimit(limit)}`,
          expected: `at most ${formatLimit(limit)} ${what}`,
          found: `${formatLimit(total)} ${what}`,
        },
        Array.isArray(value) ? "value" : "key",
      );
    }
    seen += size;
  }
  return null;
}
