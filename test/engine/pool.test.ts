/**
 * The engine in worker threads (src/engine/pool.ts), run from the build (lib/): same answers as in
 * process, a hostile review cut off at its deadline with the numbers, and the caller's event loop
 * free while a review runs.
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
  for (const path of ["campaign/serverConf.xml", "campaign/config-prod.xml", "campaign/mx-rules.yaml", "campaign/traffic.yaml", "campaign/providers.yaml"]) {
    const full = join(dir, path);
    files[path] = existsSync(full) ? readFileSync(full, "utf8") : null;
  }
  return files;
}

/** 100 IPs × 100 exclude masks of the slow shape × 200 long domains: tens of seconds in one thread. */
function hostileFiles(): FileMap {
  const masks = (ip: number) => Array.from({ length: 100 }, (_, k) => `*${"a".repeat(30)}b${ip}x${k}*`).join(",");
  const ips = Array.from({ length: 100 }, (_, i) => `<IP address="198.51.100.${i + 1}" publicId="${i + 1}" excludeDomains="${masks(i)}"/>`);
  const serverConf = `<serverconf><mta><child><smtp><IPAffinity name="default;marketing">${ips.join("")}</IPAffinity></smtp></child></mta></serverconf>`;
  const domains = Array.from({ length: 200 }, (_, k) => `      ${"a".repeat(200)}.x0y${k}.example: 1000`).join("\n");
  const traffic = `deliveries:\n  - name: hostile\n    start: 2026-11-27T08:00:00Z\n    affinity: marketing\n    recipients: 300000\n    domains:\n${domains}\n`;
  return { ...exampleFiles(), "campaign/serverConf.xml": serverConf, "campaign/config-prod.xml": "<serverconf/>", "campaign/traffic.yaml": traffic };
}

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
    const engine = pool({ size: 1, deadlineMs: 1_500 });
    let last = Date.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      const now = Date.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 20);
    const started = Date.now();
    const outcome = await engine.reviewChange(exampleFiles(), hostileFiles(), policy).then(
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
    const next = await engine.reviewChange(exampleFiles(), exampleFiles(), policy);
    expect(next.conclusion).toBe("success");
  });

  it("refuses work once closed", async () => {
    const engine = pool();
    await engine.close();
    await expect(engine.reviewChange(exampleFiles(), exampleFiles(), policy)).rejects.toThrow("the engine pool is closed");
  });
});
