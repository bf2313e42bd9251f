/**
 * dist/index.js, the Action's committed bundle, is what the sources build to: a rebuild into a
 * temporary folder gives the same bytes (scripts/build-action.mjs is deterministic). When this
 * fails, run `npm run build:action` and commit dist/.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, cleanEnv } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "mx-guard-dist-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The build script as `npm run build:action` runs it, into `outfile`. */
function build(outfile: string): string {
  return execFileSync(process.execPath, [join(ROOT, "scripts/build-action.mjs"), "--outfile", outfile], {
    cwd: ROOT,
    env: cleanEnv({}),
    encoding: "utf8",
  });
}

describe("dist/index.js", () => {
  it("is committed", () => {
    expect(execFileSync("git", ["-C", ROOT, "ls-files", "--error-unmatch", "dist/index.js"], { encoding: "utf8" }).trim()).toBe(
      "dist/index.js",
    );
  });

  it("matches the sources byte for byte (run `npm run build:action` and commit dist/ when it does not)", () => {
    const rebuilt = join(scratch, "index.js");
    build(rebuilt);
    const committed = readFileSync(join(ROOT, "dist/index.js"));
    const fresh = readFileSync(rebuilt);
    expect(fresh.length, "dist/index.js is out of date: npm run build:action").toBe(committed.length);
    expect(fresh.equals(committed), "dist/index.js is out of date: npm run build:action").toBe(true);
  });

  it("builds the same bytes twice, from another working directory, with no machine path inside", () => {
    const a = join(scratch, "a.js");
    const b = join(scratch, "b.js");
    build(a);
    execFileSync(process.execPath, [join(ROOT, "scripts/build-action.mjs"), "--outfile", b], { cwd: tmpdir(), env: cleanEnv({}) });
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const text = readFileSync(a, "utf8");
    expect(text).not.toContain(ROOT);
    expect(text).not.toContain(tmpdir());
  });

  it("stays small enough to commit: under 3 MiB, dependencies included", () => {
    expect(statSync(join(ROOT, "dist/index.js")).size).toBeLessThan(3 * 1024 * 1024);
  });
});
