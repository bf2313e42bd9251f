/**
 * Webhook handlers: which events start a run, how each maps to a pull request, and the guards
 * around a run (delivery de-duplication, one run at a time per pull request, newest head wins,
 * rate-limit retries). The guards live in a Coordinator: this process's memory, or Redis shared by
 * replicas when REDIS_URL is set (coordination/, docs/replicas.md).
 */
import type { Context, Probot } from "probot";
import { DEFAULT_VISIBILITY } from "./commit-visibility.js";
import { CHECK_NAME, POLICY_FILE } from "./constants.js";
import { describeError } from "./errors.js";
import type { EvaluateDeps } from "./evaluate.js";
import { coordinatorFromEnv, type Coordinator, type PullKey, type PullRequestLock } from "./coordination/index.js";
import { runForPullRequest, type PublishGate, type RunOutcome } from "./pipeline.js";
import { routeAroundRedis } from "./probot-patches/throttle-fallback.js";
import { DEFAULT_RETRY_OPTIONS, retrySecondaryRateLimits, type RetryOptions } from "./retry.js";
import { fromMergeGroup, type MergeGroupPayload } from "./merge-group.js";
import { readPolicyFile, type ConfigReader } from "./policy.js";
import { installedRepositories, openPullsInto, policyPushBranch, uncheckedOpenPulls } from "./recheck.js";
import { findPullForSha, fromPullRequest, type MinimalPullRequest } from "./targets.js";
import type { GitHub, PullTarget } from "./types.js";

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
}

interface Trigger {
  pull: PullTarget;
  rerequest: boolean;
  /** The external_id's event name when it is not `<event>.<action>` (recheck.ts). */
  eventKey?: string;
  /** pull_request events say which commit is the head now (and, on synchronize, which one was). */
  head?: { before?: string };
}

export function registerHandlers(app: Probot, deps: EvaluateDeps, options: AppOptions = {}): Coordinator {
  const coordinator =
    options.coordinator ??
    coordinatorFromEnv(app.log, process.env, options.deliveryCapacity ? { deliveryCapacity: options.deliveryCapacity } : {});
  const retry: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, ...options.retry };
  const redisDown = (): boolean => coordinator.status().redis === "degraded";
  // `probot run` takes the App's id from APP_ID: earlier check runs of other apps are not this one's.
  const appId = Number(process.env.APP_ID) || undefined;

  async function publishGate(pull: PullKey, headSha: string, lock: PullRequestLock): Promise<PublishGate> {
    if (await coordinator.isSuperseded(pull, headSha)) return "superseded";
    return (await lock.stillHeld()) ? "publish" : "lock-lost";
  }

  async function runTrigger(
    context: Context,
    gh: GitHub,
    trigger: Trigger,
    eventKey: string,
    deliveryId: string,
    readConfig: () => Promise<unknown> = () => context.config(POLICY_FILE),
  ): Promise<RunOutcome> {
    const request = {
      gh,
      pull: trigger.pull,
      eventKey,
      deliveryId,
      rerequest: trigger.rerequest,
      readConfig,
      mergeBase: options.mergeBase === true,
      // The same injectable sleep as the rate-limit retries: tests never wait.
      visibility: { ...DEFAULT_VISIBILITY, sleep: retry.sleep },
    };
    const pullKey: PullKey = { owner: gh.owner, repo: gh.repo, number: trigger.pull.number };
    if (trigger.head) await coordinator.recordHead(pullKey, trigger.pull.headSha, trigger.head.before);
    // A merge group posts only its check run: no pull request to lock or to supersede.
    return trigger.pull.mergeGroup
      ? await runForPullRequest(deps, request)
      : await coordinator.withPullRequestLock(pullKey, (lock) =>
          runForPullRequest(deps, { ...request, publishGate: () => publishGate(pullKey, trigger.pull.headSha, lock) }),
        );
  }

  /** The run's outcome; null when this delivery started none (a redelivery, or no pull request to check). */
  async function handle(context: Context, resolve: (gh: GitHub) => Promise<Trigger | Trigger[] | null>): Promise<RunOutcome | null> {
    const eventKey = `${context.name}.${(context.payload as { action?: string }).action ?? ""}`;
    const claim = await coordinator.claimDelivery(context.id);
    if (claim.kind !== "claimed") {
      context.log.info(
        { delivery: context.id, event: eventKey },
        claim.kind === "duplicate"
          ? "delivery already handled; ignoring the redelivery"
          : "another replica is handling this delivery; ignoring it here",
      );
      return null;
    }
    const { owner, repo } = context.repo();
    const gh: GitHub = { octokit: context.octokit, owner, repo, log: context.log, ...(appId ? { appId } : {}) };
    if (coordinator.status().backend === "redis") {
      // Registered first, so the retries below (outer) wrap both routes.
      routeAroundRedis(context.octokit, (context.payload as { installation?: { id?: number } }).installation?.id, redisDown, context.log);
    }
    retrySecondaryRateLimits(context.octokit, context.log, retry);
    try {
      const resolved = await resolve(gh);
      const triggers = resolved === null ? [] : Array.isArray(resolved) ? resolved : [resolved];
      let outcome: RunOutcome | null = null;
      for (const [index, trigger] of triggers.entries()) {
        // One delivery that re-checks several pull requests: one external_id each.
        const deliveryId = Array.isArray(resolved) ? `${context.id}.${index + 1}` : context.id;
        outcome = await runTrigger(context, gh, trigger, trigger.eventKey ?? eventKey, deliveryId);
        context.log.info({ delivery: context.id, event: eventKey, pull: trigger.pull.number, outcome }, "MX Guard handled the event");
      }
      await claim.lease.complete();
      return outcome;
    } catch (error) {
      // Nothing could be completed: let a redelivery try again.
      await claim.lease.release();
      context.log.error({ delivery: context.id, event: eventKey, cause: describeError(error) }, "MX Guard could not handle the event");
      throw error;
    }
  }

  app.on([...PULL_REQUEST_EVENTS], (context) =>
    handle(context, async () => {
      const before = (context.payload as { before?: unknown }).before;
      return {
        pull: fromPullRequest(context.payload.pull_request),
        rerequest: false,
        head: typeof before === "string" && /^[0-9a-f]{40}$/i.test(before) ? { before } : {},
      };
    }),
  );

  // A new base makes the verdict stale: check again, like a Re-run (recheck.ts).
  app.on("pull_request.edited", (context) => {
    if (!(context.payload as { changes?: { base?: unknown } }).changes?.base) return Promise.resolve(null);
    return handle(context, async () => ({ pull: fromPullRequest(context.payload.pull_request), rerequest: true }));
  });

  // A policy change on the default branch: the open pull requests into it are checked again.
  app.on("push", (context) => {
    const branch = policyPushBranch(context.payload as Parameters<typeof policyPushBranch>[0]);
    if (!branch) return Promise.resolve(null);
    return handle(context, async (gh) =>
      (await openPullsInto(gh, branch)).map((pull) => ({ pull, rerequest: true, eventKey: "push.policy" })),
    );
  });

  // Installed on repositories with open pull requests: check those that have no MX Guard run yet.
  app.on(["installation.created", "installation_repositories.added"], async (context) => {
    const claim = await coordinator.claimDelivery(context.id);
    if (claim.kind !== "claimed") return null;
    retrySecondaryRateLimits(context.octokit, context.log, retry);
    let outcome: RunOutcome | null = null;
    try {
      for (const { owner, repo } of installedRepositories(context.payload as Parameters<typeof installedRepositories>[0])) {
        const gh: GitHub = { octokit: context.octokit, owner, repo, log: context.log, ...(appId ? { appId } : {}) };
        for (const [index, pull] of (await uncheckedOpenPulls(gh, CHECK_NAME)).entries()) {
          // No repository in the payload: context.config cannot tell which one; the same plugin can.
          const readConfig = () => readPolicyFile(context.octokit as unknown as ConfigReader, gh);
          outcome = await runTrigger(
            context,
            gh,
            { pull, rerequest: true },
            "installation.backfill",
            `${context.id}.${owner}/${repo}.${index + 1}`,
            readConfig,
          );
        }
      }
      await claim.lease.complete();
      return outcome;
    } catch (error) {
      await claim.lease.release();
      context.log.error({ delivery: context.id, cause: describeError(error) }, "MX Guard could not check the newly installed repositories");
      throw error;
    }
  });

  // Merge queues wait for the required check on the group's head commit (merge-group.ts).
  app.on("merge_group.checks_requested", (context) =>
    handle(context, async () => ({ pull: fromMergeGroup(context.payload.merge_group as MergeGroupPayload), rerequest: false })),
  );

  app.on("check_run.rerequested", (context) => {
    if (context.payload.check_run.name !== CHECK_NAME) return Promise.resolve(null);
    const { head_sha: headSha, pull_requests: pulls } = context.payload.check_run;
    return handle(context, (gh) => rerequested(gh, headSha, pulls, context.payload.repository.id));
  });

  app.on("check_suite.rerequested", (context) => {
    const { head_sha: headSha, pull_requests: pulls } = context.payload.check_suite;
    return handle(context, (gh) => rerequested(gh, headSha, pulls, context.payload.repository.id));
  });

  async function rerequested(gh: GitHub, headSha: string, pulls: MinimalPullRequest[], repositoryId: number): Promise<Trigger | null> {
    const pull = await findPullForSha(gh, headSha, pulls, repositoryId);
    if (!pull) gh.log.info({ headSha }, "no open pull request has this head commit; nothing to re-run");
    return pull ? { pull, rerequest: true } : null;
  }

  return coordinator;
}
