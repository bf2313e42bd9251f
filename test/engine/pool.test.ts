/**
 * The engine in worker threads (src/engine/pool.ts), run from the build (lib/): same answers as in
 * process; a review that holds its worker past the deadline is cut off with the numbers, while the
 * caller's event loop stays free, and its worker is replaced.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BudgetExceeded, createEnginePool, type PooledEngine } from "../../src/engine/pool.js";
import { parsePolicy, reviewChange } from "../../src/engine/index.js";
import type { FileMap } from "../../src/model/source.js";

const ROOT = join(import.meta.dirname, "../..");
const WORKER = new URL("../../lib/engine/pool-worker.js", import.meta.url);
if (!existsSync(WORKER)) throw new Error("lib/engine/pool-worker.js is missing: run `npm run build` first (npm test does)");

const EXAMPLE = join(ROOT, "examples/campaign-repo");
const POLICY_TEXT = readFileSync(join(EXAMPLE, ".github/mx-guard.yml"), "utf8");
const parsed = parsePolicy(POLICY_TEXT, ".github/mx-guard.yml");
if (!parsed.ok) throw new Error("example policy does not parse");
const policy = parsed.value;

function exampleFiles(dir = EXAMPLE): FileMap {
  const files: FileMap = {};
  for (const path of [
    "campaign/serverConf.xml",
    "campaign/config-prod.xml",
    "campaign/mx-rules.yaml",
    "campaign/traffic.yaml",
    "campaign/providers.yaml",
  ]) {
    const full = join(dir, path);
    files[path] = existsSync(full) ? readFileSync(full, "utf8") : null;
  }
  return files;
}

/** A worker that holds its thread for policy.holdMs before it answers (test/engine/fixtures/slow-worker.mjs). */
const SLOW_WORKER = new URL("./fixtures/slow-worker.mjs", import.meta.url);
const hold = (holdMs: number) => ({ ...policy, holdMs }) as typeof policy;

const pools: PooledEngine[] = [];
function pool(options: Parameters<typeof createEnginePool>[0] = {}): PooledEngine {
  const created = createEnginePool({ workerUrl: WORKER, ...options });
  pools.push(created);
  return created;
}
afterAll(async () => {
  for (const p of pools) await p.close();
});

describe("the engine pool", () => {
  it("answers what the in-process engine answers", async () => {
    const base = exampleFiles();
    const head = exampleFiles(join(ROOT, "examples/campaign-repo-pr"));
    const pooled = await pool().reviewChange(base, head, policy);
    const direct = reviewChange(base, head, policy);
    expect(pooled.conclusion).toBe(direct.conclusion);
    expect(pooled.check).toEqual(direct.check);
    expect(pooled.comments).toEqual(direct.comments);
    expect(pooled.counts).toEqual(direct.counts);
  });

  it("stops a review past its deadline with the budget in the message, keeps the loop free meanwhile, and serves the next review", async () => {
    const engine = pool({ size: 1, deadlineMs: 1_500, workerUrl: SLOW_WORKER });
    let last = Date.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      const now = Date.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 20);
    const started = Date.now();
    const outcome = await engine.reviewChange(exampleFiles(), exampleFiles(), hold(10_000)).then(
      () => null,
      (error: unknown) => error,
    );
    clearInterval(ticker);
    expect(outcome).toBeInstanceOf(BudgetExceeded);
    expect((outcome as Error).message).toBe(
      "the simulation did not finish within its 2 s budget and was stopped: the configuration is too large to simulate within the budget",
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    // Run in this thread, the review would have held the loop for the whole 1.5 s.
    expect(longestGap).toBeLessThan(750);
    // The stuck worker was replaced: the next review is answered.
    const next = await engine.reviewChange(exampleFiles(), exampleFiles(), hold(10));
    expect(next).toMatchObject({ conclusion: "success", held: 10 });
  });

  it("refuses work once closed", async () => {
    const engine = pool();
    await engine.close();
    await expect(engine.reviewChange(exampleFiles(), exampleFiles(), policy)).rejects.toThrow("the engine pool is closed");
  });
});
