/**
 * A push to a fork is often announced (pull_request.synchronize) before the base repository can
 * see the commit: check-run calls then answer 422 "No commit found for SHA" for a few seconds. Those
 * calls are retried with backoff (1, 2, 4 … s) for up to two minutes before the commit counts as
 * unknown (docs/github-app.md, "Pull requests from forks").
 */
import type { GitHub } from "./types.js";

export interface VisibilityOptions {
  /** Total time to wait for the commit to appear. */
  maxWaitMs: number;
  firstDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_VISIBILITY: VisibilityOptions = {
  maxWaitMs: 120_000,
  firstDelayMs: 1_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** GitHub's answer about a commit it does not have (yet): 422 "No commit found for SHA". */
export function isCommitNotFound(error: unknown): boolean {
  const { status, message } = (error ?? {}) as { status?: unknown; message?: unknown };
  return status === 422 && /no commit found/i.test(String(message ?? ""));
}

/** Thrown when the commit is still unknown after the whole wait. */
export class CommitNotVisibleError extends Error {
  constructor(
    readonly sha: string,
    readonly waitedMs: number,
  ) {
    super(`GitHub still answers "No commit found for SHA: ${sha}" after ${Math.round(waitedMs / 1000)} s`);
  }
}

/** `call()`, again after each "No commit found" until the commit is visible or the wait is over. */
export async function whenCommitVisible<T>(
  gh: GitHub,
  sha: string,
  call: () => Promise<T>,
  options: VisibilityOptions = DEFAULT_VISIBILITY,
): Promise<T> {
  let waited = 0;
  let delay = options.firstDelayMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!isCommitNotFound(error)) throw error;
      if (waited >= options.maxWaitMs) throw new CommitNotVisibleError(sha, waited);
      const wait = Math.min(delay, options.maxWaitMs - waited);
      gh.log.info({ headSha: sha, waitMs: wait }, "GitHub does not show this commit yet (a push to a fork propagating); waiting");
      await options.sleep(wait);
      waited += wait;
      delay *= 2;
    }
  }
}
