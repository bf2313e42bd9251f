import { expect } from "vitest";
import type { ConfigIssue, Result } from "../../src/model/errors.js";
import { lineCount } from "../fuzz/support/repo.js";

export function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

export async function timedAsync<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
}

/** The errors of a failed Result, each checked to lie inside `text`. */
export function errorsOf(result: Result<unknown>, text: string): ConfigIssue[] {
  if (result.ok) throw new Error("expected config errors, got a value");
  for (const issue of result.errors) {
    expect(issue.line).toBeGreaterThanOrEqual(1);
    expect(issue.line).toBeLessThanOrEqual(lineCount(text) + 1);
    expect(issue.column).toBeGreaterThanOrEqual(1);
    expect(issue.message.length).toBeGreaterThan(0);
  }
  return result.errors;
}

/** Line (1-based) of the first occurrence of `needle` in `text`. */
export function lineOf(text: string, needle: string, from = 0): number {
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`${needle} not in text`);
  return text.slice(0, at).split("\n").length;
}

export const MB = 1024 * 1024;
