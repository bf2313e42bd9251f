/**
 * End-to-end harness: builds the app once when lib/ is stale, starts it as a real process with
 * the command users run (`probot run <app>`, under Node or Bun), talks to it over HTTP with
 * signed webhooks, and always stops it. The app reaches the fake GitHub through GHE_HOST.
 *
 * Every wait is bounded; every process is registered and killed at the end (and on exit).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { FakeGitHub, LoggedRequest } from "./fake-github/index.js";
import type { PullRequest } from "./fake-github/state.js";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const EXAMPLE_REPO = join(REPO_ROOT, "examples/campaign-repo");
export const SAMPLE_APP = join(REPO_ROOT, "test/e2e/sample-app/index.js");
export const REAL_APP = join(REPO_ROOT, "lib/index.js");

export type Runtime = "node" | "bun";

export function runtimeFromEnv(): Runtime {
  const value = (process.env.MX_GUARD_E2E_RUNTIME ?? "node").trim().toLowerCase();
  if (value !== "node" && value !== "bun") throw new Error(`MX_GUARD_E2E_RUNTIME must be "node" or "bun", not ${JSON.stringify(value)}`);
  return value;
}

// ---- build ------------------------------------------------------------------------------------

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function newestSourceMtime(): number {
  return Math.max(
    newestMtime(join(REPO_ROOT, "src")),
    statSync(join(REPO_ROOT, "tsconfig.json")).mtimeMs,
    statSync(join(REPO_ROOT, "tsconfig.build.json")).mtimeMs,
  );
}

/**
 * tsc emits lib/ even when the build fails, so a failed build is remembered (outside the repo)
 * until the sources change: the next run builds again and fails the same way instead of running
 * the half-checked output.
 */
const FAILED_BUILD_STAMP = join(tmpdir(), `mx-guard-e2e-build-failed-${createHash("sha1").update(REPO_ROOT).digest("hex").slice(0, 12)}`);

/** True when lib/index.js is missing, older than a file under src/ or a tsconfig, or failed to build. */
export function libIsStale(): boolean {
  if (!existsSync(REAL_APP)) return true;
  const sources = newestSourceMtime();
  if (existsSync(FAILED_BUILD_STAMP) && readFileSync(FAILED_BUILD_STAMP, "utf8") === String(sources)) return true;
  return sources > statSync(REAL_APP).mtimeMs;
}

/** `npm run build` when lib/ is stale (set MX_GUARD_E2E_SKIP_BUILD=1 to use lib/ as it is). */
export function ensureBuilt(): void {
  if (process.env.MX_GUARD_E2E_SKIP_BUILD === "1") {
    if (!existsSync(REAL_APP)) throw new Error(`MX_GUARD_E2E_SKIP_BUILD=1 but ${REAL_APP} does not exist`);
    return;
  }
  if (!libIsStale()) return;
  const sources = newestSourceMtime();
  const result = spawnSync("npm", ["run", "build"], { cwd: REPO_ROOT, encoding: "utf8", timeout: 180_000 });
  if (result.status !== 0 || !existsSync(REAL_APP)) {
    writeFileSync(FAILED_BUILD_STAMP, String(sources));
    throw new Error(
      `npm run build failed (status ${result.status}${result.error ? `, ${result.error.message}` : ""}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  rmSync(FAILED_BUILD_STAMP, { force: true });
}

// ---- keys, ports ------------------------------------------------------------------------------

let cachedKey: { privateKeyPem: string; publicKeyPem: string } | null = null;

/** A throwaway RSA key pair for this test process (PKCS#1, like the .pem GitHub hands out). */
export function testAppKey(): { privateKeyPem: string; publicKeyPem: string } {
  if (!cachedKey) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    cachedKey = { privateKeyPem: privateKey, publicKeyPem: publicKey };
  }
  return cachedKey;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

// ---- waiting ----------------------------------------------------------------------------------

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `probe` until it returns a truthy value; throws after `timeoutMs` naming `what`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  options: { timeoutMs?: number; intervalMs?: number; onTimeout?: () => string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${options.onTimeout ? `\n${options.onTimeout()}` : ""}`);
    }
    await sleep(options.intervalMs ?? 50);
  }
}

/** Resolves once the fake has seen no request for `quietMs`, counted from now at the earliest. */
export async function waitForQuiet(fake: FakeGitHub, quietMs = 1_500, timeoutMs = 20_000): Promise<void> {
  const since = Date.now();
  await waitFor(`${quietMs} ms without API calls`, () => Date.now() - Math.max(fake.lastRequestAt, since) >= quietMs, {
    timeoutMs,
    intervalMs: 100,
  });
}

// ---- the app process --------------------------------------------------------------------------

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export interface AppProcess {
  runtime: Runtime;
  pid: number;
  port: number;
  baseUrl: string;
  webhookUrl: string;
  secret: string;
  appId: number;
  stdout(): string;
  stderr(): string;
  /** stdout + stderr lines that parse as JSON (pino, LOG_FORMAT=json). */
  logRecords(): Record<string, unknown>[];
  /** Stops the process (SIGTERM, then SIGKILL after 5 s); safe to call twice. */
  stop(): Promise<void>;
  exitCode(): number | null;
}

export interface StartOptions {
  fake: FakeGitHub;
  /** Absolute path of the Probot app module (lib/index.js or the sample app). */
  appPath: string;
  runtime?: Runtime;
  appId?: number;
  slug?: string;
  installationId?: number;
  installationAccount?: string;
  logLevel?: string;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

function runtimeCommand(runtime: Runtime): string {
  if (runtime === "bun") {
    const bun = join(REPO_ROOT, "node_modules/.bin/bun");
    if (!existsSync(bun)) throw new Error(`Bun is not installed at ${bun}`);
    return bun;
  }
  // Under a Bun-run test runner, process.execPath is bun: use the node on PATH then.
  return process.versions.bun ? "node" : process.execPath;
}

export async function startApp(options: StartOptions): Promise<AppProcess> {
  const runtime = options.runtime ?? runtimeFromEnv();
  const appId = options.appId ?? 1;
  const installationId = options.installationId ?? 42;
  const { privateKeyPem, publicKeyPem } = testAppKey();
  options.fake.registerApp({ id: appId, slug: options.slug ?? "mx-guard", publicKeyPem });
  options.fake.addInstallation(installationId, options.installationAccount ?? "acme");

  const port = await freePort();
  const secret = `e2e-secret-${randomUUID()}`;
  // A scratch working directory: no .env, bunfig or package.json "probot.apps" of the
  // developer's checkout can change what runs (probot and Bun both read .env from cwd).
  const cwd = mkdtempSync(join(tmpdir(), "mx-guard-e2e-"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? cwd,
    APP_ID: String(appId),
    PRIVATE_KEY: privateKeyPem,
    WEBHOOK_SECRET: secret,
    PORT: String(port),
    HOST: "127.0.0.1",
    GHE_HOST: options.fake.host,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: options.logLevel ?? process.env.MX_GUARD_E2E_LOG_LEVEL ?? "warn",
    LOG_FORMAT: "json",
    NODE_ENV: "production",
    // The periodic reconcile is off unless a test turns it on (reconcile.test.ts, with a short delay).
    MX_GUARD_RECONCILE_MINUTES: "0",
    ...options.env,
  };
  const probotBin = join(REPO_ROOT, "node_modules/probot/bin/probot.js");
  const child = spawn(runtimeCommand(runtime), [probotBin, "run", options.appPath], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let exit: number | null = null;
  const exited = new Promise<void>((resolveExit) => {
    child.once("exit", (code, signal) => {
      exit = code ?? (signal ? 128 : 0);
      running.delete(child);
      resolveExit();
    });
  });
  child.once("error", (error) => {
    stderr += `\n[harness] spawn error: ${error.message}`;
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      if (exit === null) {
        child.kill("SIGTERM");
        const killed = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
        if (!killed) {
          child.kill("SIGKILL");
          await Promise.race([exited, sleep(5_000)]);
        }
      }
      rmSync(cwd, { recursive: true, force: true });
    }
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const app: AppProcess = {
    runtime,
    pid: child.pid ?? -1,
    port,
    baseUrl,
    webhookUrl: `${baseUrl}/api/github/webhooks`,
    secret,
    appId,
    stdout: () => stdout,
    stderr: () => stderr,
    logRecords: () =>
      `${stdout}\n${stderr}`
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    stop,
    exitCode: () => exit,
  };

  try {
    await waitFor(
      `the app (${runtime}) to answer /ping`,
      async () => {
        if (exit !== null) throw new Error(`the app exited with ${exit} before it answered /ping\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        try {
          const response = await fetch(`${baseUrl}/ping`, { signal: AbortSignal.timeout(1_000) });
          return response.ok && (await response.text()).trim() === "PONG";
        } catch {
          return false;
        }
      },
      { timeoutMs: options.startTimeoutMs ?? 30_000, intervalMs: 100, onTimeout: () => `stdout:\n${stdout}\nstderr:\n${stderr}` },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return app;
}

// ---- webhooks ---------------------------------------------------------------------------------

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

export interface WebhookResult {
  status: number;
  text: string;
  durationMs: number;
  deliveryId: string;
}

export async function sendWebhook(
  app: AppProcess,
  options: { event: string; payload: unknown; deliveryId?: string; signature?: string; timeoutMs?: number },
): Promise<WebhookResult> {
  const body = JSON.stringify(options.payload);
  const deliveryId = options.deliveryId ?? randomUUID();
  const started = Date.now();
  const response = await fetch(app.webhookUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/e2e",
      "x-github-event": options.event,
      "x-github-delivery": deliveryId,
      "x-github-hook-id": "1",
      "x-github-hook-installation-target-type": "integration",
      "x-github-hook-installation-target-id": String(app.appId),
      "x-hub-signature-256": options.signature ?? sign(app.secret, body),
    },
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
  });
  return { status: response.status, text: await response.text(), durationMs: Date.now() - started, deliveryId };
}

// ---- payloads ---------------------------------------------------------------------------------

interface ExampleGroup {
  name: string;
  examples: Record<string, unknown>[];
}

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as ExampleGroup[];

/** A deep copy of the first community example of `event` with `action` that has an installation. */
export function exampleEvent(event: string, action: string): Record<string, unknown> {
  const group = examples.find((g) => g.name === event);
  const example =
    group?.examples.find((e) => e.action === action && e.installation !== undefined) ?? group?.examples.find((e) => e.action === action);
  if (!example) throw new Error(`@octokit/webhooks-examples has no ${event}.${action} example`);
  return structuredClone(example);
}

type Json = Record<string, unknown>;

function patchRepo(target: unknown, pull: PullRequest, which: "base" | "head" = "base"): void {
  if (!target || typeof target !== "object") return;
  const repo = target as Json;
  const owner = (repo.owner ?? {}) as Json;
  const source = which === "head" && pull.headRepo ? pull.headRepo : pull.repo;
  repo.id = source.id;
  repo.node_id = Buffer.from(`Repository:${source.id}`).toString("base64");
  repo.name = source.name;
  repo.full_name = `${source.owner.login}/${source.name}`;
  repo.default_branch = source.defaultBranch;
  repo.private = false;
  repo.fork = source !== pull.repo;
  repo.owner = {
    ...owner,
    login: source.owner.login,
    id: source.owner.id,
    type: source === pull.repo ? "Organization" : "User",
  };
}

/**
 * A `pull_request` webhook for `pull` (its current base/head), built from the community example
 * and patched so every repository, owner, installation, number and SHA matches the fake.
 */
export function pullRequestEvent(action: string, pull: PullRequest, options: { installationId?: number; before?: string } = {}): Json {
  const payload = exampleEvent("pull_request", action === "synchronize" || action === "opened" ? action : "opened");
  payload.action = action;
  payload.number = pull.number;
  payload.installation = {
    id: options.installationId ?? 42,
    node_id: Buffer.from(`Installation:${options.installationId ?? 42}`).toString("base64"),
  };
  patchRepo(payload.repository, pull);
  delete payload.organization;
  const pr = payload.pull_request as Json;
  pr.number = pull.number;
  pr.id = pull.id;
  pr.state = pull.state;
  pr.draft = pull.draft;
  pr.title = pull.title;
  pr.user = { ...((pr.user ?? {}) as Json), login: pull.user.login, id: pull.user.id, type: "User" };
  const head = pr.head as Json;
  const base = pr.base as Json;
  head.sha = pull.headSha;
  head.ref = pull.headRef;
  head.label = `${(pull.headRepo ?? pull.repo).owner.login}:${pull.headRef}`;
  base.sha = pull.baseSha;
  base.ref = pull.baseRef;
  base.label = `${pull.repo.owner.login}:${pull.baseRef}`;
  patchRepo(head.repo, pull, "head");
  patchRepo(base.repo, pull);
  if (action === "synchronize") {
    payload.before = options.before ?? pull.headHistory[pull.headHistory.length - 2] ?? pull.baseSha;
    payload.after = pull.headSha;
  } else {
    delete payload.before;
    delete payload.after;
  }
  return payload;
}

/**
 * A `check_run.rerequested` webhook (the "Re-run" button) for `run` on `pull`'s repository.
 * `pull_requests` is empty when `listPulls` is false, as GitHub sends it for pull requests
 * from forks.
 */
export function checkRunRerequestedEvent(
  run: { id: number; name: string; headSha: string; externalId: string | null; appId: number },
  pull: PullRequest,
  options: { installationId?: number; listPulls?: boolean } = {},
): Json {
  const payload = exampleEvent("check_run", "rerequested");
  payload.installation = {
    id: options.installationId ?? 42,
    node_id: Buffer.from(`Installation:${options.installationId ?? 42}`).toString("base64"),
  };
  patchRepo(payload.repository, pull);
  delete payload.organization;
  const checkRun = payload.check_run as Json;
  checkRun.id = run.id;
  checkRun.name = run.name;
  checkRun.head_sha = run.headSha;
  checkRun.external_id = run.externalId ?? "";
  checkRun.status = "completed";
  checkRun.app = { ...((checkRun.app ?? {}) as Json), id: run.appId };
  const suite = (checkRun.check_suite ?? {}) as Json;
  suite.head_sha = run.headSha;
  checkRun.check_suite = suite;
  const repoRef = {
    id: pull.repo.id,
    name: pull.repo.name,
    url: `https://example.invalid/repos/${pull.repo.owner.login}/${pull.repo.name}`,
  };
  checkRun.pull_requests =
    options.listPulls === false
      ? []
      : [
          {
            id: pull.id,
            number: pull.number,
            url: "",
            head: { ref: pull.headRef, sha: pull.headSha, repo: repoRef },
            base: { ref: pull.baseRef, sha: pull.baseSha, repo: repoRef },
          },
        ];
  return payload;
}

// ---- API call accounting ----------------------------------------------------------------------

/** Calls per route ("POST /repos/{owner}/{repo}/check-runs" → 1), in first-seen order. */
export function callCounts(requests: LoggedRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of requests) counts.set(r.route, (counts.get(r.route) ?? 0) + 1);
  return counts;
}

export function formatCallCounts(title: string, requests: LoggedRequest[]): string {
  const lines = [...callCounts(requests)].map(([route, n]) => `  ${String(n).padStart(3)}  ${route}`);
  return `${title}: ${requests.length} API calls\n${lines.join("\n")}`;
}

/** Secrets that must never show up in the app's output. */
export function leakedSecrets(app: AppProcess, fake: FakeGitHub): string[] {
  const output = `${app.stdout()}\n${app.stderr()}`;
  const { privateKeyPem } = testAppKey();
  const keyLines = privateKeyPem.split("\n").filter((line) => line.length >= 40 && !line.startsWith("-----"));
  const leaks: string[] = [];
  if (output.includes(app.secret)) leaks.push("WEBHOOK_SECRET");
  if (keyLines.some((line) => output.includes(line))) leaks.push("PRIVATE_KEY material");
  for (const token of fake.issuedTokens()) if (output.includes(token)) leaks.push(`installation token ${token.slice(0, 8)}…`);
  const credentials = new Set(
    fake.requests.map((r) => /^(?:token|bearer)\s+(\S+)$/i.exec(r.headers.authorization ?? "")?.[1]).filter((c): c is string => !!c),
  );
  for (const credential of credentials) if (output.includes(credential)) leaks.push(`credential ${credential.slice(0, 8)}…`);
  return leaks;
}
