/** A fresh Probot per test, as Probot's own template does: app auth with a throwaway key, no throttling. */
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { Probot, ProbotOctokit, type Logger } from "probot";
import type { Engine } from "../../../src/engine/index.js";
import { createApp, type AppOptions } from "../../../src/github/app.js";
import { MemoryQueue } from "../../../src/github/queue/index.js";

export const privateKey = readFileSync(new URL("../../fixtures/github/test-private-key.pem", import.meta.url), "utf8");

export interface LogRecord {
  level: string;
  text: string;
}

/** A logger that keeps what it is given, to assert on warnings and on what is never logged. */
export function recordingLogger(records: LogRecord[]): Logger {
  const write =
    (level: string) =>
    (...args: unknown[]): void => {
      records.push({ level, text: args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 6 }))).join(" ") });
    };
  const logger = {
    level: "trace",
    trace: write("trace"),
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    fatal: write("fatal"),
    silent: () => {},
    child: () => logger,
  };
  return logger as unknown as Logger;
}

export interface TestApp {
  probot: Probot;
  logs: LogRecord[];
  sleeps: number[];
}

/** A Probot with app auth from the throwaway key; Probot's throttling off, its retry plugin off unless asked. */
export function testProbot(options: { log: Logger; retry?: boolean; secret?: string }): Probot {
  return new Probot({
    appId: 123,
    privateKey,
    log: options.log,
    ...(options.secret ? { secret: options.secret } : {}),
    Octokit: ProbotOctokit.defaults((instanceOptions: Record<string, unknown>) => ({
      ...instanceOptions,
      retry: options.retry ? { enabled: true, retryAfterBaseValue: 1 } : { enabled: false },
      throttle: { enabled: false },
    })),
  });
}

/** Loads mx-guard into `probot`; backoffs go to `sleeps` instead of being waited (a test's own retry settings still apply). */
export async function loadMxGuard(probot: Probot, engine: Engine, app: AppOptions = {}, sleeps: number[] = []): Promise<void> {
  await probot.load(
    createApp(engine, {
      // One try per job: a test that makes a run fail sees the failure (deliver() rethrows it).
      queue: new MemoryQueue({ attempts: 1 }),
      ...app,
      retry: {
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        ...app.retry,
      },
    }),
  );
}

export async function loadApp(engine: Engine, options: { retry?: boolean; app?: AppOptions } = {}): Promise<TestApp> {
  const logs: LogRecord[] = [];
  const sleeps: number[] = [];
  const probot = testProbot({ log: recordingLogger(logs), retry: options.retry });
  await loadMxGuard(probot, engine, options.app, sleeps);
  return { probot, logs, sleeps };
}
