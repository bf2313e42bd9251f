/**
 * Webhook handlers: which events start a run and how each maps to a pull request. A handler only
 * turns the delivery into jobs and queues them (queue/), so GitHub gets its answer at once; the
 * queue's workers run them (jobs.ts) with the guards around a run (delivery de-duplication, one run
 * at a time per pull request, newest head wins, rate-limit retries). Queue and guards live in this
 * process's memory, or in Redis shared by replicas when REDIS_URL is set (docs/replicas.md).
 */
import type { Context, Probot } from "probot";
import { CHECK_NAME } from "./constants.js";
import type { EvaluateDeps } from "./evaluate.js";
import { coordinatorFromEnv, type Coordinator } from "./coordination/index.js";
import { processJob, pullJob } from "./jobs.js";
import { fromMergeGroup, type MergeGroupPayload } from "./merge-group.js";
import { queueFromEnv, type JobQueue, type JobTask, type QueuedJob } from "./queue/index.js";
import { DEFAULT_RETRY_OPTIONS, type RetryOptions } from "./retry.js";
import { installedRepositories, policyPushBranch } from "./recheck.js";
import { scheduleReconcile, type ReconcileOptions } from "./reconcile.js";
import { fromPullRequest } from "./targets.js";

export const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
] as const;

export interface AppOptions {
  /** Secondary-rate-limit retry settings (tests inject `sleep`). */
  retry?: Partial<RetryOptions>;
  /** Delivery ids remembered for de-duplication (in memory). */
  deliveryCapacity?: number;
  /** Where replicas share state; by default Redis when REDIS_URL is set, else this process's memory. */
  coordinator?: Coordinator;
  /**
   * Compare pull requests with their merge base (one more request per run). src/index.ts switches
   * it on for the App; left off, runs compare with the base tip (the nock suite's request lists).
   */
  mergeBase?: boolean;
  /** The job queue; by default BullMQ on Redis when REDIS_URL is set, else this process's memory. */
  queue?: JobQueue;
  /**
   * Within an installation, runs that post only a passing check go ahead of full reviews, and a run
   * done within `quickMs` creates its check run already completed (one request). src/index.ts
   * switches it on for the App; off, every run creates its check run first (the nock suite's lists).
   */
  pacing?: { quickMs: number };
  /** The periodic reconcile (reconcile.ts); src/index.ts switches it on, off by default. */
  reconcile?: ReconcileOptions;
}

/** The queue each loaded app uses (tests wait on it). */
const queues = new WeakMap<object, JobQueue>();

export function queueOf(app: object): JobQueue | undefined {
  return queues.get(app);
}

export function registerHandlers(app: Probot, deps: EvaluateDeps, options: AppOptions = {}): { coordinator: Coordinator; queue: JobQueue } {
  const coordinator =
    options.coordinator ??
    coordinatorFromEnv(app.log, process.env, options.deliveryCapacity ? { deliveryCapacity: options.deliveryCapacity } : {});
  const queue = options.queue ?? queueFromEnv(app.log, process.env);
  queues.set(app, queue);
  const retry: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, ...options.retry };
  // `probot run` takes the App's id from APP_ID: earlier check runs of other apps are not this one's.
  const appId = Number(process.env.APP_ID) || undefined;
  const settings = {
    deps,
    coordinator,
    queue,
    retry,
    mergeBase: options.mergeBase === true,
    ...(options.pacing ? { pacing: options.pacing } : {}),
    ...(appId ? { appId } : {}),
  };
  queue.start((job) => processJob(app, settings, job));
  if (options.reconcile) scheduleReconcile(app, coordinator, queue, options.reconcile, app.log);

  /** Queues the delivery's job; answers at once (the webhook is acknowledged when this returns). */
  async function enqueue(context: Context, task: JobTask, part?: { owner: string; repo: string; suffix: string }): Promise<null> {
    const eventKey = `${context.name}.${(context.payload as { action?: string }).action ?? ""}`;
    const installationId = (context.payload as { installation?: { id?: number } }).installation?.id;
    if (installationId === undefined) {
      context.log.warn({ delivery: context.id, event: eventKey }, "the delivery names no installation; nothing to check");
      return null;
    }
    const { owner, repo } = part ?? context.repo();
    const deliveryId = part ? `${context.id}.${part.suffix}` : context.id;
    const base = { installationId, owner, repo, eventKey, deliveryId };
    const job: QueuedJob =
      task.type === "pull"
        ? pullJob(base, task.pull, task.rerequest, deliveryId, eventKey, task.head, appId)
        : { ...base, id: deliveryId, task, lane: "quick" };
    const added = await queue.add(job);
    context.log.info(
      { delivery: context.id, event: eventKey, job: job.id },
      added === "queued" ? "MX Guard queued the event" : "this delivery is already queued or running; ignoring the redelivery",
    );
    return null;
  }

  app.on([...PULL_REQUEST_EVENTS], (context) => {
    const before = (context.payload as { before?: unknown }).before;
    return enqueue(context, {
      type: "pull",
      pull: fromPullRequest(context.payload.pull_request),
      rerequest: false,
      head: typeof before === "string" && /^[0-9a-f]{40}$/i.test(before) ? { before } : {},
    });
  });

  // A new base makes the verdict stale: check again, like a Re-run (recheck.ts).
  app.on("pull_request.edited", (context) => {
    if (!(context.payload as { changes?: { base?: unknown } }).changes?.base) return Promise.resolve(null);
    return enqueue(context, { type: "pull", pull: fromPullRequest(context.payload.pull_request), rerequest: true });
  });

  // A policy change on the default branch: the open pull requests into it are checked again.
  app.on("push", (context) => {
    const branch = policyPushBranch(context.payload as Parameters<typeof policyPushBranch>[0]);
    if (!branch) return Promise.resolve(null);
    return enqueue(context, { type: "policy-push", branch });
  });

  // Installed on repositories with open pull requests: check those that have no MX Guard run yet.
  app.on(["installation.created", "installation_repositories.added"], async (context) => {
    for (const { owner, repo } of installedRepositories(context.payload as Parameters<typeof installedRepositories>[0])) {
      await enqueue(context, { type: "backfill" }, { owner, repo, suffix: `${owner}/${repo}` });
    }
    return null;
  });

  // Merge queues wait for the required check on the group's head commit (merge-group.ts).
  app.on("merge_group.checks_requested", (context) =>
    enqueue(context, { type: "pull", pull: fromMergeGroup(context.payload.merge_group as MergeGroupPayload), rerequest: false }),
  );

  app.on("check_run.rerequested", (context) => {
    if (context.payload.check_run.name !== CHECK_NAME) return Promise.resolve(null);
    const { head_sha: headSha, pull_requests: pulls } = context.payload.check_run;
    return enqueue(context, { type: "rerequested", headSha, pulls, repositoryId: context.payload.repository.id });
  });

  app.on("check_suite.rerequested", (context) => {
    const { head_sha: headSha, pull_requests: pulls } = context.payload.check_suite;
    return enqueue(context, { type: "rerequested", headSha, pulls, repositoryId: context.payload.repository.id });
  });

  return { coordinator, queue };
}
