/**
 * A small logger for the shells that run without Probot (the Action, `mx-guard review`): one line
 * per message on the given writer, `mx-guard <level>: <message>` followed by the fields as JSON.
 * Messages below `level` are dropped.
 */
import type { Log } from "./types.js";

const LEVELS = ["debug", "info", "warn", "error"] as const;
type Level = (typeof LEVELS)[number];

/** "trace" and "debug" show everything, "silent" nothing; an unknown name means "info". */
export function consoleLog(level: string, write: (line: string) => void): Log {
  const threshold =
    level === "trace" ? 0 : level === "silent" || level === "fatal" ? LEVELS.length : Math.max(0, LEVELS.indexOf(level as Level));
  const at =
    (name: Level) =>
    (fields: Record<string, unknown>, message: string): void => {
      if (LEVELS.indexOf(name) < threshold) return;
      const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
      write(`mx-guard ${name}: ${message}${extra}\n`);
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
