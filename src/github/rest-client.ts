/**
 * The GitHub client of the shells that run without Probot (the Action and `mx-guard review`):
 * @octokit/rest with the retry and throttling plugins Probot itself uses, and
 * @probot/octokit-plugin-config, the plugin behind Probot's `context.config`.
 *
 * Rate limits and failures:
 * - plugin-throttling paces writes and retries a primary rate limit (x-ratelimit-remaining: 0) once
 *   the reset comes, when that is at most `maxWaitSeconds` away, at most `maxRetries` times.
 * - retry.ts (the same policy the App runs) does every other retry: secondary limits and 429s after
 *   Retry-After or x-ratelimit-reset, GraphQL RATE_LIMITED, 5xx and timeouts of requests that are
 *   safe to send again. It switches plugin-retry's own retries off on each request.
 */
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { config } from "@probot/octokit-plugin-config";
import { DEFAULT_RETRY_OPTIONS, retrySecondaryRateLimits, type RetryOptions } from "./retry.js";
import type { ConfigReader } from "./policy.js";
import type { GitHubClient, Log } from "./types.js";

const RestOctokit = Octokit.plugin(throttling, retry, config);

/** A client for the GitHub modules that can also read the policy file. */
export type RestClient = GitHubClient & ConfigReader;

export interface RestClientOptions {
  token: string;
  /** REST root: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server (GraphQL then goes to /api/graphql). */
  baseUrl: string;
  log: Log;
  userAgent?: string;
  retry?: Partial<RetryOptions>;
  /** False switches plugin-throttling off (its write pacing of 1 s, 3 s for reviews and comments). */
  throttle?: boolean;
  /** Unit of the plugins' waits, 1000 (seconds) by default; tests make it small. */
  waitUnitMs?: number;
  fetch?: typeof globalThis.fetch;
}

export function createRestClient(options: RestClientOptions): RestClient {
  const { log } = options;
  const limits: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, ...options.retry };
  const waitUnitMs = options.waitUnitMs ?? 1000;
  const octokit = new RestOctokit({
    auth: options.token,
    baseUrl: options.baseUrl,
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
    // Octokit's own request lines (plugin-request-log) go to debug, without their options: those
    // carry the authorization header.
    log: {
      debug: () => {},
      info: (message: string) => log.debug({}, message),
      warn: (message: string) => log.warn({}, message),
      error: (message: string) => log.debug({}, message),
    },
    throttle: {
      enabled: options.throttle ?? true,
      retryAfterBaseValue: waitUnitMs,
      onRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        const retrying = retryCount < limits.maxRetries && retryAfter <= limits.maxWaitSeconds;
        log.warn(
          { method: request.method, url: request.url, waitSeconds: retryAfter, attempt: retryCount + 1 },
          retrying
            ? "GitHub rate limit reached: waiting for the reset"
            : "GitHub rate limit reached: the reset is too far away to wait for",
        );
        return retrying;
      },
      // Left to retry.ts, which also honours a Retry-After on a 429 that does not say "secondary".
      onSecondaryRateLimit: () => false,
    },
    retry: { retryAfterBaseValue: waitUnitMs },
  });
  retrySecondaryRateLimits(octokit, log, limits);
  return octokit;
}
