/**
 * Two guards on every request of a client (an event's `context.octokit` in the App, the client of
 * rest-client.ts in the Action and `mx-guard review`), around the retry and throttling plugins:
 *
 * - Secondary rate limits, which Probot's throttling options only log (Probot installs a log-only onSecondaryRateLimit): a 403/429
 *   that carries Retry-After or says "secondary rate limit" is retried after the wait GitHub asks
 *   for, bounded in time and count. Primary limits (x-ratelimit-remaining: 0) and 5xx are left to
 *   Probot's own plugins.
 * - Timeouts: each attempt gets `requestTimeoutMs` to answer (undici alone would wait 5 minutes for
 *   headers), so a hung connection cannot hold a run forever. A timed-out request is retried with
 *   backoff when repeating it cannot post anything twice (reads, PATCH, GraphQL queries, and the
 *   check-run POST, whose latest run is the one GitHub shows); a review or comment POST is not.
 *
 * The deadline itself (and why its error is named "AbortError") is in probot-patches/request-timeout.ts.
 * The sleep is injectable so tests never wait.
 */
import { isTimeout, setRequestDeadline } from "./probot-patches/request-timeout.js";
import { requestPath } from "./request-path.js";
import type { GitHubClient, Log } from "./types.js";

export interface RetryOptions {
  sleep: (ms: number) => Promise<void>;
  /** A wait longer than this is not worth holding the handler for: the error goes up instead. */
  maxWaitSeconds: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Time GitHub gets to answer one attempt of one request (headers and body). */
  requestTimeoutMs: number;
}

/** GitHub's advice when a secondary limit names no wait: at least one minute. */
const FALLBACK_WAIT_SECONDS = 60;

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  maxWaitSeconds: 60,
  maxRetries: 3,
  requestTimeoutMs: 20_000,
};

/** First backoff after a timeout; doubled for each later attempt (1 s, 2 s, 4 s). */
const TIMEOUT_BACKOFF_MS = 1_000;

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

/**
 * True when sending the request again cannot post a second review or comment: reads, PATCH, GraphQL
 * queries, and the check-run POST (GitHub shows the latest run of a name).
 */
export function resendIsSafe(method: string, url: string): boolean {
  const verb = method.toUpperCase();
  if (verb !== "POST") return true;
  const path = requestPath(url);
  return /(?:^|\/)graphql$/.test(path) || /\/repos\/[^/]+\/[^/]+\/check-runs$/.test(path);
}

const wrapped = new WeakSet<object>();

/** Adds the retry to this client once (Probot may hand the same client to several events). */
export function retrySecondaryRateLimits(octokit: Pick<GitHubClient, "hook">, log: Log, options: RetryOptions): void {
  if (wrapped.has(octokit)) return;
  wrapped.add(octokit);
  octokit.hook.wrap("request", async (request, requestOptions) => {
    setRequestDeadline(requestOptions, options.requestTimeoutMs);
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        if (isTimeout(error)) {
          if (attempt >= options.maxRetries || !resendIsSafe(requestOptions.method, requestOptions.url)) throw error;
          const waitMs = TIMEOUT_BACKOFF_MS * 2 ** attempt;
          log.warn(
            { method: requestOptions.method, url: requestOptions.url, timeoutMs: options.requestTimeoutMs, waitMs, attempt: attempt + 1 },
            "GitHub did not answer in time: retrying",
          );
          await options.sleep(waitMs);
          continue;
        }
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
