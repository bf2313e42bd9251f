/**
 * The coordinator shared by replicas through Redis (REDIS_URL), keys under `mx-guard:`:
 *
 * | key | value | lifetime |
 * |---|---|---|
 * | `mx-guard:delivery:<id>` | `run:<owner token>` while handled, then `done` | lease (renewed), then deliveryTtlMs |
 * | `mx-guard:lock:<owner>/<repo>#<n>` | owner token of the run holding the pull request | lease (renewed) |
 * | `mx-guard:head:<owner>/<repo>#<n>` | newest head SHA recorded | headTtlMs |
 * | `mx-guard:older:<owner>/<repo>#<n>` | set of SHAs known older than the head | headTtlMs |
 * | `mx-guard:leader:<role>` | owner token of the replica leading the role (the reconcile) | the role's lease |
 *
 * Locks and claims are `SET NX PX`; renewal and release are Lua compare-and-set on the owner token,
 * so a run never extends or deletes a lock someone else holds. Redis calls are bounded (connect
 * 2 s, command 1 s, no offline queue, one retry): when Redis cannot be reached every operation
 * falls back to the in-memory coordinator at once, with one warning per outage (and one note when
 * Redis is back). Nothing here ever waits on Redis without a deadline.
 */
import { randomUUID } from "node:crypto";
import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "probot";
import {
  DEFAULT_COORDINATION,
  KEY_PREFIX,
  pullKeyString,
  type CoordinationOptions,
  type Coordinator,
  type CoordinatorStatus,
  type DeliveryClaim,
  type DeliveryLease,
  type PullKey,
  type PullRequestLock,
} from "./coordinator.js";
import { MemoryCoordinator } from "./memory.js";

/** Connection settings that keep every Redis call short when Redis is slow or gone. */
const REDIS_CLIENT_OPTIONS: RedisOptions = {
  connectionName: "mx-guard",
  connectTimeout: 2_000,
  commandTimeout: 1_000,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  // Reconnect in the background, at most every 5 s; calls meanwhile use the fallback.
  retryStrategy: (times: number) => Math.min(times * 250, 5_000),
};

// KEYS[1] claim key; ARGV[1] owner token, ARGV[2] lease ms → "claimed" | "done" | "busy"
const CLAIM = `
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 'claimed'
end
if v == 'done' then return 'done' end
return 'busy'`;

// KEYS[1] key; ARGV[1] owner token, ARGV[2] ms → 1 when extended, 0 when not ours
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

// KEYS[1] key; ARGV[1] owner token → 1 when deleted, 0 when not ours
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

// KEYS[1] claim key; ARGV[1] owner token, ARGV[2] ttl ms → 1 when marked done
const COMPLETE = `
local v = redis.call('GET', KEYS[1])
if (not v) or v == ARGV[1] then
  redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
  return 1
end
return 0`;

// KEYS[1] lock; ARGV[1] owner token, ARGV[2] lease ms → 1 when held (re-taken if it had expired), 0 when someone else holds it
const STILL_HELD = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then return 1 end
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

// KEYS[1] head, KEYS[2] older set; ARGV[1] sha, ARGV[2] before ('' = none), ARGV[3] ttl ms → the head
// Same rule as nextHead() in coordinator.ts.
const RECORD_HEAD = `
local head = redis.call('GET', KEYS[1])
local sha, before = ARGV[1], ARGV[2]
if before ~= '' and before ~= sha then redis.call('SADD', KEYS[2], before) end
local replace = (not head) or head == sha or (before ~= '' and head == before) or redis.call('SISMEMBER', KEYS[2], sha) == 0
if replace then
  if head and head ~= sha then redis.call('SADD', KEYS[2], head) end
  redis.call('SREM', KEYS[2], sha)
  redis.call('SET', KEYS[1], sha, 'PX', ARGV[3])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
if redis.call('SCARD', KEYS[2]) > 200 then redis.call('SPOP', KEYS[2], 100) end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return redis.call('GET', KEYS[1])`;

// KEYS[1] leader key; ARGV[1] owner, ARGV[2] ttl ms → 1 when this owner leads (taken or renewed), 0 when another does
const LEAD = `
local v = redis.call('GET', KEYS[1])
if (not v) or v == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RedisCoordinatorOptions extends Partial<CoordinationOptions> {
  /** An ioredis client (tests), or a URL to connect to with REDIS_CLIENT_OPTIONS. */
  client?: Redis;
  url?: string;
  log: Logger;
  sleep?: Sleep;
}

/** host:port of a Redis URL, never its password. */
export function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "6379"}`;
  } catch {
    return "(unparsable REDIS_URL)";
  }
}

export class RedisCoordinator implements Coordinator {
  readonly #client: Redis;
  readonly #ownsClient: boolean;
  readonly #fallback: MemoryCoordinator;
  readonly #settings: CoordinationOptions;
  readonly #log: Logger;
  readonly #sleep: Sleep;
  readonly #address: string;
  /** Unique per process: lock and claim values say which replica holds them. */
  readonly #owner = randomUUID();
  #sequence = 0;
  #degraded = false;
  #everReady = false;
  #closed = false;
  /** Settles once the first connection attempt has succeeded or failed (bounded by connectTimeout). */
  readonly #started: Promise<void>;

  constructor(options: RedisCoordinatorOptions) {
    this.#settings = { ...DEFAULT_COORDINATION, ...options };
    this.#fallback = new MemoryCoordinator(options);
    this.#log = options.log;
    this.#sleep = options.sleep ?? realSleep;
    if (options.client) {
      this.#client = options.client;
      this.#ownsClient = false;
      this.#address = `${options.client.options.host ?? "?"}:${options.client.options.port ?? "?"}`;
    } else if (options.url) {
      this.#client = new Redis(options.url, REDIS_CLIENT_OPTIONS);
      this.#ownsClient = true;
      this.#address = redisAddress(options.url);
    } else {
      throw new Error("RedisCoordinator needs a client or a url");
    }
    this.#client.on("ready", () => this.#ready());
    // Without a listener ioredis prints every failed reconnect; one warning per outage is enough.
    this.#client.on("error", (error: Error) => this.#lost(error));
    this.#client.on("close", () => this.#lost(null));
    if (this.#client.status === "ready") this.#ready();
    this.#started = new Promise<void>((resolve) => {
      if (this.#client.status === "ready") return resolve();
      const timer = setTimeout(done, (REDIS_CLIENT_OPTIONS.connectTimeout ?? 2_000) + 500);
      timer.unref();
      const client = this.#client;
      function done(): void {
        clearTimeout(timer);
        client.off("ready", done).off("error", done).off("close", done);
        resolve();
      }
      client.once("ready", done).once("error", done).once("close", done);
    });
  }

  // ---- health ---------------------------------------------------------------------------------

  #ready(): void {
    if (this.#degraded) this.#log.info({ redis: this.#address }, "Redis is reachable again: replicas coordinate through it again");
    this.#degraded = false;
    this.#everReady = true;
  }

  #lost(error: Error | null): void {
    if (this.#closed || this.#degraded) return;
    this.#degraded = true;
    this.#log.warn(
      { redis: this.#address, cause: error?.message ?? "connection closed" },
      "Redis is unreachable: this replica goes on alone (in-memory de-duplication and locking, check runs on GitHub still prevent repeated runs) until Redis is back",
    );
  }

  /** True when Redis can be asked now; false means: use the fallback without waiting. */
  #usable(): boolean {
    if (this.#closed) return false;
    if (this.#client.status === "ready") return true;
    // Still not connected after the first attempt: warn once.
    if (!this.#everReady) this.#lost(null);
    return false;
  }

  /** #usable(), after waiting (at most connectTimeout) for the first connection of a new process. */
  async #available(): Promise<boolean> {
    if (!this.#everReady && !this.#closed) await this.#started;
    return this.#usable();
  }

  /** A Redis call failed although the client looked ready (timeout, connection dropped). */
  #failed(error: unknown): void {
    this.#lost(error instanceof Error ? error : new Error(String(error)));
  }

  status(): CoordinatorStatus {
    const ready = !this.#closed && this.#client.status === "ready" && !this.#degraded;
    return { backend: "redis", redis: ready ? "ready" : "degraded" };
  }

  #token(): string {
    this.#sequence += 1;
    return `${this.#owner}:${this.#sequence}`;
  }

  async #eval(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    const answer = await this.#client.eval(script, keys.length, ...keys, ...args.map(String));
    // A call failed (e.g. timed out) while the connection stayed up, and now one went through.
    if (this.#degraded) this.#ready();
    return answer;
  }

  /** Renews `key` every third of the lease while `token` holds it; returns a stop function. */
  #keepAlive(key: string, token: string, what: string): () => void {
    const timer = setInterval(
      () => {
        if (!this.#usable()) return;
        this.#eval(RENEW, [key], [token, this.#settings.leaseMs]).then(
          (renewed) => {
            if (renewed !== 1) this.#log.warn({ key }, `${what} expired before it was renewed (another replica may hold it now)`);
          },
          (error: unknown) => this.#failed(error),
        );
      },
      Math.max(100, Math.floor(this.#settings.leaseMs / 3)),
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  // ---- deliveries -----------------------------------------------------------------------------

  async claimDelivery(id: string): Promise<DeliveryClaim> {
    const key = `${KEY_PREFIX}delivery:${id.slice(0, 200)}`;
    const token = `run:${this.#token()}`;
    const deadline = Date.now() + this.#settings.busyWaitMs;
    for (let wait = 100; ; wait = Math.min(wait * 2, 1_000)) {
      if (!(await this.#available())) return this.#fallback.claimDelivery(id);
      let answer: unknown;
      try {
        answer = await this.#eval(CLAIM, [key], [token, this.#settings.leaseMs]);
      } catch (error) {
        this.#failed(error);
        return this.#fallback.claimDelivery(id);
      }
      if (answer === "claimed") return { kind: "claimed", lease: this.#deliveryLease(key, token) };
      if (answer === "done") return { kind: "duplicate" };
      // Another replica is on it: wait until it is done, or its lease runs out because it died.
      if (Date.now() >= deadline) return { kind: "busy" };
      await this.#sleep(Math.min(wait, Math.max(0, deadline - Date.now())));
    }
  }

  #deliveryLease(key: string, token: string): DeliveryLease {
    const stop = this.#keepAlive(key, token, "the claim on a delivery");
    let settled = false;
    const settle = async (script: string, args: (string | number)[]): Promise<void> => {
      if (settled) return;
      settled = true;
      stop();
      if (!this.#usable()) return; // the lease expires on its own
      try {
        await this.#eval(script, [key], [token, ...args]);
      } catch (error) {
        this.#failed(error);
      }
    };
    return {
      complete: () => settle(COMPLETE, [this.#settings.deliveryTtlMs]),
      release: () => settle(RELEASE, []),
    };
  }

  // ---- pull request lock ----------------------------------------------------------------------

  withPullRequestLock<T>(pull: PullKey, fn: (lock: PullRequestLock) => Promise<T>): Promise<T> {
    // Runs of this process for the same pull request queue here first, without polling Redis.
    return this.#fallback.withPullRequestLock(pull, async (local) => {
      const held = await this.#acquire(pull);
      if (!held) return fn(local);
      try {
        return await fn(held.lock);
      } finally {
        await held.release();
      }
    });
  }

  async #acquire(pull: PullKey): Promise<{ lock: PullRequestLock; release: () => Promise<void> } | null> {
    const name = pullKeyString(pull);
    const key = `${KEY_PREFIX}lock:${name}`;
    const token = this.#token();
    const started = Date.now();
    for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
      if (!(await this.#available())) return null;
      let acquired: boolean;
      try {
        acquired = (await this.#client.set(key, token, "PX", this.#settings.leaseMs, "NX")) === "OK";
      } catch (error) {
        this.#failed(error);
        return null;
      }
      if (acquired) {
        const stop = this.#keepAlive(key, token, `the lock on ${name}`);
        const lock: PullRequestLock = {
          stillHeld: async () => {
            if (!this.#usable()) return true;
            try {
              return (await this.#eval(STILL_HELD, [key], [token, this.#settings.leaseMs])) === 1;
            } catch (error) {
              this.#failed(error);
              return true;
            }
          },
        };
        const release = async (): Promise<void> => {
          stop();
          if (!this.#usable()) return;
          try {
            await this.#eval(RELEASE, [key], [token]);
          } catch (error) {
            this.#failed(error);
          }
        };
        return { lock, release };
      }
      if (Date.now() - started >= this.#settings.lockWaitMs) {
        this.#log.warn(
          { pull: name, waitedMs: Date.now() - started },
          "the pull request stayed locked by another replica: running without the lock",
        );
        return null;
      }
      // Jitter, so replicas waiting for the same pull request do not poll in step.
      await this.#sleep(wait + Math.floor(Math.random() * wait));
    }
  }

  // ---- newest head ----------------------------------------------------------------------------

  async recordHead(pull: PullKey, sha: string, before?: string): Promise<void> {
    await this.#fallback.recordHead(pull, sha, before);
    if (!(await this.#available())) return;
    const name = pullKeyString(pull);
    try {
      await this.#eval(
        RECORD_HEAD,
        [`${KEY_PREFIX}head:${name}`, `${KEY_PREFIX}older:${name}`],
        [sha, before ?? "", this.#settings.headTtlMs],
      );
    } catch (error) {
      this.#failed(error);
    }
  }

  async isSuperseded(pull: PullKey, sha: string): Promise<boolean> {
    if (!(await this.#available())) return this.#fallback.isSuperseded(pull, sha);
    try {
      const head = await this.#client.get(`${KEY_PREFIX}head:${pullKeyString(pull)}`);
      if (this.#degraded) this.#ready();
      return head !== null && head !== sha;
    } catch (error) {
      this.#failed(error);
      return this.#fallback.isSuperseded(pull, sha);
    }
  }

  async lead(role: string, ttlMs: number): Promise<boolean> {
    // Redis gone: every replica leads alone; claims and external_ids still stop repeated runs.
    if (!(await this.#available())) return this.#fallback.lead(role, ttlMs);
    try {
      return (await this.#eval(LEAD, [`${KEY_PREFIX}leader:${role}`], [this.#owner, ttlMs])) === 1;
    } catch (error) {
      this.#failed(error);
      return this.#fallback.lead(role, ttlMs);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#ownsClient) this.#client.disconnect();
  }
}
