/**
 * What replicas of the app must agree on, behind one small interface:
 *
 * - **deliveries**: a webhook delivery (X-GitHub-Delivery) is handled once, even when it reaches two
 *   replicas at the same time or is redelivered; a claim is a lease, so a replica that dies while
 *   handling a delivery does not block its redelivery for longer than the lease;
 * - **one run at a time per pull request**: a short lock with a TTL, renewed while the run goes on,
 *   with a fencing number and a check that it is still held before anything is posted;
 * - **newest head wins**: which head commit of a pull request is the newest one seen, so a run for an
 *   older head that finishes late does not post its review or summary comment.
 *
 * Two implementations: in memory (one process, src/github/coordination/memory.ts) and Redis
 * (src/github/coordination/redis.ts), the latter wrapped so that it falls back to memory when Redis
 * cannot be reached (resilient.ts). GitHub itself remains the last word on duplicates: a completed
 * check run with the event's external_id is never repeated (check-run.ts).
 */

/** One pull request. */
export interface PullKey {
  owner: string;
  repo: string;
  number: number;
}

export type DeliveryClaim =
  /** This replica handles the delivery: call complete() or release() when done. */
  | { kind: "claimed"; lease: DeliveryLease }
  /** Already handled (here or by another replica) within the TTL. */
  | { kind: "duplicate" }
  /** Another replica is handling it right now and still was after waiting. */
  | { kind: "busy" };

export interface DeliveryLease {
  /** Marks the delivery handled: a redelivery within the TTL is a duplicate. */
  complete(): Promise<void>;
  /** Forgets the claim, so a redelivery is handled again (handling failed before any effect). */
  release(): Promise<void>;
}

export interface PullRequestLock {
  /**
   * False only when the lock is known to be lost (it expired and another run took it): the holder
   * must then not post. True when it is held, and when Redis cannot say (degraded).
   */
  stillHeld(): Promise<boolean>;
}

export interface CoordinatorStatus {
  backend: "memory" | "redis";
  /** "off" without Redis; "ready" or "degraded" (Redis unreachable, memory fallback in use). */
  redis: "off" | "ready" | "degraded";
}

export interface Coordinator {
  claimDelivery(id: string): Promise<DeliveryClaim>;
  /** Runs `fn` while holding the pull request's lock; runs for other pull requests go in parallel. */
  withPullRequestLock<T>(pull: PullKey, fn: (lock: PullRequestLock) => Promise<T>): Promise<T>;
  /**
   * Records that `sha` is the pull request's head (a pull_request event). `before` is the previous
   * head a synchronize event names: it is then known to be older, whatever order events arrive in.
   */
  recordHead(pull: PullKey, sha: string, before?: string): Promise<void>;
  /** True when a newer head than `sha` was recorded for the pull request. */
  isSuperseded(pull: PullKey, sha: string): Promise<boolean>;
  /**
   * True when this process leads `role` (e.g. the periodic reconcile) for the next `ttlMs`: a lease
   * taken with SET NX PX and renewed by its holder; in memory (one process, or Redis down) always.
   */
  lead(role: string, ttlMs: number): Promise<boolean>;
  status(): CoordinatorStatus;
  close(): Promise<void>;
}

export interface CoordinationOptions {
  /** How long a handled delivery id is remembered (Redis) — GitHub allows redelivery for 3 days. */
  deliveryTtlMs: number;
  /** Lease of a delivery being handled and of a pull request lock; renewed every third of it. */
  leaseMs: number;
  /** How long a replica waits for a delivery another replica is handling. */
  busyWaitMs: number;
  /** How long a run waits for its pull request's lock before it runs without it (and warns). */
  lockWaitMs: number;
  /** Pull requests whose heads are remembered (memory), and how long (Redis). */
  headCapacity: number;
  headTtlMs: number;
  /** Delivery ids remembered in memory. */
  deliveryCapacity: number;
}

export const DEFAULT_COORDINATION: CoordinationOptions = {
  deliveryTtlMs: 72 * 3_600_000,
  leaseMs: 15_000,
  busyWaitMs: 20_000,
  lockWaitMs: 120_000,
  headCapacity: 10_000,
  headTtlMs: 7 * 24 * 3_600_000,
  deliveryCapacity: 1_000,
};

/** Every Redis key mx-guard writes starts with this. */
export const KEY_PREFIX = "mx-guard:";

export function pullKeyString(pull: PullKey): string {
  return `${pull.owner}/${pull.repo}#${pull.number}`.toLowerCase();
}

/** The head bookkeeping both implementations share (pure, so it is tested once). */
export interface HeadState {
  head: string | null;
  older: Set<string>;
}

/**
 * The next head after an event says `sha` is the head (`before` its previous head, when known):
 * - `before` joins the known-older commits;
 * - a direct successor of the recorded head always becomes the head (also when it was an older head
 *   before: a force-push back to an earlier commit);
 * - a commit known to be older never replaces the head (events that arrive out of order);
 * - otherwise the last event recorded wins.
 */
export function nextHead(state: HeadState, sha: string, before?: string): HeadState {
  const older = new Set(state.older);
  if (before && before !== sha) older.add(before);
  if (state.head === null || state.head === sha || (before !== undefined && state.head === before) || !older.has(sha)) {
    if (state.head && state.head !== sha) older.add(state.head);
    older.delete(sha);
    return { head: sha, older };
  }
  return { head: state.head, older };
}

export function superseded(state: HeadState | undefined, sha: string): boolean {
  return !!state && state.head !== null && state.head !== sha;
}
