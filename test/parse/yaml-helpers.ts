/** Shared helpers for the YAML-side parser tests. */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { ConfigIssue, Result } from "../../src/model/errors.js";

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/yaml/${name}`, import.meta.url), "utf8");
}

/** Joins lines with "\n" so tests show exact line numbers. */
export function yaml(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got:\n${JSON.stringify(result.errors, null, 2)}`);
  return result.value;
}

export function errorsOf<T>(result: Result<T>): ConfigIssue[] {
  if (result.ok) throw new Error(`expected errors, got a value:\n${JSON.stringify(result.value).slice(0, 500)}`);
  expect(result.errors.length).toBeGreaterThan(0);
  return result.errors;
}

/** The single error of a failed result. */
export function onlyError<T>(result: Result<T>): ConfigIssue {
  const errors = errorsOf(result);
  expect(errors, JSON.stringify(errors, null, 2)).toHaveLength(1);
  return errors[0]!;
}
