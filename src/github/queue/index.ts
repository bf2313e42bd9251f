/**
 * Which job queue a process uses: BullMQ on Redis when REDIS_URL is set (shared by replicas, durable),
 * this process's memory otherwise. See docs/replicas.md.
 */
import type { Logger } from "probot";
import { BullMqQueue } from "./bullmq.js";
import type { JobQueue, QueueOptions } from "./job-queue.js";
import { MemoryQueue } from "./memory.js";

export type { AddResult, JobQueue, JobTask, Lane, QueueOptions, QueueStatus, QueuedJob } from "./job-queue.js";
export { DEFAULT_QUEUE, pullDedupeKey } from "./job-queue.js";
export { BullMqQueue } from "./bullmq.js";
export { MemoryQueue } from "./memory.js";

export function queueFromEnv(log: Logger, env: NodeJS.ProcessEnv = process.env, options: Partial<QueueOptions> = {}): JobQueue {
  const url = env.REDIS_URL?.trim();
  const onFailed = (job: { deliveryId: string; eventKey: string }, error: unknown) =>
    log.error(
      { delivery: job.deliveryId, event: job.eventKey, cause: error instanceof Error ? error.message : String(error) },
      "MX Guard gave up on a job after its last try",
    );
  if (!url) return new MemoryQueue({ ...options, onFailed });
  return new BullMqQueue({ ...options, url, log });
}
