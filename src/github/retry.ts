/**
 * Two guards on every request of an event's client, around Probot's own retry and throttling:
 *
 * - Secondary rate limits, which Probot's throttling options only log (platform.md §1.6): a 403/429
 *   that carries Retry-After or says "secondary rate limit" is retried after the wait GitHub asks
 *   for, bounded in time and count. Primary limits (x-ratelimit-remaining: 0) and 5xx are left to
 *   Probot's own plugins.
 * - Timeouts: each attempt gets `requestTimeoutMs` to answer (undici alone would wait 5 minutes for
 *   headers), so a hung connection cannot hold a run forever. A timed-out request is retried with
 *   backoff when repeating it cannot post anything twice (reads, PATCH, GraphQL queries, and the
 *   check-run POST, whose latest run is the one GitHub shows); a review or comment POST is not.
 *
 * The sleep is injectable so tests never wait.
 */
import type { Logger, ProbotOctokit } from "probot";

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
 * A request GitHub did not answer in time. Named "AbortError" because @octokit/request passes such
 * errors through unwrapped, so Probot's retry plugin leaves them alone and the wrapper below
 * decides whether repeating the request is safe (no double retries either).
 */
export class GitHubTimeoutError extends Error {
  override name = "AbortError";
  readonly timeout = true;
  constructor(
    readonly timeoutMs: number,
    readonly method: string,
    readonly path: string,
  ) {
    super(`GitHub did not answer ${method} ${path} within ${Math.round(timeoutMs / 100) / 10} s`);
  }
}

export function isTimeout(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  if (error instanceof GitHubTimeoutError) return true;
  const { name, cause } = error as { name?: unknown; cause?: unknown };
  return name === "TimeoutError" || (typeof cause === "object" && cause !== null && isTimeout(cause));
}

/** True when sending the request again cannot post a second review or comment. */
export function timeoutRetrySafe(method: string, url: string): boolean {
  const verb = method.toUpperCase();
  if (verb !== "POST") return true;
  const path = pathOf(url);
  return /(?:^|\/)graphql$/.test(path) || /\/repos\/[^/]+\/[^/]+\/check-runs$/.test(path);
}

/** A request URL without its origin and query: "https://api.github.com/graphql?x" → "/graphql". */
function pathOf(url: string): string {
  return url.replace(/^https?:\/\/[^/]+/, "").replace(/\?.*$/, "");
}

type Fetch = typeof globalThis.fetch;

/** `fetch` with a deadline per call: a hung call fails with GitHubTimeoutError. */
export function fetchWithTimeout(inner: Fetch, timeoutMs: number): Fetch {
  return async (input, init = {}) => {
    const timer = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timer]) : timer;
    const method = (init.method ?? "GET").toUpperCase();
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const path = pathOf(url);
    try {
      const response = await inner(input, { ...init, signal });
      // The body is read later under the same signal; a stalled body fails the same way.
      return response;
    } catch (error) {
      if (timer.aborted) throw new GitHubTimeoutError(timeoutMs, method, path);
      throw error;
    }
  };
}

const wrapped = new WeakSet<object>();

/** Adds the retry to this client once (Probot may hand the same client to several events). */
export function retrySecondaryRateLimits(octokit: ProbotOctokit, log: Logger, options: RetryOptions): void {
  if (wrapped.has(octokit)) return;
  wrapped.add(octokit);
  octokit.hook.wrap("request", async (request, requestOptions) => {
    // Hooks share one options object (the inner chain is bound to it): set the deadline in place.
    const baseFetch: Fetch = requestOptions.request?.fetch ?? globalThis.fetch;
    requestOptions.request = { ...requestOptions.request, fetch: fetchWithTimeout(baseFetch, options.requestTimeoutMs) };
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        if (isTimeout(error)) {
          if (attempt >= options.maxRetries || !timeoutRetrySafe(requestOptions.method, requestOptions.url)) throw error;
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
