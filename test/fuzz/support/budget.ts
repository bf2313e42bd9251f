/**
 * Per-input time and whole-run heap bounds for property runs. `timed` throws inside the property
 * (so fast-check reports the seed and the input) when one input takes longer than the limit.
 */
export const PER_INPUT_MS = 1000;
/** Heap growth allowed across one property run, after a collection when the runtime allows it. */
export const HEAP_GROWTH_BYTES = 256 * 1024 * 1024;

export interface Budget {
  slowestMs: number;
  slowestInput: string;
  runs: number;
  heapStart: number;
}

function collect(): void {
  const g = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void } };
  if (g.gc) g.gc();
  else g.Bun?.gc(true);
}

export function heapUsed(): number {
  collect();
  return process.memoryUsage().heapUsed;
}

export function startBudget(): Budget {
  return { slowestMs: 0, slowestInput: "", runs: 0, heapStart: heapUsed() };
}

/** Runs one input; throws when it alone exceeds PER_INPUT_MS. `describe` names the input in the message. */
export function timed<T>(budget: Budget, describe: () => string, run: () => T, limitMs = PER_INPUT_MS): T {
  const start = performance.now();
  const value = run();
  const ms = performance.now() - start;
  budget.runs++;
  if (ms > budget.slowestMs) {
    budget.slowestMs = ms;
    budget.slowestInput = describe().slice(0, 200);
  }
  if (ms > limitMs) throw new Error(`one input took ${ms.toFixed(0)} ms (limit ${limitMs} ms): ${describe().slice(0, 500)}`);
  return value;
}

export async function timedAsync<T>(budget: Budget, describe: () => string, run: () => Promise<T>, limitMs = PER_INPUT_MS): Promise<T> {
  const start = performance.now();
  const value = await run();
  const ms = performance.now() - start;
  budget.runs++;
  if (ms > budget.slowestMs) {
    budget.slowestMs = ms;
    budget.slowestInput = describe().slice(0, 200);
  }
  if (ms > limitMs) throw new Error(`one input took ${ms.toFixed(0)} ms (limit ${limitMs} ms): ${describe().slice(0, 500)}`);
  return value;
}

/** Final check after a run: the slowest input and the heap growth, printed and asserted. */
export function finishBudget(budget: Budget, label: string, limitMs = PER_INPUT_MS): { slowestMs: number; heapGrowthMb: number } {
  const growth = heapUsed() - budget.heapStart;
  const heapGrowthMb = Math.round((growth / 1024 / 1024) * 10) / 10;
  console.log(`[fuzz] ${label}: ${budget.runs} inputs, slowest ${budget.slowestMs.toFixed(1)} ms, heap growth ${heapGrowthMb} MB`);
  if (budget.slowestMs > limitMs) throw new Error(`${label}: slowest input ${budget.slowestMs.toFixed(0)} ms > ${limitMs} ms`);
  if (growth > HEAP_GROWTH_BYTES)
    throw new Error(`${label}: heap grew by ${heapGrowthMb} MB (limit ${HEAP_GROWTH_BYTES / 1024 / 1024} MB)`);
  return { slowestMs: budget.slowestMs, heapGrowthMb };
}
