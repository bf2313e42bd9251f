/**
 * The one retry policy of every client (an event's `context.octokit` in the App, the client of
 * rest-client.ts in the Action and `mx-guard review`). plugin-retry stays loaded but is told not to
 * retry (`request.retries: 0` on each request): its fixed 1/4/9 s backoff ignores Retry-After and
 * would re-send a review POST after a 5xx. Here, bounded in time and count:
 *
 * - Rate limits: a 403/429 with Retry-After, a "secondary rate limit" message, or a 429 with
 *   x-ratelimit-reset waits what GitHub asks for; so does a GraphQL answer with HTTP 200 and a
 *   RATE_LIMITED error. A primary limit (x-ratelimit-remaining: 0) is plugin-throttling's.
 * - 5xx, 409 and timeouts (each attempt gets `requestTimeoutMs`; undici alone would wait 5 minutes):
 *   retried with backoff (1, 2, 4 s) when repeating the request cannot post anything twice (reads,
 *   PATCH, GraphQL queries, the check-run POST, whose latest run is the one GitHub shows). A review
 *   or comment POST is never re-sent here: review.ts and sticky-comment.ts first look whether it
 *   landed (by its marker).
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
export function secondaryRateLimitWait(error: unknown, now: number = Date.now()): number | null {
  if (typeof error !== "object" || error === null) return null;
  const { status, message, response } = error as ErrorLike;
  const headers = response?.headers ?? {};
  if (graphqlRateLimited(error)) return resetWait(headers, now) ?? FALLBACK_WAIT_SECONDS;
  if (status !== 403 && status !== 429) return null;
  if (String(headers["x-ratelimit-remaining"]) === "0") return null;
  const retryAfter = Number(headers["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && headers["retry-after"] !== undefined) return retryAfter;
  if (status === 429) return resetWait(headers, now) ?? FALLBACK_WAIT_SECONDS;
  if (/secondary rate limit/i.test(String(message ?? ""))) return FALLBACK_WAIT_SECONDS;
  return null;
}

/** Seconds until x-ratelimit-reset (epoch seconds), when GitHub sent it. */
function resetWait(headers: Record<string, unknown>, now: number): number | null {
  const reset = Number(headers["x-ratelimit-reset"]);
  if (headers["x-ratelimit-reset"] === undefined || !Number.isFinite(reset)) return null;
  return Math.max(0, Math.ceil(reset - now / 1000));
}

/** GraphQL answers a rate limit with HTTP 200 and `errors: [{ type: "RATE_LIMITED" }]` (or a secondary-limit message). */
function graphqlRateLimited(error: unknown): boolean {
  // GraphqlResponseError carries `errors`; plugin-throttling's "GraphQL Rate Limit Exceeded" `data.errors`.
  const { errors: own, data } = error as { errors?: unknown; data?: { errors?: unknown } };
  const errors = own ?? data?.errors;
  if (!Array.isArray(errors)) return false;
  return errors.some(
    (e: { type?: unknown; message?: unknown }) => e?.type === "RATE_LIMITED" || /secondary rate limit/i.test(String(e?.message ?? "")),
  );
}

/** An answer worth repeating: a server error (5xx) or a conflict (409), which plugin-retry also retried. */
function isServerError(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && (status === 409 || (status >= 500 && status <= 599));
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
    // plugin-retry (inside this wrap) must not retry on its own: this loop is the policy.
    requestOptions.request = { ...requestOptions.request, retries: 0 };
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await request(requestOptions);
        // GraphQL reports a rate limit with HTTP 200 and `errors`: graphql() throws it after this hook.
        const limited = { errors: (response.data as { errors?: unknown } | null)?.errors, response };
        const wait = graphqlRateLimited(limited) ? secondaryRateLimitWait(limited) : null;
        if (wait === null || attempt >= options.maxRetries || wait > options.maxWaitSeconds) return response;
        log.warn(
          { method: requestOptions.method, url: requestOptions.url, waitSeconds: wait, attempt: attempt + 1 },
          "GitHub GraphQL rate limit: waiting before retrying",
        );
        await options.sleep(wait * 1000);
      } catch (error) {
        const timedOut = isTimeout(error);
        if (timedOut || isServerError(error)) {
          if (attempt >= options.maxRetries || !resendIsSafe(requestOptions.method, requestOptions.url)) throw error;
          const waitMs = TIMEOUT_BACKOFF_MS * 2 ** attempt;
          log.warn(
            {
              method: requestOptions.method,
              url: requestOptions.url,
              ...(timedOut ? { timeoutMs: options.requestTimeoutMs } : { status: (error as { status?: number }).status }),
              waitMs,
              attempt: attempt + 1,
            },
            timedOut ? "GitHub did not answer in time: retrying" : "GitHub answered with a server error: retrying",
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
