/**
 * Which job queue a process uses: BullMQ on Redis when REDIS_URL is set (shared by replicas, durable),
 * this process's memory otherwise. See docs/replicas.md.
 */
import type { Logger } from "probot";
import { BullMqQueue } from "./bullmq.js";
import { DEFAULT_QUEUE, type JobQueue, type QueueOptions } from "./job-queue.js";
import { MemoryQueue } from "./memory.js";

export type { AddResult, JobQueue, JobTask, Lane, QueueOptions, QueueStatus, QueuedJob } from "./job-queue.js";
export { DEFAULT_QUEUE, pullDedupeKey } from "./job-queue.js";
export { BullMqQueue } from "./bullmq.js";
export { MemoryQueue } from "./memory.js";

/** A positive whole number from the environment, or `fallback` when unset. */
function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, not "${raw}"`);
  return value;
}

/** MX_GUARD_QUEUE_CONCURRENCY and MX_GUARD_QUEUE_PER_INSTALLATION tune the workers (docs/replicas.md). */
export function queueFromEnv(log: Logger, env: NodeJS.ProcessEnv = process.env, overrides: Partial<QueueOptions> = {}): JobQueue {
  const options: Partial<QueueOptions> = {
    concurrency: positive(env, "MX_GUARD_QUEUE_CONCURRENCY", DEFAULT_QUEUE.concurrency),
    perInstallation: positive(env, "MX_GUARD_QUEUE_PER_INSTALLATION", DEFAULT_QUEUE.perInstallation),
    ...overrides,
  };
  const url = env.REDIS_URL?.trim();
  const onFailed = (job: { deliveryId: string; eventKey: string }, error: unknown) =>
    log.error(
      { delivery: job.deliveryId, event: job.eventKey, cause: error instanceof Error ? error.message : String(error) },
      "MX Guard gave up on a job after its last try",
    );
  if (!url) return new MemoryQueue({ ...options, onFailed });
  const appId = Number(env.APP_ID) || undefined;
  return new BullMqQueue({ ...options, url, log, ...(appId ? { appId } : {}) });
}
