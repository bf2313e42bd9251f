/**
 * Keeps GitHub requests flowing when Redis is gone.
 *
 * With REDIS_URL set, Probot schedules every GitHub request of every client through Bottleneck
 * queues kept in Redis (node_modules/probot/lib/octokit/get-octokit-throttle-options.js), over an
 * ioredis client with ioredis' defaults: commands wait in an offline queue while Redis is down and
 * fail only after 20 reconnection attempts. Measured: with Redis killed, a replica sent no request
 * to GitHub for over a minute, so a check run it had started stayed in progress.
 *
 * While the coordinator reports Redis unreachable, this sends each request of the event's client
 * through a twin client instead: same class, same installation, same token cache, Probot's retry,
 * but Probot's throttling off and a simple per-process pacing in its place (writes ≥1 s apart,
 * review/comment POSTs ≥3 s apart, as Probot's local throttling would). A request already waiting
 * in Probot's Redis queue when Redis went away fails there without a status (it never reached
 * GitHub), and is then sent once through the twin. When Redis is back, requests go through
 * Probot's shared throttling again.
 */
import type { Logger, ProbotOctokit } from "probot";
import { requestPath } from "../request-path.js";

type OctokitClass = new (options: Record<string, unknown>) => ProbotOctokit;

/** Per-process pacing of writes, the same intervals as @octokit/plugin-throttling's local groups. */
export class LocalPacer {
  readonly #next = new Map<"write" | "notification", number>();

  constructor(
    readonly writeGapMs = 1_000,
    readonly notificationGapMs = 3_000,
  ) {}

  /** Resolves when `method url` may be sent (reads at once). */
  async pace(method: string, url: string): Promise<void> {
    const path = requestPath(url);
    const verb = method.toUpperCase();
    if (verb === "GET" || verb === "HEAD") {
      if (!/(?:^|\/)graphql$/.test(path)) return;
    }
    await this.#take("write", this.writeGapMs);
    if (verb === "POST" && /\/(?:issues|pulls)\/[^/]+\/(?:comments|reviews)$/.test(path))
      await this.#take("notification", this.notificationGapMs);
  }

  /** Reserves the next slot of `kind` synchronously, then waits for it. */
  async #take(kind: "write" | "notification", gapMs: number): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.#next.get(kind) ?? 0);
    this.#next.set(kind, at + gapMs);
    if (at > now) await new Promise<void>((resolve) => setTimeout(resolve, at - now));
  }
}

const pacer = new LocalPacer();
const routed = new WeakSet<object>();

/** A request that failed before it reached GitHub (octokit's own errors all carry a status). */
function neverSent(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { status?: unknown }).status !== "number" &&
    (error as { name?: unknown }).name !== "AbortError"
  );
}

/**
 * Routes `octokit`'s requests around Probot's Redis-backed throttling while `redisDown()` is true.
 * Does nothing for a client without an installation, or when Probot runs without REDIS_URL.
 */
export function routeAroundRedis(octokit: ProbotOctokit, installationId: number | undefined, redisDown: () => boolean, log: Logger): void {
  if (installationId === undefined || routed.has(octokit)) return;
  routed.add(octokit);
  let twin: ProbotOctokit | null = null;
  let announced = false;
  const twinClient = (): ProbotOctokit => {
    if (!twin) {
      const Octokit = octokit.constructor as OctokitClass;
      twin = new Octokit({ auth: { installationId }, throttle: { enabled: false } });
    }
    if (!announced) {
      announced = true;
      log.debug({ installationId }, "Redis is unreachable: sending this event's GitHub requests with local pacing");
    }
    return twin;
  };
  octokit.hook.wrap("request", async (request, options) => {
    if (!redisDown()) {
      try {
        return await request(options);
      } catch (error) {
        if (!redisDown() || !neverSent(error)) throw error;
        // Probot's Redis-backed queue failed under this request: it never left, send it once more.
      }
    }
    await pacer.pace(options.method, options.url);
    // The twin has its own hook chain: drop ours (request.hook), keep fetch, signal and the rest.
    const { hook: _ours, ...requestOptions } = (options.request ?? {}) as Record<string, unknown>;
    const twinRequest = twinClient().request as unknown as (options: Record<string, unknown>) => ReturnType<typeof request>;
    return twinRequest({ ...options, request: requestOptions });
  });
}
