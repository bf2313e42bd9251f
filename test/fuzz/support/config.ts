/**
 * Run sizes and seeds. The normal test suite runs a smoke sample; the dedicated run
 * (test/fuzz/vitest.fuzz.config.ts) sets MX_FUZZ_SCALE=full. Seeds are fixed so every run is
 * reproducible; MX_FUZZ_SEED overrides them to explore further, and fast-check prints the seed and
 * path of any failure (replay with `{ seed, path }`).
 */
export const FULL = process.env.MX_FUZZ_SCALE === "full";

export function runs(smoke: number, full: number): number {
  return FULL ? full : smoke;
}

const BASE_SEED = process.env.MX_FUZZ_SEED === undefined ? 20_260_705 : Number(process.env.MX_FUZZ_SEED);

/** A fixed seed per property, derived from its name so adding a property does not shift the others. */
export function seedFor(name: string): number {
  let h = BASE_SEED | 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
  return h;
}

/** Test timeout for a property of `n` inputs: generous, since the per-input bound is what matters. */
export function timeoutFor(n: number, msPerInput = 20): number {
  return Math.max(30_000, n * msPerInput);
}
