/**
 * A throwaway redis-server for tests: Debian's `redis-server` binary on 127.0.0.1, a free port,
 * no persistence (`--save '' --appendonly no`), a scratch directory. Every wait is bounded; the
 * process is registered and SIGKILLed on exit when a test forgets to stop it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, sleep, waitFor } from "../e2e/harness.js";

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export function redisServerBinary(): string {
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path) {
    throw new Error("redis-server is not installed (Debian: apt-get install -y redis-server); these tests need a real Redis");
  }
  return path;
}

export interface RedisServer {
  port: number;
  url: string;
  pid: number;
  /** SIGKILL, as a crash would; resolves once the process has exited. */
  kill(): Promise<void>;
  /** SIGKILL then wait; safe to call twice. */
  stop(): Promise<void>;
  /** Starts a fresh (empty) server on the same port after kill(). */
  restart(): Promise<void>;
  output(): string;
}

/** Answers true when a PING on a fresh connection gets +PONG within 500 ms. */
export function pingRedis(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let answer = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      answer += chunk.toString("utf8");
      if (answer.includes("\r\n")) done(answer.startsWith("+PONG"));
    });
  });
}

export async function startRedis(options: { port?: number } = {}): Promise<RedisServer> {
  const binary = redisServerBinary();
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), "mx-guard-redis-"));
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let output = "";

  const launch = async (): Promise<void> => {
    const proc = spawn(
      binary,
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        dir,
        "--protected-mode",
        "yes",
        "--loglevel",
        "warning",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    running.add(proc);
    proc.stdout?.setEncoding("utf8").on("data", (c: string) => (output += c));
    proc.stderr?.setEncoding("utf8").on("data", (c: string) => (output += c));
    exited = new Promise<void>((resolve) =>
      proc.once("exit", () => {
        running.delete(proc);
        resolve();
      }),
    );
    child = proc;
    await waitFor(
      `redis-server on 127.0.0.1:${port}`,
      async () => {
        if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}:\n${output}`);
        return pingRedis(port);
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
  };

  const kill = async (): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill("SIGKILL");
    await Promise.race([exited, sleep(5_000)]);
    child = null;
  };

  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.pid ?? -1;
    },
    kill,
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await kill();
      await launch();
    },
    output: () => output,
  };
}
