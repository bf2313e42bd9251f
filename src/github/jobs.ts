/**
 * What a queue worker does with a job (queue/): rebuild the installation's client from its id (a job
 * never holds a token), claim the delivery, then run the check — or, for a Re-run, a policy push or a
 * new installation, first find the pull requests concerned (Re-run: one, run here; the others: one
 * job each, queued). A job that throws is retried by the queue, after its claim was released.
 */
import type { Probot, ProbotOctokit } from "probot";
import { DEFAULT_VISIBILITY } from "./commit-visibility.js";
import type { Coordinator, PullKey, PullRequestLock } from "./coordination/index.js";
import { CHECK_NAME } from "./constants.js";
import { RECONCILE_EVENT } from "./reconcile.js";
import { describeError } from "./errors.js";
import type { EvaluateDeps } from "./evaluate.js";
import { runForPullRequest, type PublishGate, type RunOutcome } from "./pipeline.js";
import { readPolicyFile, type ConfigReader } from "./policy.js";
import { routeAroundRedis } from "./probot-patches/throttle-fallback.js";
import { pullDedupeKey, type JobQueue, type QueuedJob } from "./queue/index.js";
import { openPullsInto, uncheckedOpenPulls } from "./recheck.js";
import { retrySecondaryRateLimits, type RetryOptions } from "./retry.js";
import type { ChangedFile } from "./pull-request-files.js";
import { findPullForSha } from "./targets.js";
import { triage, type Triage } from "./triage.js";
import type { GitHub, PullTarget } from "./types.js";

export interface JobSettings {
  deps: EvaluateDeps;
  coordinator: Coordinator;
  queue: JobQueue;
  retry: RetryOptions;
  mergeBase: boolean;
  pacing?: { quickMs: number };
  appId?: number;
}

type JobBase = Pick<QueuedJob, "installationId" | "owner" | "repo">;

/** The job that runs the check of one pull request (or merge group). */
export function pullJob(
  base: JobBase,
  pull: PullTarget,
  rerequest: boolean,
  deliveryId: string,
  eventKey: string,
  head?: { before?: string },
  appId?: number,
): QueuedJob {
  const job = { ...base, eventKey, deliveryId };
  return {
    ...job,
    id: deliveryId,
    task: { type: "pull", pull, rerequest, ...(head ? { head } : {}) },
    lane: "quick",
    dedupeKey: pullDedupeKey(job, pull, { checkName: CHECK_NAME, ...(appId ? { appId } : {}) }),
  };
}

export async function processJob(app: Probot, settings: JobSettings, job: QueuedJob): Promise<void> {
  const log = app.log.child({ name: "mx-guard", delivery: job.deliveryId });
  log.info(
    { delivery: job.deliveryId, job: job.id, installation: job.installationId, lane: job.lane },
    "MX Guard took a job from the queue",
  );
  const octokit: ProbotOctokit = await app.auth(job.installationId);
  const gh: GitHub = { octokit, owner: job.owner, repo: job.repo, log, ...(settings.appId ? { appId: settings.appId } : {}) };
  const { coordinator } = settings;
  if (coordinator.status().backend === "redis") {
    // Registered first, so the retries below (outer) wrap both routes.
    routeAroundRedis(octokit, job.installationId, () => coordinator.status().redis === "degraded", log);
  }
  retrySecondaryRateLimits(octokit, log, settings.retry);
  const claim = await coordinator.claimDelivery(job.deliveryId);
  if (claim.kind !== "claimed") {
    log.info(
      { delivery: job.deliveryId, event: job.eventKey },
      claim.kind === "duplicate"
        ? "delivery already handled; ignoring the redelivery"
        : "another replica is handling this delivery; ignoring it here",
    );
    return;
  }
  try {
    const done = await perform(settings, gh, job);
    // Moved to the review lane: the claim goes with the job that now holds the run.
    await (done === "moved" ? claim.lease.release() : claim.lease.complete());
  } catch (error) {
    // Nothing could be completed: the queue tries again (and a redelivery would too).
    await claim.lease.release();
    log.error({ delivery: job.deliveryId, event: job.eventKey, cause: describeError(error) }, "MX Guard could not handle the event");
    throw error;
  }
}

async function perform(settings: JobSettings, gh: GitHub, job: QueuedJob): Promise<"done" | "moved"> {
  const { task } = job;
  const base: JobBase = { installationId: job.installationId, owner: job.owner, repo: job.repo };
  switch (task.type) {
    case "pull": {
      const readConfig = policyReader(gh);
      if (!settings.pacing || job.lane !== "quick") {
        await runTrigger(settings, gh, job, task.pull, task.rerequest, task.head, { readConfig });
        return "done";
      }
      let triaged: Triage;
      try {
        triaged = await triage(settings.deps, gh, task.pull, readConfig);
      } catch (error) {
        // Triage only orders the runs; the run itself reads again, inside its check run, so a
        // failure there (a missing permission, say) still ends in a completed check naming it.
        gh.log.warn(
          { delivery: job.deliveryId, pull: task.pull.number, cause: describeError(error) },
          "could not triage the run; running it now",
        );
        await runTrigger(settings, gh, job, task.pull, task.rerequest, task.head, { readConfig });
        return "done";
      }
      // A review while others of this installation wait: they go first (a BullMQ queue cannot say: always).
      if (triaged.review && (settings.queue.waitingFor(job.installationId) ?? 1) > 0) {
        const moved = await settings.queue.add({
          ...job,
          id: `${job.id}.review`,
          lane: "review",
          ...(job.dedupeKey ? { dedupeKey: `${job.dedupeKey}#review` } : {}),
        });
        gh.log.info(
          { delivery: job.deliveryId, pull: task.pull.number, moved },
          "a review: queued behind the quick runs of this installation",
        );
        return "moved";
      }
      await runTrigger(settings, gh, job, task.pull, task.rerequest, task.head, {
        readConfig: async () => triaged.config,
        ...(triaged.files ? { files: triaged.files } : {}),
      });
      return "done";
    }
    case "rerequested": {
      const pull = await findPullForSha(gh, task.headSha, task.pulls, task.repositoryId);
      if (!pull) gh.log.info({ headSha: task.headSha }, "no open pull request has this head commit; nothing to re-run");
      else await runTrigger(settings, gh, job, pull, true, undefined, { readConfig: policyReader(gh) });
      return "done";
    }
    case "policy-push": {
      // One job per pull request, each with its own external_id.
      const pulls = await openPullsInto(gh, task.branch);
      for (const [index, pull] of pulls.entries()) {
        await settings.queue.add(pullJob(base, pull, true, `${job.deliveryId}.${index + 1}`, "push.policy", undefined, settings.appId));
      }
      return "done";
    }
    case "backfill": {
      // A new installation's repositories, or the periodic reconcile (reconcile.ts).
      const eventKey = job.eventKey === RECONCILE_EVENT ? "reconcile.missed" : "installation.backfill";
      const pulls = await uncheckedOpenPulls(gh, CHECK_NAME);
      for (const [index, pull] of pulls.entries()) {
        await settings.queue.add(pullJob(base, pull, true, `${job.deliveryId}.${index + 1}`, eventKey, undefined, settings.appId));
      }
      return "done";
    }
  }
}

/** The policy, read with the same plugin and deep merge as Probot's context.config (policy.ts). */
function policyReader(gh: GitHub): () => Promise<unknown> {
  return () => readPolicyFile(gh.octokit as unknown as ConfigReader, gh);
}

async function runTrigger(
  settings: JobSettings,
  gh: GitHub,
  job: QueuedJob,
  pull: PullTarget,
  rerequest: boolean,
  head: { before?: string } | undefined,
  prepared: { readConfig: () => Promise<unknown>; files?: ChangedFile[] },
): Promise<RunOutcome> {
  const { coordinator } = settings;
  const request = {
    gh,
    pull,
    eventKey: job.eventKey,
    deliveryId: job.deliveryId,
    rerequest,
    ...prepared,
    ...(settings.pacing ? { quickMs: settings.pacing.quickMs } : {}),
    mergeBase: settings.mergeBase,
    // The same injectable sleep as the rate-limit retries: tests never wait.
    visibility: { ...DEFAULT_VISIBILITY, sleep: settings.retry.sleep },
  };
  const pullKey: PullKey = { owner: gh.owner, repo: gh.repo, number: pull.number };
  if (head) await coordinator.recordHead(pullKey, pull.headSha, head.before);
  const publishGate = async (lock: PullRequestLock): Promise<PublishGate> => {
    if (await coordinator.isSuperseded(pullKey, pull.headSha)) return "superseded";
    return (await lock.stillHeld()) ? "publish" : "lock-lost";
  };
  // A merge group posts only its check run: no pull request to lock or to supersede.
  const outcome = pull.mergeGroup
    ? await runForPullRequest(settings.deps, request)
    : await coordinator.withPullRequestLock(pullKey, (lock) =>
        runForPullRequest(settings.deps, { ...request, publishGate: () => publishGate(lock) }),
      );
  gh.log.info({ delivery: job.deliveryId, event: job.eventKey, pull: pull.number, outcome }, "MX Guard handled the event");
  return outcome;
}
