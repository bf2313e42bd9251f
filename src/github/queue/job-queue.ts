/**
 * The queue between a webhook and its run (docs/replicas.md): the handler only turns the delivery
 * into jobs and adds them, so GitHub gets its answer at once; workers take the jobs out fairly.
 *
 * - A job holds what rebuilds its client and its run — installation, repository, pull request,
 *   event key, delivery id — never a token: the worker asks Probot for the installation's client.
 * - `id` (the delivery, or the delivery and a suffix for a delivery that fans out) collapses
 *   redeliveries that arrive while the job is waiting or running; `dedupeKey` (the pull request's
 *   head and event) collapses a second delivery for the same thing. After the job, the coordinator
 *   (coordination/) and the check run's external_id still stop repeats.
 * - Fairness: installations take turns and each has at most `perInstallation` jobs running (a busy
 *   installation never takes every worker); within an installation "quick" jobs (runs that turn out
 *   to post only a passing check) go ahead of "review" jobs.
 *
 * Two implementations: in this process (memory.ts) and on Redis with BullMQ, shared by replicas and
 * durable across a replica's death (bullmq.ts).
 */
import type { PullTarget } from "../types.js";

/** What a job asks for: everything but the client, which the worker rebuilds from the installation. */
export type JobTask =
  /** Run the check for one pull request (or merge group). */
  | { type: "pull"; pull: PullTarget; rerequest: boolean; head?: { before?: string } }
  /** A Re-run of a check run / suite: find the pull request with this head, then run it. */
  | {
      type: "rerequested";
      headSha: string;
      pulls: { number: number; head: { sha: string }; base: { sha: string; repo?: { id: number } | null } }[];
      repositoryId: number;
    }
  /** A policy change pushed to `branch`: re-check the open pull requests into it. */
  | { type: "policy-push"; branch: string }
  /** A repository newly added to the installation: check its open pull requests without a run. */
  | { type: "backfill" };

export interface QueuedJob {
  /** Unique per delivery (and part, when one delivery fans out); BullMQ's jobId. */
  id: string;
  installationId: number;
  owner: string;
  repo: string;
  /** `<event>.<action>` for the check run's external_id (check-run.ts). */
  eventKey: string;
  /** The delivery id the run claims and puts in its external_id. */
  deliveryId: string;
  task: JobTask;
  /** "review" goes after "quick" within its installation; new jobs are "quick" until triaged. */
  lane: Lane;
  /** Jobs with the same key collapse while one is waiting or running (pull request + head + event). */
  dedupeKey?: string;
}

export type Lane = "quick" | "review";

/** "queued", or "duplicate" when a job with this id or dedupe key is already waiting or running. */
export type AddResult = "queued" | "duplicate";

export type JobHandler = (job: QueuedJob) => Promise<void>;

export interface QueueStatus {
  backend: "memory" | "redis";
  waiting: number;
  active: number;
}

export interface JobQueue {
  /** Adds a job; never waits for it to run. */
  add(job: QueuedJob): Promise<AddResult>;
  /** Starts taking jobs out; `handler` throws to have the job retried (after a backoff). */
  start(handler: JobHandler): void;
  status(): QueueStatus;
  /** Jobs of the installation waiting in this queue; null when it cannot say cheaply (BullMQ). */
  waitingFor(installationId: number): number | null;
  /** Resolves once nothing is waiting or running in this process (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface QueueOptions {
  /** Jobs running at once in this process. */
  concurrency: number;
  /** Jobs of one installation running at once in this process. */
  perInstallation: number;
  /** Tries per job (the first included) before it is given up and logged. */
  attempts: number;
  /** Backoff before the n-th retry: backoffMs × 2^(n-1). */
  backoffMs: number;
}

export const DEFAULT_QUEUE: QueueOptions = {
  concurrency: 16,
  perInstallation: 3,
  attempts: 3,
  backoffMs: 2_000,
};

/**
 * The dedupe key of a pull request run: one per app, check, pull request, head commit and event — so
 * another app's run, or another pull request with the same head, never collapses into this one.
 */
export function pullDedupeKey(
  job: Pick<QueuedJob, "owner" | "repo" | "eventKey">,
  pull: PullTarget,
  scope: { appId?: number; checkName: string },
): string {
  const target = pull.mergeGroup ? `group:${pull.mergeGroup.headRef}` : `#${pull.number}`;
  const prefix = `${scope.appId ?? "app"}/${scope.checkName}`;
  return `${prefix}:${job.owner}/${job.repo}${target}@${pull.headSha}:${job.eventKey}`.toLowerCase();
}
