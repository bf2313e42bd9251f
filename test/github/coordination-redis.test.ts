/**
 * RedisCoordinator against a real redis-server (Debian's `redis-server`, started here on a free
 * loopback port, no persistence, killed in afterAll). Two coordinators with their own connections
 * play two replicas. Also: Redis unreachable from the start, and Redis killed in the middle of a run.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeliveryClaim } from "../../src/github/coordination/coordinator.js";
import { RedisCoordinator, redisAddress } from "../../src/github/coordination/redis.js";
import { freePort, sleep, waitFor } from "../e2e/harness.js";
import { startRedis, type RedisServer } from "../replicas/redis-server.js";
import { recordingLogger, type LogRecord } from "./helpers/probot.js";

let server: RedisServer;
const coordinators: RedisCoordinator[] = [];
let inspector: Redis;

const A = "a".repeat(40);
const B = "b".repeat(40);
const X = "9".repeat(40);
let prNumber = 0;
function newPull() {
  prNumber += 1;
  return { owner: "acme", repo: "config", number: prNumber };
}

function replica(options: { leaseMs?: number; busyWaitMs?: number; lockWaitMs?: number; url?: string } = {}) {
  const logs: LogRecord[] = [];
  const coordinator = new RedisCoordinator({
    url: options.url ?? server.url,
    log: recordingLogger(logs),
    leaseMs: 600,
    busyWaitMs: 3_000,
    lockWaitMs: 5_000,
    ...options,
  });
  coordinators.push(coordinator);
  return { coordinator, logs };
}

function claimed(claim: DeliveryClaim) {
  if (claim.kind !== "claimed") throw new Error(`expected a claim, got ${claim.kind}`);
  return claim.lease;
}

beforeAll(async () => {
  server = await startRedis();
  inspector = new Redis(server.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
  await inspector.connect();
});

afterAll(async () => {
  for (const c of coordinators) await c.close();
  inspector?.disconnect();
  await server?.stop();
});

describe("RedisCoordinator: leader lease", () => {
  it("lets one replica lead a role until its lease runs out; the holder renews it", async () => {
    const one = replica();
    const two = replica();
    const role = `reconcile-${Date.now()}`;
    expect(await one.coordinator.lead(role, 400)).toBe(true);
    expect(await two.coordinator.lead(role, 400)).toBe(false);
    expect(await one.coordinator.lead(role, 400)).toBe(true);
    await sleep(600);
    expect(await two.coordinator.lead(role, 400)).toBe(true);
    expect(await one.coordinator.lead(role, 400)).toBe(false);
  });
});

describe("RedisCoordinator: deliveries", () => {
  it("hands a delivery to one replica; the other waits, then sees it done", async () => {
    const one = replica();
    const two = replica();
    const lease = claimed(await one.coordinator.claimDelivery("d-1"));
    const started = Date.now();
    const second = two.coordinator.claimDelivery("d-1");
    await sleep(300);
    await lease.complete();
    expect((await second).kind).toBe("duplicate");
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(await inspector.get("mx-guard:delivery:d-1")).toBe("done");
    const ttl = await inspector.pttl("mx-guard:delivery:d-1");
    expect(ttl).toBeGreaterThan(71 * 3_600_000);
    expect((await one.coordinator.claimDelivery("d-1")).kind).toBe("duplicate");
  });

  it("answers busy when the other replica is still at it after the wait (its lease is renewed)", async () => {
    const one = replica({ leaseMs: 300 });
    const two = replica({ busyWaitMs: 900 });
    const lease = claimed(await one.coordinator.claimDelivery("d-2"));
    expect((await two.coordinator.claimDelivery("d-2")).kind).toBe("busy");
    await lease.complete();
  });

  it("lets another replica take over a delivery whose replica died (lease not renewed)", async () => {
    const dying = replica({ leaseMs: 400 });
    const two = replica();
    claimed(await dying.coordinator.claimDelivery("d-3"));
    await dying.coordinator.close(); // no complete, no release, no renewal: as a SIGKILL
    const started = Date.now();
    const taken = await two.coordinator.claimDelivery("d-3");
    expect(taken.kind).toBe("claimed");
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it("gives a released delivery to the next claim at once", async () => {
    const one = replica();
    const two = replica();
    await claimed(await one.coordinator.claimDelivery("d-4")).release();
    expect(await inspector.exists("mx-guard:delivery:d-4")).toBe(0);
    const started = Date.now();
    expect((await two.coordinator.claimDelivery("d-4")).kind).toBe("claimed");
    expect(Date.now() - started).toBeLessThan(200);
  });
});

describe("RedisCoordinator: pull request lock", () => {
  it("never lets two replicas into the same pull request at once, and renews past the lease", async () => {
    const one = replica({ leaseMs: 300 });
    const two = replica({ leaseMs: 300 });
    const pull = newPull();
    const spans: { who: string; start: number; end: number; holder: string | null }[] = [];
    const lockKey = `mx-guard:lock:acme/config#${pull.number}`;
    const work = (who: string, ms: number) => async (lock: { stillHeld(): Promise<boolean> }) => {
      const start = Date.now();
      expect(await lock.stillHeld()).toBe(true);
      await sleep(ms);
      spans.push({ who, start, end: Date.now(), holder: await inspector.get(lockKey) });
    };
    // The first holds it for 3 leases: without renewal the second would get in.
    await Promise.all([
      one.coordinator.withPullRequestLock(pull, work("one", 900)),
      sleep(50).then(() => two.coordinator.withPullRequestLock(pull, work("two", 10))),
    ]);
    expect(spans.map((s) => s.who)).toEqual(["one", "two"]);
    expect(spans[1]!.start).toBeGreaterThanOrEqual(spans[0]!.end);
    // Each held the Redis lock under its own owner token.
    expect(spans[0]!.holder).not.toBeNull();
    expect(spans[1]!.holder).not.toBeNull();
    expect(spans[1]!.holder).not.toBe(spans[0]!.holder);
    expect(await inspector.exists(lockKey)).toBe(0);
  });

  it("lets different pull requests go in parallel", async () => {
    const one = replica();
    const two = replica();
    const started = Date.now();
    await Promise.all([
      one.coordinator.withPullRequestLock(newPull(), () => sleep(400)),
      two.coordinator.withPullRequestLock(newPull(), () => sleep(400)),
    ]);
    expect(Date.now() - started).toBeLessThan(750);
  });

  it("releases the lock when the task throws", async () => {
    const one = replica();
    const pull = newPull();
    await expect(one.coordinator.withPullRequestLock(pull, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await inspector.exists(`mx-guard:lock:acme/config#${pull.number}`)).toBe(0);
  });

  it("tells a holder whose lock expired and was taken that it no longer holds it", async () => {
    const one = replica();
    const pull = newPull();
    const key = `mx-guard:lock:acme/config#${pull.number}`;
    const held = await one.coordinator.withPullRequestLock(pull, async (lock) => {
      const before = await lock.stillHeld();
      // As if this process had stalled past its lease and another replica took the lock.
      await inspector.set(key, "someone-else", "PX", 5_000);
      const after = await lock.stillHeld();
      return { before, after };
    });
    expect(held).toEqual({ before: true, after: false });
    // Its release did not delete the other holder's lock.
    expect(await inspector.get(key)).toBe("someone-else");
    await inspector.del(key);
  });

  it("runs without the lock (and warns) after waiting lockWaitMs for a lock that is never freed", async () => {
    const { coordinator, logs } = replica({ lockWaitMs: 400 });
    const pull = newPull();
    await inspector.set(`mx-guard:lock:acme/config#${pull.number}`, "stuck", "PX", 10_000);
    const started = Date.now();
    expect(await coordinator.withPullRequestLock(pull, async () => "ran")).toBe("ran");
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(logs.filter((l) => l.level === "warn" && l.text.includes("running without the lock"))).toHaveLength(1);
  });
});

describe("RedisCoordinator: newest head", () => {
  it("agrees across replicas on the newest head, whatever order the pushes arrive in", async () => {
    const one = replica();
    const two = replica();
    const pull = newPull();
    await one.coordinator.recordHead(pull, X);
    // synchronize X→A and A→B arrive B first, on different replicas.
    await two.coordinator.recordHead(pull, B, A);
    await one.coordinator.recordHead(pull, A, X);
    for (const c of [one.coordinator, two.coordinator]) {
      expect(await c.isSuperseded(pull, A)).toBe(true);
      expect(await c.isSuperseded(pull, X)).toBe(true);
      expect(await c.isSuperseded(pull, B)).toBe(false);
    }
    // A force-push back to A (before = B) makes A the head again.
    await two.coordinator.recordHead(pull, A, B);
    expect(await one.coordinator.isSuperseded(pull, A)).toBe(false);
    expect(await one.coordinator.isSuperseded(pull, B)).toBe(true);
    const key = `mx-guard:head:acme/config#${pull.number}`;
    expect(await inspector.get(key)).toBe(A);
    expect(await inspector.pttl(key)).toBeGreaterThan(6 * 24 * 3_600_000);
    expect(await inspector.pttl(`mx-guard:older:acme/config#${pull.number}`)).toBeGreaterThan(0);
  });

  it("writes only keys under mx-guard:", async () => {
    const keys = await inspector.keys("*");
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !k.startsWith("mx-guard:"))).toEqual([]);
  });
});

describe("RedisCoordinator without Redis", () => {
  it("falls back to memory at once when Redis cannot be reached, with one warning", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const { coordinator, logs } = replica({ url });
    const pull = newPull();
    const started = Date.now();
    const first = await coordinator.claimDelivery("n-1");
    expect(first.kind).toBe("claimed");
    expect((await coordinator.claimDelivery("n-1")).kind).toBe("duplicate");
    await coordinator.recordHead(pull, A);
    await coordinator.recordHead(pull, B, A);
    expect(await coordinator.isSuperseded(pull, A)).toBe(true);
    expect(await coordinator.withPullRequestLock(pull, async (lock) => lock.stillHeld())).toBe(true);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(coordinator.status()).toEqual({ backend: "redis", redis: "degraded" });
    await sleep(1_500); // reconnection attempts go on in the background, silently
    const warnings = logs.filter((l) => l.level === "warn" || l.level === "error");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.text).toContain("Redis is unreachable");
    expect(warnings[0]!.text).toContain(redisAddress(url));
  });

  it("keeps going when Redis dies in the middle of a run, and uses it again once it is back", async () => {
    const own = await startRedis();
    try {
      const { coordinator, logs } = replica({ url: own.url, leaseMs: 600 });
      const pull = newPull();
      const lease = claimed(await coordinator.claimDelivery("m-1"));
      expect(coordinator.status().redis).toBe("ready");
      const probe = new Redis(own.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
      await probe.connect();
      const inside = await coordinator.withPullRequestLock(pull, async (lock) => {
        const inRedis = await probe.exists(`mx-guard:lock:acme/config#${pull.number}`);
        probe.disconnect();
        await own.kill();
        await sleep(700); // a renewal falls in the outage
        return { held: await lock.stillHeld(), inRedis };
      });
      expect(inside.held).toBe(true);
      expect(inside.inRedis).toBe(1); // the lock was Redis's, not the fallback's
      await lease.complete(); // does not throw
      const started = Date.now();
      expect((await coordinator.claimDelivery("m-2")).kind).toBe("claimed");
      expect((await coordinator.claimDelivery("m-2")).kind).toBe("duplicate");
      expect(Date.now() - started).toBeLessThan(500);
      expect(coordinator.status().redis).toBe("degraded");
      await sleep(1_000);
      expect(logs.filter((l) => l.level === "warn" || l.level === "error")).toHaveLength(1);

      await own.restart();
      await waitFor("the coordinator to reconnect", () => coordinator.status().redis === "ready", { timeoutMs: 10_000, intervalMs: 100 });
      expect(logs.filter((l) => l.level === "info" && l.text.includes("Redis is reachable again"))).toHaveLength(1);
      expect((await coordinator.claimDelivery("m-3")).kind).toBe("claimed");
      const check = new Redis(own.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
      await check.connect();
      expect(await check.get("mx-guard:delivery:m-3")).toMatch(/^run:/);
      check.disconnect();
    } finally {
      await own.stop();
    }
  });
});
