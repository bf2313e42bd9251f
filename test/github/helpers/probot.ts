/** A fresh Probot per test, as Probot's own template does: app auth with a throwaway key, no throttling. */
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { Probot, ProbotOctokit, type Logger } from "probot";
import type { Engine } from "../../../src/engine/index.js";
import { createApp, type AppOptions } from "../../../src/github/app.js";

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

export async function loadApp(engine: Engine, options: { retry?: boolean; app?: AppOptions } = {}): Promise<TestApp> {
  const logs: LogRecord[] = [];
  const sleeps: number[] = [];
  const probot = new Probot({
    appId: 123,
    privateKey,
    log: recordingLogger(logs),
    Octokit: ProbotOctokit.defaults((instanceOptions: Record<string, unknown>) => ({
      ...instanceOptions,
      retry: options.retry ? { enabled: true, retryAfterBaseValue: 1 } : { enabled: false },
      throttle: { enabled: false },
    })),
  });
  await probot.load(
    createApp(engine, {
      ...options.app,
      // Backoffs are recorded instead of waited; a test's own retry settings (a timeout) still apply.
      retry: {
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        ...options.app?.retry,
      },
    }),
  );
  return { probot, logs, sleeps };
}
