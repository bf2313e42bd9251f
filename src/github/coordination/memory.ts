/**
 * The coordinator of a single process (no REDIS_URL), and the fallback of the Redis one: delivery
 * ids in a bounded log, one run at a time per pull request through a promise queue, heads in a
 * bounded map. Nothing here is shared with another process; GitHub state (the check run's
 * external_id) covers restarts and other processes.
 */
import { DeliveryLog } from "../idempotency.js";
import { KeyedQueue } from "../serialize.js";
import {
  DEFAULT_COORDINATION,
  nextHead,
  pullKeyString,
  superseded,
  type CoordinationOptions,
  type Coordinator,
  type CoordinatorStatus,
  type DeliveryClaim,
  type HeadState,
  type PullKey,
  type PullRequestLock,
} from "./coordinator.js";

/** Older heads remembered per pull request. */
const MAX_OLDER = 100;

const HELD: PullRequestLock = { stillHeld: async () => true };

export class MemoryCoordinator implements Coordinator {
  readonly #deliveries: DeliveryLog;
  readonly #queue = new KeyedQueue();
  readonly #heads = new Map<string, HeadState>();
  readonly #headCapacity: number;

  constructor(options: Partial<CoordinationOptions> = {}) {
    const settings = { ...DEFAULT_COORDINATION, ...options };
    this.#deliveries = new DeliveryLog(settings.deliveryCapacity);
    this.#headCapacity = settings.headCapacity;
  }

  async claimDelivery(id: string): Promise<DeliveryClaim> {
    if (!this.#deliveries.claim(id)) return { kind: "duplicate" };
    return {
      kind: "claimed",
      lease: {
        complete: async () => {},
        release: async () => this.#deliveries.release(id),
      },
    };
  }

  withPullRequestLock<T>(pull: PullKey, fn: (lock: PullRequestLock) => Promise<T>): Promise<T> {
    return this.#queue.run(pullKeyString(pull), () => fn(HELD));
  }

  async recordHead(pull: PullKey, sha: string, before?: string): Promise<void> {
    const key = pullKeyString(pull);
    const state = nextHead(this.#heads.get(key) ?? { head: null, older: new Set() }, sha, before);
    while (state.older.size > MAX_OLDER) state.older.delete(state.older.values().next().value as string);
    this.#heads.delete(key);
    this.#heads.set(key, state);
    while (this.#heads.size > this.#headCapacity) this.#heads.delete(this.#heads.keys().next().value as string);
  }

  async isSuperseded(pull: PullKey, sha: string): Promise<boolean> {
    return superseded(this.#heads.get(pullKeyString(pull)), sha);
  }

  async lead(_role: string, _ttlMs: number): Promise<boolean> {
    return true;
  }

  status(): CoordinatorStatus {
    return { backend: "memory", redis: "off" };
  }

  /** Pull requests with a run queued or going (for tests and diagnostics). */
  get activePulls(): number {
    return this.#queue.activeKeys;
  }

  async close(): Promise<void> {}
}
