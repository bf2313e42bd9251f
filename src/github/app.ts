/**
 * The Probot application: `createApp(engine)` wires the real policy parser and the handlers.
 * Tests pass a fake Engine; production passes `defaultEngine` (src/index.ts).
 */
import type { ApplicationFunction } from "probot";
import { policyFromObject, type Engine } from "../engine/index.js";
import { healthHandler } from "./coordination/index.js";
import { registerHandlers, type AppOptions } from "./events.js";
import { guardWebhookSignatures } from "./probot-patches/webhook-guard.js";

export type { AppOptions } from "./events.js";
export { queueOf } from "./events.js";

export function createApp(engine: Engine, options: AppOptions = {}): ApplicationFunction {
  return (app, appOptions) => {
    guardWebhookSignatures(app);
    const { coordinator } = registerHandlers(app, { engine, parsePolicy: policyFromObject }, options);
    try {
      // GET /mx-guard/health (docs/replicas.md). Probot without its HTTP server (tests) has none.
      appOptions?.addHandler(healthHandler(coordinator));
    } catch {
      // "No server instance"
    }
  };
}
