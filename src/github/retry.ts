/**
 * Retries GitHub's secondary rate limits, which Probot's throttling options only log (platform.md
 * §1.6): a 403/429 that carries Retry-After or says "secondary rate limit" is retried after the wait
 * GitHub asks for, bounded in time and count. Primary limits (x-ratelimit-remaining: 0) and 5xx are
 * left to Probot's own plugins. The sleep is injectable so tests never wait.
 */
import type { Logger, ProbotOctokit } from "probot";

export interface RetryOptions {
  sleep: (ms: number) => Promise<void>;
  /** A wait longer than this is not worth holding the handler for: the error goes up instead. */
  maxWaitSeconds: number;
  /** Retries after the first attempt. */
  maxRetries: number;
}

/** GitHub's advice when a secondary limit names no wait: at least one minute. */
const FALLBACK_WAIT_SECONDS = 60;

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  maxWaitSeconds: 60,
  maxRetries: 3,
};

interface ErrorLike {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, unknown> };
}

/** Seconds to wait before retrying `error`, or null when it is not a secondary rate limit. */
export function secondaryRateLimitWait(error: unknown): number | null {
  if (typeof error !== "object" || error === null) return null;
  const { status, message, response } = error as ErrorLike;
  if (status !== 403 && status !== 429) return null;
  const headers = response?.headers ?? {};
  if (String(headers["x-ratelimit-remaining"]) === "0") return null;
  const retryAfter = Number(headers["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && headers["retry-after"] !== undefined) return retryAfter;
  if (status === 429 || /secondary rate limit/i.test(String(message ?? ""))) return FALLBACK_WAIT_SECONDS;
  return null;
}

const wrapped = new WeakSet<object>();

/** Adds the retry to this client once (Probot may hand the same client to several events). */
export function retrySecondaryRateLimits(octokit: ProbotOctokit, log: Logger, options: RetryOptions): void {
  if (wrapped.has(octokit)) return;
  wrapped.add(octokit);
  octokit.hook.wrap("request", async (request, requestOptions) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const wait = secondaryRateLimitWait(error);
        if (wait === null || attempt >= options.maxRetries || wait > options.maxWaitSeconds) throw error;
        log.warn(
          { method: requestOptions.method, url: requestOptions.url, waitSeconds: wait, attempt: attempt + 1 },
          "GitHub secondary rate limit: waiting before retrying",
        );
        await options.sleep(wait * 1000);
      }
    }
  });
}
