/**
 * The example Campaign repository as a FileMap, and the invariants every fuzzed run must keep:
 * issues and findings point inside the file they name, nothing throws, time and heap stay bounded.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FileMap } from "../../../src/io/file-source.js";
import type { ConfigIssue, Result } from "../../../src/model/errors.js";
import type { Policy } from "../../../src/model/config.js";
import { parsePolicy } from "../../../src/parse/policy.js";

export const EXAMPLE_DIR = join(import.meta.dirname, "../../../examples/campaign-repo");

export const PATHS = {
  policy: ".github/mx-guard.yml",
  serverConf: "campaign/serverConf.xml",
  instanceConf: "campaign/config-prod.xml",
  mxRules: "campaign/mx-rules.yaml",
  traffic: "campaign/traffic.yaml",
  providers: "campaign/providers.yaml",
} as const;

export function exampleText(path: string): string {
  return readFileSync(join(EXAMPLE_DIR, path), "utf8");
}

/** The example's Campaign files (providers.yaml is absent in the example). */
export function exampleFiles(): FileMap {
  return {
    [PATHS.serverConf]: exampleText(PATHS.serverConf),
    [PATHS.instanceConf]: exampleText(PATHS.instanceConf),
    [PATHS.mxRules]: exampleText(PATHS.mxRules),
    [PATHS.traffic]: exampleText(PATHS.traffic),
  };
}

export function examplePolicy(): Policy {
  const parsed = parsePolicy(exampleText(PATHS.policy), PATHS.policy);
  if (!parsed.ok) throw new Error("the example policy does not parse");
  // The example does not name providers.yaml; the fuzzers add one, so read it when present.
  return { ...parsed.value, instances: parsed.value.instances.map((i) => ({ ...i, providers: PATHS.providers })) };
}

/** Lines as the parsers count them: LF, CRLF and lone CR end a line. */
export function lineCount(text: string): number {
  let lines = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) lines++;
  }
  return lines;
}

/** Throws (with the offending issue) unless the position lies inside `text`. */
export function assertPositionInside(
  where: { file: string; line: number; column?: number },
  text: string | null | undefined,
  what: string,
): void {
  const max = text === null || text === undefined ? 1 : lineCount(text) + 1;
  const column = where.column ?? 1;
  const bad = !Number.isInteger(where.line) || where.line < 1 || where.line > max || !Number.isInteger(column) || column < 1;
  if (bad)
    throw new Error(`${what} at ${where.file}:${where.line}:${column} lies outside the file (${max - 1} lines): ${JSON.stringify(where)}`);
}

/** Checks the shape of a parser Result: ok with a value, or at least one error; every issue positioned inside `text`. */
export function checkResult<T>(result: Result<T>, files: Record<string, string | null | undefined>): void {
  if (result === null || typeof result !== "object") throw new Error(`not a Result: ${String(result)}`);
  if (result.ok) {
    if (result.value === undefined) throw new Error("ok Result without a value");
  } else if (!Array.isArray(result.errors) || result.errors.length === 0) {
    throw new Error("failed Result without errors");
  }
  const issues: ConfigIssue[] = [...(result.ok ? [] : result.errors), ...result.warnings];
  for (const issue of issues) {
    if (!(issue.file in files)) throw new Error(`issue names an unknown file ${issue.file}: ${JSON.stringify(issue)}`);
    assertPositionInside(issue, files[issue.file], "issue");
    for (const key of ["message", "found", "expected"] as const) {
      if (typeof issue[key] !== "string" || (key === "message" && issue[key].length === 0)) {
        throw new Error(`issue without ${key}: ${JSON.stringify(issue)}`);
      }
    }
  }
}
