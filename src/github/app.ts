/**
 * The Probot application: `createApp(engine)` wires the real policy parser and the handlers.
 * Tests pass a fake Engine; production passes `defaultEngine` (src/index.ts).
 */
import type { ApplicationFunction } from "probot";
import type { Engine } from "../engine/api.js";
import { policyFromObject } from "../parse/policy.js";
import { registerHandlers, type AppOptions } from "./events.js";

export type { AppOptions } from "./events.js";

export function createApp(engine: Engine, options: AppOptions = {}): ApplicationFunction {
  return (app) => {
    registerHandlers(app, { engine, parsePolicy: policyFromObject }, options);
  };
}
