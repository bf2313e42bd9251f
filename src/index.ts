/**
 * Probot entry point: `probot run ./lib/index.js` (npm start). The server runs the engine in worker
 * threads (engine/pool.ts) so that one hostile pull request never stalls the other webhooks.
 * MX_GUARD_ENGINE_WORKERS, MX_GUARD_ENGINE_DEADLINE_MS and MX_GUARD_ENGINE_HEAP_MB tune the pool.
 * Webhooks are answered at once and their runs queued (github/queue/, docs/replicas.md).
 */
import { createEnginePool } from "./engine/pool.js";
import { createApp } from "./github/app.js";
import { DEFAULT_RECONCILE, type ReconcileOptions } from "./github/reconcile.js";
import { webhookSecretProblem } from "./github/webhook-secret.js";

// Probot's setup page (no APP_ID yet) never loads this module, so registration still works.
const secretProblem = webhookSecretProblem(process.env);
if (secretProblem !== null) {
  process.stderr.write(`mx-guard: ${secretProblem}\n`);
  process.exit(1);
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, not "${raw}"`);
  return value;
}

function reconcileFromEnv(): { reconcile?: ReconcileOptions } {
  const raw = process.env.MX_GUARD_RECONCILE_MINUTES?.trim();
  if (raw === "0") return {};
  const minutes = raw ? positive("MX_GUARD_RECONCILE_MINUTES", 15) : DEFAULT_RECONCILE.intervalMs / 60_000;
  // MX_GUARD_RECONCILE_DELAY_MS: time from start-up to the first round (default 30 s; tests shorten it).
  const firstDelayMs = positive("MX_GUARD_RECONCILE_DELAY_MS", DEFAULT_RECONCILE.firstDelayMs);
  return { reconcile: { ...DEFAULT_RECONCILE, intervalMs: minutes * 60_000, firstDelayMs } };
}

export default createApp(
  createEnginePool({
    size: positive("MX_GUARD_ENGINE_WORKERS", 2),
    deadlineMs: positive("MX_GUARD_ENGINE_DEADLINE_MS", 20_000),
    maxHeapMb: positive("MX_GUARD_ENGINE_HEAP_MB", 512),
  }),
  // A run done within MX_GUARD_QUICK_CHECK_MS creates its check run already completed (one request).
  // MX_GUARD_RECONCILE_MINUTES (default 15, 0 = off): open pull requests without a completed check are run.
  {
    mergeBase: true,
    pacing: { quickMs: positive("MX_GUARD_QUICK_CHECK_MS", 5_000) },
    ...reconcileFromEnv(),
  },
);
