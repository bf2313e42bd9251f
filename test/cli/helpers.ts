import { afterEach } from "vitest";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { main } from "../../src/cli/main.js";
import type { Output } from "../../src/cli/output.js";
import type { ReviewDeps } from "../../src/cli/review.js";

export const EXAMPLE = join(import.meta.dirname, "../../examples/campaign-repo");

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams and a clock that can be made slow. */
export async function runCli(argv: string[], clock: () => number = () => 0, deps: ReviewDeps = {}): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const out: Output = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    isInteractive: false,
    now: clock,
  };
  const code = await main(argv, out, deps);
  return { code, stdout, stderr };
}

/** A scratch copy of the example repository; `edit` rewrites one file with a function. */
export function copyExample(): { dir: string; edit: (path: string, change: (text: string) => string) => void; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "mx-guard-cli-"));
  cpSync(EXAMPLE, dir, { recursive: true });
  return {
    dir,
    edit(path, change) {
      const file = join(dir, path);
      writeFileSync(file, change(readFileSync(file, "utf8")));
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-C", dir, ...args], {
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    },
  });
}

/**
 * Scratch copies of the example and temporary directories for one test file, removed after each of
 * its tests (call it at the top of the file).
 */
export function scratchSpace() {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    while (cleanups.length > 0) cleanups.pop()!();
  });
  return {
    scratch() {
      const copy = copyExample();
      cleanups.push(copy.cleanup);
      return copy;
    },
    tempDir(prefix: string): string {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
    onCleanup(cleanup: () => void): void {
      cleanups.push(cleanup);
    },
  };
}
