/**
 * Golden files: `expectGolden(name, text)` compares with test/fixtures/review/golden/<name>; with
 * UPDATE_GOLDEN=1 it (re)writes the file instead. A missing golden file fails the test.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";

export const GOLDEN_DIR = join(import.meta.dirname, "../fixtures/review/golden");

export function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env["UPDATE_GOLDEN"] === "1") {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${name} is missing: run the tests with UPDATE_GOLDEN=1 and review it`);
  expect(actual, `output differs from golden file ${name} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, "utf8"));
}
