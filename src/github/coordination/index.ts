/**
 * Which coordinator a process uses: Redis when REDIS_URL is set (the same variable that makes
 * Probot share its request throttling between replicas), memory otherwise. See docs/replicas.md.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "probot";
import type { CoordinationOptions, Coordinator } from "./coordinator.js";
import { MemoryCoordinator } from "./memory.js";
import { RedisCoordinator } from "./redis.js";

export type { Coordinator, CoordinatorStatus, DeliveryClaim, PullKey, PullRequestLock } from "./coordinator.js";
export { MemoryCoordinator } from "./memory.js";
export { RedisCoordinator } from "./redis.js";

export function coordinatorFromEnv(
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
  options: Partial<CoordinationOptions> = {},
): Coordinator {
  const url = env.REDIS_URL?.trim();
  if (!url) return new MemoryCoordinator(options);
  return new RedisCoordinator({ ...options, url, log });
}

/** Path of the health endpoint for load balancers (Probot's /ping says only that the process is up). */
const HEALTH_PATH = "/mx-guard/health";

/**
 * GET /mx-guard/health → 200 with `{"status":"ok"|"degraded","coordination":{"backend","redis"}}`.
 * Always 200 while the process serves webhooks: a replica without Redis still handles them (alone),
 * so taking it out of the load balancer would only lose capacity. "degraded" is for alerting.
 */
export function healthHandler(coordinator: Coordinator) {
  return (request: IncomingMessage, response: ServerResponse): boolean => {
    if (request.method !== "GET" && request.method !== "HEAD") return false;
    if ((request.url ?? "").split("?")[0] !== HEALTH_PATH) return false;
    const coordination = coordinator.status();
    const body = JSON.stringify({ status: coordination.redis === "degraded" ? "degraded" : "ok", coordination });
    response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    response.end(request.method === "HEAD" ? undefined : body);
    return true;
  };
}
