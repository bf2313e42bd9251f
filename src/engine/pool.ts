/**
 * The engine in worker threads, for the GitHub App: the server's event loop only does I/O, and a run
 * that exceeds its wall-clock deadline or its heap budget is terminated and reported with the numbers,
 * while webhooks and the health check keep answering. Under Bun, node:worker_threads is Bun's Worker
 * (Bun does not enforce resourceLimits; the deadline still applies).
 */
import { Worker } from "node:worker_threads";
import type { Policy } from "../model/config.js";
import type { FileMap } from "../model/source.js";
import { watchedPaths, type Engine, type ReviewResult } from "./index.js";

export interface PoolRequest {
  id: number;
  base: FileMap;
  head: FileMap;
  policy: Policy;
}

export type PoolResponse = { id: number; ok: true; result: ReviewResult } | { id: number; ok: false; message: string };

export interface PoolOptions {
  /** Worker threads (default 2: a 2-core machine keeps one core for the server). */
  size?: number;
  /** Wall-clock budget of one review, fixes included (default 20 s). */
  deadlineMs?: number;
  /** Heap budget of one worker (default 512 MB). */
  maxHeapMb?: number;
  /** The compiled worker script (default: pool-worker.js next to this module). */
  workerUrl?: URL;
}

/** A run stopped for exceeding its budget: the message says which budget and its size. */
export class BudgetExceeded extends Error {
  override readonly name = "BudgetExceeded";
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

interface Task {
  request: Omit<PoolRequest, "id">;
  resolve: (result: ReviewResult) => void;
  reject: (error: Error) => void;
}

/** The App's Engine, backed by worker threads; `close()` stops them. */
export interface PooledEngine extends Engine {
  reviewChange(base: FileMap, head: FileMap, policy: Policy): Promise<ReviewResult>;
  close(): Promise<void>;
}

export function createEnginePool(options: PoolOptions = {}): PooledEngine {
  const size = Math.max(1, options.size ?? 2);
  const deadlineMs = options.deadlineMs ?? 20_000;
  const maxHeapMb = options.maxHeapMb ?? 512;
  const workerUrl = options.workerUrl ?? new URL("./pool-worker.js", import.meta.url);
  const slots: Slot[] = [];
  const waiting: Task[] = [];
  let nextId = 1;
  let closed = false;

  const spawn = (): Slot => {
    const worker = new Worker(workerUrl, { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
    worker.unref();
    return { worker, busy: false };
  };

  const run = (slot: Slot, task: Task): void => {
    slot.busy = true;
    slot.worker.ref(); // a run in progress keeps the process alive; an idle worker does not
    const id = nextId++;
    let settled = false;
    const finish = (outcome: () => void, replace: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      slot.worker.off("message", onMessage);
      slot.worker.off("error", onError);
      slot.worker.off("exit", onExit);
      if (replace) {
        void slot.worker.terminate();
        slots[slots.indexOf(slot)] = spawn();
      } else {
        slot.busy = false;
        slot.worker.unref();
      }
      outcome();
      pump();
    };
    const onMessage = (response: PoolResponse) => {
      if (response.id !== id) return;
      finish(() => (response.ok ? task.resolve(response.result) : task.reject(new Error(response.message))), false);
    };
    const onError = (error: Error) => {
      const outOfMemory = (error as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY";
      const cause = outOfMemory
        ? new BudgetExceeded(
            `the simulation ran out of its ${maxHeapMb} MB memory budget and was stopped: the configuration is too large to simulate within the budget`,
          )
        : error;
      finish(() => task.reject(cause), true);
    };
    const onExit = (code: number) => finish(() => task.reject(new Error(`the engine worker stopped (exit code ${code})`)), true);
    const timer = setTimeout(() => {
      finish(
        () =>
          task.reject(
            new BudgetExceeded(
              `the simulation did not finish within its ${Math.round(deadlineMs / 1000)} s budget and was stopped: the configuration is too large to simulate within the budget`,
            ),
          ),
        true,
      );
    }, deadlineMs);
    slot.worker.on("message", onMessage);
    slot.worker.on("error", onError);
    slot.worker.on("exit", onExit);
    slot.worker.postMessage({ id, ...task.request } satisfies PoolRequest);
  };

  const pump = (): void => {
    while (waiting.length > 0 && !closed) {
      let slot = slots.find((s) => !s.busy);
      if (!slot && slots.length < size) {
        slot = spawn();
        slots.push(slot);
      }
      if (!slot) return;
      run(slot, waiting.shift()!);
    }
  };

  return {
    watchedPaths,
    reviewChange(base, head, policy) {
      if (closed) return Promise.reject(new Error("the engine pool is closed"));
      return new Promise<ReviewResult>((resolve, reject) => {
        waiting.push({ request: { base, head, policy }, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const task of waiting.splice(0)) task.reject(new Error("the engine pool is closed"));
      await Promise.all(slots.splice(0).map((slot) => slot.worker.terminate()));
    },
  };
}
