/**
 * The queue shared by replicas (REDIS_URL): BullMQ on Redis, keys under `mx-guard:queue:runs-<app id>:`.
 *
 * - Durable: a job stays in Redis until a worker finishes it. Each running job holds a lock that its
 *   worker renews; a replica killed mid-job stops renewing, so within `lockMs` + `stalledMs` another
 *   replica's stalled-job check moves the job back to waiting and runs it again — the run then finds
 *   the check run it left in progress and completes it (check-run.ts, same external_id).
 * - Redeliveries: the job id is the delivery id (a job already waiting or running is not added
 *   twice); the dedupe key (pull request, head, event) collapses a second delivery for the same head.
 * - Fairness: BullMQ priorities put "quick" jobs before "review" jobs; a replica runs at most
 *   `perInstallation` jobs of one installation and pushes any further one back by a moment
 *   (moveToDelayed), so the other installations' jobs go ahead.
 * - Redis gone: adding a job fails within a second and the job goes to this process's memory queue
 *   (memory.ts), like the coordinator's fallback; the worker reconnects in the background.
 */
import { DelayedError, Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "probot";
import { redisAddress } from "../coordination/redis.js";
import {
  DEFAULT_QUEUE,
  type AddResult,
  type JobHandler,
  type JobQueue,
  type QueueOptions,
  type QueueStatus,
  type QueuedJob,
} from "./job-queue.js";
import { MemoryQueue } from "./memory.js";

const QUEUE_NAME = "runs";
const QUEUE_PREFIX = "mx-guard:queue";

export interface BullMqQueueOptions extends Partial<QueueOptions> {
  url: string;
  /** The App's id: two apps sharing one Redis (staging and production) never share a queue. */
  appId?: number;
  log: Logger;
  /** A running job's lock; a dead replica's job is taken over once it has run out. */
  lockMs?: number;
  /** How often each replica looks for jobs whose lock ran out. */
  stalledMs?: number;
  /** How long a job of a busy installation is pushed back. */
  pushBackMs?: number;
}

const ADD_TIMEOUT_MS = 1_500;
/** How long "this delivery is queued" is remembered at most (deleted when its job ends). */
const MARKER_TTL_MS = 10 * 60_000;

/** BullMQ job ids may not contain ':' (nor be integers); delivery ids are UUIDs plus suffixes. */
export function bullJobId(id: string): string {
  const safe = id.replace(/:/g, "_").slice(0, 300);
  return /^\d+$/.test(safe) ? `d${safe}` : safe;
}

export class BullMqQueue implements JobQueue {
  readonly #settings: QueueOptions;
  readonly #log: Logger;
  readonly #address: string;
  readonly #producer: Redis;
  /** Made once Redis first answers: BullMQ gives up on a connection whose first attempt failed. */
  #queue: Queue | null = null;
  readonly #fallback: MemoryQueue;
  readonly #url: string;
  readonly #name: string;
  readonly #lockMs: number;
  readonly #stalledMs: number;
  readonly #pushBackMs: number;
  #worker: Worker | null = null;
  #workerConnection: Redis | null = null;
  readonly #running = new Map<number, number>();
  #active = 0;
  #idleWaiters: (() => void)[] = [];
  #warned = false;
  #closed = false;

  constructor(options: BullMqQueueOptions) {
    const { url, log, lockMs, stalledMs, pushBackMs, appId, ...settings } = options;
    this.#name = appId ? `${QUEUE_NAME}-${appId}` : QUEUE_NAME;
    this.#settings = { ...DEFAULT_QUEUE, ...settings };
    this.#log = log;
    this.#url = url;
    this.#address = redisAddress(url);
    this.#lockMs = lockMs ?? 15_000;
    this.#stalledMs = stalledMs ?? 5_000;
    this.#pushBackMs = pushBackMs ?? 300;
    this.#fallback = new MemoryQueue({ ...settings, onFailed: (job, error) => this.#gaveUp(job, error) });
    // The producer fails fast when Redis is gone, so the webhook is still answered at once.
    this.#producer = new Redis(url, {
      connectionName: "mx-guard-queue",
      connectTimeout: 2_000,
      commandTimeout: 1_000,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (times: number) => Math.min(times * 250, 5_000),
    });
    this.#producer.on("error", (error: Error) => this.#lost(error));
    this.#producer.on("ready", () => this.#connect());
  }

  #connect(): void {
    if (this.#queue || this.#closed) return;
    this.#queue = new Queue(this.#name, {
      connection: this.#producer,
      prefix: QUEUE_PREFIX,
      defaultJobOptions: {
        attempts: this.#settings.attempts,
        backoff: { type: "exponential", delay: this.#settings.backoffMs },
        removeOnComplete: true,
        removeOnFail: { count: 100 },
      },
    });
    this.#queue.on("error", (error: Error) => this.#lost(error));
  }

  #lost(error: Error): void {
    if (this.#closed || this.#warned) return;
    this.#warned = true;
    this.#log.warn(
      { redis: this.#address, cause: error.message },
      "the job queue cannot reach Redis: new jobs run in this replica's memory queue until Redis is back",
    );
  }

  /** True while jobs go to Redis (false: to the memory fallback). */
  get connected(): boolean {
    return this.#queue !== null && this.#producer.status === "ready";
  }

  async add(job: QueuedJob): Promise<AddResult> {
    const queue = this.#queue;
    if (!queue || this.#producer.status !== "ready") return this.#fallback.add(job);
    try {
      return await withTimeout(this.#addToRedis(queue, job), ADD_TIMEOUT_MS);
    } catch (error) {
      this.#lost(error instanceof Error ? error : new Error(String(error)));
      return this.#fallback.add(job);
    }
  }

  async #addToRedis(queue: Queue, job: QueuedJob): Promise<AddResult> {
    const jobId = bullJobId(job.id);
    // Atomic, unlike the state lookup below: of two replicas adding the same delivery at once, one wins.
    const marker = `${QUEUE_PREFIX}:added:${jobId}`;
    if ((await this.#producer.set(marker, "1", "PX", MARKER_TTL_MS, "NX")) !== "OK") return "duplicate";
    const state = await queue.getJobState(jobId);
    if (state === "failed" || state === "completed") await queue.remove(jobId);
    else if (state !== "unknown") return "duplicate";
    const added = await queue.add(job.eventKey, job, {
      jobId,
      priority: job.lane === "quick" ? 1 : 2,
      ...(job.dedupeKey ? { deduplication: { id: job.dedupeKey } } : {}),
    });
    if (this.#warned && !this.#closed) {
      this.#warned = false;
      this.#log.info({ redis: this.#address }, "the job queue reaches Redis again");
    }
    return added.id === jobId ? "queued" : "duplicate";
  }

  start(handler: JobHandler): void {
    this.#fallback.start(handler);
    this.#workerConnection = new Redis(this.#url, {
      connectionName: "mx-guard-worker",
      // BullMQ's workers wait on blocking commands and must not give up on a command.
      maxRetriesPerRequest: null,
      retryStrategy: (times: number) => Math.min(times * 250, 5_000),
    });
    this.#workerConnection.on("error", (error: Error) => this.#lost(error));
    const connection = this.#workerConnection;
    const begin = (): void => {
      if (this.#worker || this.#closed) return;
      this.#worker = new Worker<QueuedJob>(this.#name, (job, token) => this.#process(job, token, handler), {
        connection,
        prefix: QUEUE_PREFIX,
        concurrency: this.#settings.concurrency,
        lockDuration: this.#lockMs,
        stalledInterval: this.#stalledMs,
        maxStalledCount: 2,
      });
      this.#worker.on("error", (error: Error) => this.#lost(error));
      this.#worker.on("completed", (job) => this.#ended(job.id));
      this.#worker.on("failed", (job, error) => {
        if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
        this.#gaveUp(job.data, error);
        this.#ended(job.id);
      });
    };
    // Like the queue: the worker is made once Redis has answered.
    connection.on("ready", begin);
    if (connection.status === "ready") begin();
  }

  async #process(job: Job<QueuedJob>, token: string | undefined, handler: JobHandler): Promise<void> {
    const installation = job.data.installationId;
    const running = this.#running.get(installation) ?? 0;
    if (running >= this.#settings.perInstallation) {
      // This installation has its share running here: the others' jobs go first.
      await job.moveToDelayed(Date.now() + this.#pushBackMs + Math.floor(Math.random() * this.#pushBackMs), token);
      throw new DelayedError();
    }
    this.#running.set(installation, running + 1);
    this.#active += 1;
    try {
      await handler(job.data);
    } finally {
      this.#active -= 1;
      const left = (this.#running.get(installation) ?? 1) - 1;
      if (left > 0) this.#running.set(installation, left);
      else this.#running.delete(installation);
      if (this.#active === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }

  /** A job is done with: a redelivery of it may be queued again (the claim then decides). */
  #ended(jobId: string | undefined): void {
    if (!jobId || this.#producer.status !== "ready") return;
    this.#producer.del(`${QUEUE_PREFIX}:added:${jobId}`).catch(() => {});
  }

  #gaveUp(job: QueuedJob, error: unknown): void {
    this.#log.error(
      { delivery: job.deliveryId, event: job.eventKey, cause: error instanceof Error ? error.message : String(error) },
      "MX Guard gave up on a job after its last try",
    );
  }

  status(): QueueStatus {
    const local = this.#fallback.status();
    return { backend: "redis", waiting: local.waiting, active: this.#active + local.active };
  }

  waitingFor(_installationId: number): number | null {
    return null;
  }

  async idle(): Promise<void> {
    await this.#fallback.idle();
    if (this.#active > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#fallback.close();
    await Promise.allSettled([this.#worker?.close(true), this.#queue?.close()]);
    this.#producer.disconnect();
    this.#workerConnection?.disconnect();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
