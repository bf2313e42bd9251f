/**
 * Webhook handlers: which events start a run, how each maps to a pull request, and the guards
 * around a run (delivery de-duplication, one run at a time per pull request, rate-limit retries).
 */
import type { Context, Probot } from "probot";
import { CHECK_NAME, POLICY_FILE } from "./constants.js";
import { describeError } from "./errors.js";
import type { EvaluateDeps } from "./evaluate.js";
import { DeliveryLog } from "./idempotency.js";
import { runForPullRequest } from "./pipeline.js";
import { DEFAULT_RETRY_OPTIONS, retrySecondaryRateLimits, type RetryOptions } from "./retry.js";
import { KeyedQueue } from "./serialize.js";
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
  /** Delivery ids remembered for de-duplication. */
  deliveryCapacity?: number;
}

interface Trigger {
  pull: PullTarget;
  rerequest: boolean;
}

export function registerHandlers(app: Probot, deps: EvaluateDeps, options: AppOptions = {}): void {
  const deliveries = new DeliveryLog(options.deliveryCapacity);
  const queue = new KeyedQueue();
  const retry: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, ...options.retry };

  async function handle(context: Context, resolve: (gh: GitHub) => Promise<Trigger | null>): Promise<void> {
    const eventKey = `${context.name}.${(context.payload as { action?: string }).action ?? ""}`;
    if (!deliveries.claim(context.id)) {
      context.log.info({ delivery: context.id, event: eventKey }, "delivery already handled; ignoring the redelivery");
      return;
    }
    const { owner, repo } = context.repo();
    const gh: GitHub = { octokit: context.octokit, owner, repo, log: context.log };
    retrySecondaryRateLimits(context.octokit, context.log, retry);
    try {
      const trigger = await resolve(gh);
      if (!trigger) return;
      const outcome = await queue.run(`${gh.owner}/${gh.repo}#${trigger.pull.number}`, () =>
        runForPullRequest(deps, {
          gh,
          pull: trigger.pull,
          eventKey,
          deliveryId: context.id,
          rerequest: trigger.rerequest,
          readConfig: () => context.config(POLICY_FILE),
        }),
      );
      context.log.info({ delivery: context.id, event: eventKey, pull: trigger.pull.number, outcome }, "MX Guard handled the event");
    } catch (error) {
      // Nothing could be completed: let a redelivery try again.
      deliveries.release(context.id);
      context.log.error({ delivery: context.id, event: eventKey, cause: describeError(error) }, "MX Guard could not handle the event");
      throw error;
    }
  }

  app.on([...PULL_REQUEST_EVENTS], (context) =>
    handle(context, async () => ({ pull: fromPullRequest(context.payload.pull_request), rerequest: false })),
  );

  app.on("check_run.rerequested", (context) => {
    if (context.payload.check_run.name !== CHECK_NAME) return Promise.resolve();
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
}
