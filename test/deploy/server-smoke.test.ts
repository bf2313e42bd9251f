/**
 * The Docker runtime stage without Docker: a scratch directory laid out as the Dockerfile's
 * runtime stage lays out /app (the same COPY list, lib/ from `npm run build`, and only the
 * production dependency tree npm would install with --omit=dev), started with the Dockerfile's
 * CMD and ENV. It must answer /ping, accept a signed webhook, refuse a forged one, pass the
 * Dockerfile's own HEALTHCHECK command, and refuse to start without credentials in production.
 * Bound to 127.0.0.1 (HOST is overridden: the container default 0.0.0.0 is checked statically).
 */
import { spawnSync } from "node:child_process";
import { createHmac, generateKeyPairSync, randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ROOT,
  cleanEnv,
  copiesOf,
  envOf,
  execForm,
  freePort,
  healthcheckCommand,
  instructions,
  readDockerfile,
  start,
  stop,
  stopAll,
  waitFor,
  withTimeout,
  type Started,
} from "./helpers.js";

const dockerfile = readDockerfile();
const runtime = dockerfile.stages.at(-1)!;
const buildStage = dockerfile.stages[0]!;
const imageEnv = envOf(runtime);
const cmd = execForm(instructions(runtime, "CMD")[0]!.args);
const WORKDIR = instructions(runtime, "WORKDIR")[0]!.args;
const BUILD_WORKDIR = instructions(buildStage, "WORKDIR")[0]!.args;

const secret = randomBytes(16).toString("hex");
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

let dir: string;
let port: number;
let server: Started;

/** The production dependency tree, as `npm ls --omit=dev` resolves it from the lock file. */
function productionPackages(): string[] {
  const ls = spawnSync("npm", ["ls", "--omit=dev", "--all", "--parseable"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  if (ls.status !== 0) throw new Error(`npm ls --omit=dev failed: ${ls.stderr}`);
  return ls.stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith(join(ROOT, "node_modules")));
}

/** Lays out /app of the runtime stage in `target`. */
function layOutRuntimeStage(target: string): void {
  for (const copy of copiesOf(runtime)) {
    const destination = join(
      target,
      relative(WORKDIR, copy.destination.startsWith("/") ? copy.destination : join(WORKDIR, copy.destination)),
    );
    for (const source of copy.sources) {
      // `COPY --from=build /app/lib ./lib`: lib/ here is what `npm run build` wrote.
      const from = copy.from === null ? join(ROOT, source) : join(ROOT, relative(BUILD_WORKDIR, source));
      const to = copy.destination.endsWith("/") ? join(destination, source.split("/").at(-1)!) : destination;
      if (!existsSync(from)) throw new Error(`COPY source ${from} is missing (did \`npm run build\` run?)`);
      cpSync(from, to, { recursive: true });
    }
  }
  for (const pkgDir of productionPackages()) {
    const to = join(target, relative(ROOT, pkgDir));
    if (existsSync(to)) continue; // nested inside a package copied already
    mkdirSync(join(to, ".."), { recursive: true });
    cpSync(pkgDir, to, { recursive: true, dereference: true });
  }
}

function serverEnv(extra: Record<string, string> = {}): Record<string, string> {
  return cleanEnv({
    ...imageEnv,
    APP_ID: "123456",
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: secret,
    PORT: String(port),
    // The image listens on 0.0.0.0; on this machine everything stays on loopback.
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    ...extra,
  });
}

function sign(body: string, key = secret): string {
  return `sha256=${createHmac("sha256", key).update(body).digest("hex")}`;
}

async function postWebhook(body: string, signature: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "ping",
      "x-github-delivery": "5f7a1e00-0000-4000-8000-000000000001",
      "x-hub-signature-256": signature,
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mx-guard-runtime-"));
  layOutRuntimeStage(dir);
  port = await freePort();
  server = start(cmd[0] === "node" ? process.execPath : cmd[0]!, cmd.slice(1), { cwd: dir, env: serverEnv() });
  await waitFor(
    async () => {
      if (server.child.exitCode !== null) throw new Error(`the server exited with ${server.child.exitCode}:\n${server.output()}`);
      const response = await fetch(`http://127.0.0.1:${port}/ping`, { signal: AbortSignal.timeout(1_000) });
      return response.ok ? true : undefined;
    },
    30_000,
    "the server to answer /ping",
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n--- server output ---\n${server.output()}`);
  });
}, 120_000);

afterAll(async () => {
  if (server) await stop(server);
  await stopAll();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the runtime stage, started with the Dockerfile's CMD", () => {
  it("holds the production dependencies and none of the development ones", () => {
    expect(existsSync(join(dir, "node_modules/probot/bin/probot.js"))).toBe(true);
    expect(existsSync(join(dir, "node_modules/ioredis"))).toBe(true);
    for (const dev of ["vitest", "nock", "typescript", "bun", "fast-check"])
      expect(existsSync(join(dir, "node_modules", dev)), dev).toBe(false);
    expect(existsSync(join(dir, "src")), "sources stay in the build stage").toBe(false);
    expect(existsSync(join(dir, "lib/index.js"))).toBe(true);
  });

  it("answers GET /ping with PONG", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/ping`, { signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("PONG");
  });

  it("runs the app, not Probot's setup (manifest registration) pages", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/probot/import`, { signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(404);
    expect(server.output()).toMatch(/Running Probot v14/);
  });

  it("accepts a ping webhook signed with WEBHOOK_SECRET", async () => {
    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1, hook: { type: "App", app_id: 123456 } });
    const response = await postWebhook(body, sign(body));
    expect(response.status).toBe(200);
  });

  it("refuses a webhook signed with another secret", async () => {
    const body = JSON.stringify({ zen: "forged" });
    const response = await postWebhook(body, sign(body, "not-the-secret"));
    expect(response.status).toBe(400);
  });

  it("passes the Dockerfile's HEALTHCHECK command, which fails when nothing answers", async () => {
    const argv = healthcheckCommand(runtime);
    const run = (p: number) =>
      spawnSync(process.execPath, argv.slice(1), { cwd: dir, env: cleanEnv({ PORT: String(p) }), timeout: 15_000, encoding: "utf8" });
    const healthy = run(port);
    expect(healthy.status, healthy.stderr).toBe(0);
    const closed = await freePort();
    expect(run(closed).status).toBe(1);
  });

  it("stops on SIGTERM (what tini forwards on `docker stop`) without needing SIGKILL", async () => {
    server.child.kill("SIGTERM");
    await withTimeout(server.exited, 5_000, "the server to stop on SIGTERM");
    expect(server.child.signalCode).toBe("SIGTERM");
  });

  it("refuses to start without an App ID in production (never the setup page)", async () => {
    const lonely = start(process.execPath, cmd.slice(1), {
      cwd: dir,
      env: serverEnv({ APP_ID: "", PRIVATE_KEY: "", PORT: String(await freePort()) }),
    });
    const code = await withTimeout(lonely.exited, 30_000, "the server without APP_ID to exit").finally(() => stop(lonely));
    expect(code).not.toBe(0);
    expect(lonely.output()).toMatch(/App ID is missing/i);
  });
});

describe("npm start, as a supervisor (systemd, foreman, a process manager) runs it", () => {
  it("starts Probot as npm's own child process, and stops it with the SIGTERM sent to npm", async () => {
    const startPort = await freePort();
    const npm = start("npm", ["start", "--silent"], {
      cwd: ROOT,
      env: cleanEnv({
        NODE_ENV: "production",
        APP_ID: "123456",
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: secret,
        PORT: String(startPort),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
      }),
    });
    const ping = () => fetch(`http://127.0.0.1:${startPort}/ping`, { signal: AbortSignal.timeout(1_000) });
    try {
      await waitFor(
        async () => {
          if (npm.child.exitCode !== null) throw new Error(`npm start exited with ${npm.child.exitCode}:\n${npm.output()}`);
          return (await ping()).ok ? true : undefined;
        },
        30_000,
        "npm start to answer /ping",
      );
      // No shell in between: a shell would die on npm's forwarded SIGTERM and leave Node serving.
      const children = spawnSync("ps", ["-o", "pid=,comm=,args=", "--ppid", String(npm.child.pid)], { encoding: "utf8" })
        .stdout.trim()
        .split("\n")
        .map((line) => line.trim().split(/\s+/));
      expect(children).toHaveLength(1);
      expect(children[0]![1]).toBe("node");
      expect(children[0]!.join(" ")).toContain("probot.js run ./lib/index.js");
      const serverPid = Number(children[0]![0]);

      npm.child.kill("SIGTERM");
      await withTimeout(npm.exited, 5_000, "npm start to exit on SIGTERM");
      await waitFor(
        async () => {
          try {
            process.kill(serverPid, 0);
            return undefined;
          } catch {
            return true;
          }
        },
        5_000,
        "the Probot process to exit after npm's SIGTERM",
      );
      await expect(ping()).rejects.toThrow();
    } finally {
      await stop(npm);
    }
  });
});
