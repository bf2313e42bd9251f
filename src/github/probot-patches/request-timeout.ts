/**
 * A deadline on every GitHub request, set from inside a `hook.wrap` (Octokit has no request timeout
 * of its own, and undici alone waits 5 minutes for headers). Two things here rely on how Octokit
 * and @octokit/plugin-retry behave rather than on their documented options, which is why this file
 * lives with the other patches (test/github/probot-patches.test.ts checks both on every upgrade):
 *
 * - The timeout error is named "AbortError": @octokit/request passes errors of that name through
 *   unwrapped (any other fetch failure becomes a status-500 RequestError), so plugin-retry leaves
 *   them alone and retry.ts alone decides whether repeating the request is safe.
 * - The deadline is installed by replacing `options.request.fetch` in place: hooks share one options
 *   object, and the inner chain (plugin-retry, throttling, @octokit/request) reads the fetch from it.
 */
import { requestPath } from "../request-path.js";

/** A request GitHub did not answer in time. */
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

type Fetch = typeof globalThis.fetch;

/** `fetch` with a deadline per call: a hung call fails with GitHubTimeoutError. */
export function fetchWithTimeout(inner: Fetch, timeoutMs: number): Fetch {
  return async (input, init = {}) => {
    const timer = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timer]) : timer;
    const method = (init.method ?? "GET").toUpperCase();
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    try {
      const response = await inner(input, { ...init, signal });
      // The body is read later under the same signal; a stalled body fails the same way.
      return response;
    } catch (error) {
      if (timer.aborted) throw new GitHubTimeoutError(timeoutMs, method, requestPath(url));
      throw error;
    }
  };
}

/** Gives the request these `requestOptions` describe a deadline of `timeoutMs` per attempt. */
export function setRequestDeadline(requestOptions: { request?: { fetch?: Fetch } & Record<string, unknown> }, timeoutMs: number): void {
  const baseFetch: Fetch = requestOptions.request?.fetch ?? globalThis.fetch;
  requestOptions.request = { ...requestOptions.request, fetch: fetchWithTimeout(baseFetch, timeoutMs) };
}
