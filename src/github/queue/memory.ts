/**
 * The queue of a single process (no REDIS_URL), and the fallback of the BullMQ one while Redis is
 * unreachable. Fair by construction: one lane per installation, installations take turns (round
 * robin), each runs at most `perInstallation` jobs, and within a lane "quick" jobs go first.
 * Nothing survives the process: GitHub state (a check run left in progress is resumed by the same
 * delivery, check-run.ts) covers a redelivery after a restart.
 */
import {
  DEFAULT_QUEUE,
  type AddResult,
  type JobHandler,
  type JobQueue,
  type QueueOptions,
  type QueueStatus,
  type QueuedJob,
} from "./job-queue.js";

interface Entry {
  job: QueuedJob;
  /** Tries made so far. */
  tries: number;
}

interface InstallationLane {
  quick: Entry[];
  review: Entry[];
  active: number;
}

export interface MemoryQueueOptions extends Partial<QueueOptions> {
  /** Told once per job that failed its last try. */
  onFailed?: (job: QueuedJob, error: unknown) => void;
}

export class MemoryQueue implements JobQueue {
  readonly #settings: QueueOptions;
  readonly #onFailed: ((job: QueuedJob, error: unknown) => void) | undefined;
  readonly #lanes = new Map<number, InstallationLane>();
  /** Installations in turn order; `#next` is where the next turn starts. */
  readonly #ring: number[] = [];
  #next = 0;
  /** Ids and dedupe keys of jobs waiting, retrying or running. */
  readonly #ids = new Set<string>();
  readonly #keys = new Set<string>();
  readonly #retryTimers = new Set<NodeJS.Timeout>();
  #handler: JobHandler | null = null;
  #active = 0;
  #closed = false;
  #idleWaiters: (() => void)[] = [];
  readonly #failures: { job: QueuedJob; error: unknown }[] = [];

  constructor(options: MemoryQueueOptions = {}) {
    const { onFailed, ...settings } = options;
    this.#settings = { ...DEFAULT_QUEUE, ...settings };
    this.#onFailed = onFailed;
  }

  async add(job: QueuedJob): Promise<AddResult> {
    if (this.#ids.has(job.id) || (job.dedupeKey !== undefined && this.#keys.has(job.dedupeKey))) return "duplicate";
    this.#ids.add(job.id);
    if (job.dedupeKey !== undefined) this.#keys.add(job.dedupeKey);
    this.#enqueue({ job, tries: 0 });
    return "queued";
  }

  start(handler: JobHandler): void {
    this.#handler = handler;
    this.#dispatch();
  }

  status(): QueueStatus {
    return { backend: "memory", waiting: this.#waiting() + this.#retryTimers.size, active: this.#active };
  }

  /** Jobs of `installationId` waiting in this process (not running). */
  waitingFor(installationId: number): number | null {
    const lane = this.#lanes.get(installationId);
    return lane ? lane.quick.length + lane.review.length : 0;
  }

  /** The last jobs (at most 20) that failed their last try, oldest first (tests, diagnostics). */
  get failures(): readonly { job: QueuedJob; error: unknown }[] {
    return this.#failures;
  }

  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
  }

  /** Jobs waiting in the lanes (not running, not between tries). */
  #waiting(): number {
    let count = 0;
    for (const lane of this.#lanes.values()) count += lane.quick.length + lane.review.length;
    return count;
  }

  #isIdle(): boolean {
    return this.#active === 0 && this.#waiting() === 0 && this.#retryTimers.size === 0;
  }

  #enqueue(entry: Entry): void {
    const id = entry.job.installationId;
    let lane = this.#lanes.get(id);
    if (!lane) {
      lane = { quick: [], review: [], active: 0 };
      this.#lanes.set(id, lane);
      this.#ring.push(id);
    }
    lane[entry.job.lane].push(entry);
    this.#dispatch();
  }

  /** Starts jobs while workers are free, one installation's turn at a time. */
  #dispatch(): void {
    if (!this.#handler || this.#closed) return;
    while (this.#active < this.#settings.concurrency) {
      const entry = this.#take();
      if (!entry) break;
      this.#run(entry);
    }
  }

  /** The next job in turn: the first installation from `#next` on with a job waiting and a free slot. */
  #take(): Entry | null {
    for (let step = 0; step < this.#ring.length; step++) {
      const index = (this.#next + step) % this.#ring.length;
      const id = this.#ring[index] as number;
      const lane = this.#lanes.get(id) as InstallationLane;
      if (lane.active >= this.#settings.perInstallation) continue;
      const entry = lane.quick.shift() ?? lane.review.shift();
      if (!entry) continue;
      this.#next = index + 1;
      lane.active += 1;
      return entry;
    }
    return null;
  }

  #run(entry: Entry): void {
    const handler = this.#handler as JobHandler;
    this.#active += 1;
    entry.tries += 1;
    const settle = (error: unknown, failed: boolean): void => {
      this.#active -= 1;
      const lane = this.#lanes.get(entry.job.installationId) as InstallationLane;
      lane.active -= 1;
      if (failed && entry.tries < this.#settings.attempts && !this.#closed) {
        const timer = setTimeout(
          () => {
            this.#retryTimers.delete(timer);
            this.#enqueue(entry);
          },
          this.#settings.backoffMs * 2 ** (entry.tries - 1),
        );
        timer.unref();
        this.#retryTimers.add(timer);
      } else {
        this.#forget(entry.job);
        if (failed) {
          this.#failures.push({ job: entry.job, error });
          if (this.#failures.length > 20) this.#failures.shift();
          this.#onFailed?.(entry.job, error);
        }
      }
      this.#dropIfEmpty(entry.job.installationId);
      this.#dispatch();
      if (this.#isIdle()) for (const resolve of this.#idleWaiters.splice(0)) resolve();
    };
    // A handler that throws synchronously is a failed try like any other.
    Promise.resolve()
      .then(() => handler(entry.job))
      .then(
        () => settle(null, false),
        (error: unknown) => settle(error, true),
      );
  }

  #forget(job: QueuedJob): void {
    this.#ids.delete(job.id);
    if (job.dedupeKey !== undefined) this.#keys.delete(job.dedupeKey);
  }

  #dropIfEmpty(id: number): void {
    const lane = this.#lanes.get(id);
    if (!lane || lane.active > 0 || lane.quick.length > 0 || lane.review.length > 0) return;
    this.#lanes.delete(id);
    const index = this.#ring.indexOf(id);
    this.#ring.splice(index, 1);
    if (index < this.#next) this.#next -= 1;
  }
}
