/**
 * Helpers for the deployment tests: a small Dockerfile reader, processes that are always stopped,
 * bounded waits, free loopback ports and scratch git repositories of the example.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const EXAMPLE = join(ROOT, "examples/campaign-repo");

// ---- Dockerfile -------------------------------------------------------------------------------

export interface Instruction {
  keyword: string;
  /** The arguments as written (continuation lines joined). */
  args: string;
  line: number;
}

export interface Stage {
  image: string;
  name: string | null;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARG instructions before the first FROM. */
  globalArgs: Record<string, string>;
  stages: Stage[];
}

/** Parses the subset of Dockerfile syntax this repository uses (no heredocs, default escape). */
export function parseDockerfile(text: string): Dockerfile {
  const result: Dockerfile = { globalArgs: {}, stages: [] };
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      i += 1;
      const next = lines[i]!;
      line = line.replace(/\\\s*$/, " ") + (/^\s*#/.test(next) ? "" : next);
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) throw new Error(`Dockerfile line ${start + 1}: cannot read ${JSON.stringify(line)}`);
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim().replace(/\s+/g, " ");
    if (keyword === "FROM") {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`Dockerfile line ${start + 1}: bad FROM`);
      result.stages.push({ image: from[1]!, name: from[2] ?? null, instructions: [] });
    } else if (result.stages.length === 0) {
      if (keyword !== "ARG") throw new Error(`Dockerfile line ${start + 1}: ${keyword} before FROM`);
      const [name, value = ""] = args.split("=");
      result.globalArgs[name!] = value;
    } else {
      result.stages.at(-1)!.instructions.push({ keyword, args, line: start + 1 });
    }
  }
  return result;
}

export function readDockerfile(): Dockerfile {
  return parseDockerfile(readFileSync(join(ROOT, "Dockerfile"), "utf8"));
}

export function instructions(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** The exec (JSON) form of CMD / ENTRYPOINT / HEALTHCHECK CMD. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === "string")) throw new Error(`not an exec form: ${args}`);
  return parsed as string[];
}

/** ENV both as `K=V K2=V2` and as `K V`. Values here carry no spaces or quotes. */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of instructions(stage, "ENV")) {
    if (!args.includes("=")) {
      const [k, ...v] = args.split(" ");
      env[k!] = v.join(" ");
      continue;
    }
    for (const pair of args.split(" ")) {
      const at = pair.indexOf("=");
      env[pair.slice(0, at)] = pair.slice(at + 1).replace(/^"(.*)"$/, "$1");
    }
  }
  return env;
}

export interface Copy {
  from: string | null;
  sources: string[];
  destination: string;
  line: number;
}

export function copiesOf(stage: Stage): Copy[] {
  return instructions(stage, "COPY").map(({ args, line }) => {
    const words = args.split(" ");
    let from: string | null = null;
    while (words[0]?.startsWith("--")) {
      const flag = words.shift()!;
      if (flag.startsWith("--from=")) from = flag.slice("--from=".length);
    }
    const destination = words.pop()!;
    return { from, sources: words, destination, line };
  });
}

/** The HEALTHCHECK's command (exec form), without its options. */
export function healthcheckCommand(stage: Stage): string[] {
  const [check] = instructions(stage, "HEALTHCHECK");
  if (!check) throw new Error("no HEALTHCHECK");
  const at = check.args.indexOf("CMD ");
  return execForm(check.args.slice(at + "CMD ".length));
}

/** A .dockerignore pattern list (comments and blanks dropped). */
export function readDockerignore(): string[] {
  return readFileSync(join(ROOT, ".dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** Whether .dockerignore leaves `path` out of the build context (last matching rule wins). */
export function ignoredByDockerignore(patterns: string[], path: string): boolean {
  const clean = path.replace(/^\.\//, "").replace(/\/$/, "");
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith("!");
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\//, "").replace(/\/$/, "");
    const regex = new RegExp(
      `^${pattern
        .split("")
        .map((ch) => (ch === "*" ? "[^/]*" : ch === "?" ? "[^/]" : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join("")}(/.*)?$`,
    );
    if (regex.test(clean)) ignored = !negate;
  }
  return ignored;
}

// ---- processes --------------------------------------------------------------------------------

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

export function start(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): Started {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolvePromise) => {
    child.on("exit", (code) => {
      running.delete(child);
      resolvePromise(code);
    });
    child.on("error", () => {
      running.delete(child);
      resolvePromise(null);
    });
  });
  return { child, output: () => output, exited };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stop(started: Started, graceMs = 5_000): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await started.exited;
  clearTimeout(timer);
}

/** Every process still running (a safety net for afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map((child) => {
      child.kill("SIGKILL");
      return new Promise<void>((r) => (child.exitCode !== null ? r() : child.once("exit", () => r())));
    }),
  );
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `probe` until it returns a value, for at most `ms`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
}

/** One loopback port finder for every suite that starts servers. */
export { freePort } from "../e2e/harness.js";

/** The environment child processes get: PATH and HOME only, plus what the test sets. */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? tmpdir(), ...extra };
}

// ---- git --------------------------------------------------------------------------------------

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-C", dir, ...args], {
    encoding: "utf8",
    env: cleanEnv({
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
    }),
  });
}

export const RULES = "campaign/mx-rules.yaml";
export const GMAIL_QUOTA = 'messagesPerHour: "60,000"';
export const CUT_QUOTA = 'messagesPerHour: "6,000"';

/**
 * A git repository holding the example on `main` (commit 1) and, on branch `change`, the same with
 * Gmail's hourly quota cut tenfold (commit 2). `refs/remotes/origin/main` points at commit 1, as
 * after `actions/checkout` with fetch-depth: 0.
 */
export function exampleRepository(): { dir: string; base: string; head: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "mx-guard-deploy-git-"));
  cpSync(EXAMPLE, dir, { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "example");
  const base = git(dir, "rev-parse", "HEAD").trim();
  git(dir, "update-ref", "refs/remotes/origin/main", base);
  git(dir, "checkout", "-q", "-b", "change");
  const file = join(dir, RULES);
  const text = readFileSync(file, "utf8");
  if (!text.includes(GMAIL_QUOTA)) throw new Error(`${RULES} no longer has ${GMAIL_QUOTA}`);
  writeFileSync(file, text.replace(GMAIL_QUOTA, CUT_QUOTA));
  git(dir, "commit", "-q", "-am", "cut the Gmail quota");
  const head = git(dir, "rev-parse", "HEAD").trim();
  return { dir, base, head, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
