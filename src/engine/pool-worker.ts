/**
 * One engine worker (engine/pool.ts): receives base and head file maps with the policy, answers the
 * review with every output. Runs the same front door as the CLI, in its own thread and heap.
 */
import { parentPort } from "node:worker_threads";
import { reviewChange } from "./index.js";
import type { PoolRequest, PoolResponse } from "./pool.js";

parentPort?.on("message", (request: PoolRequest) => {
  let response: PoolResponse;
  try {
    response = { id: request.id, ok: true, result: reviewChange(request.base, request.head, request.policy) };
  } catch (error) {
    response = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(response);
});
