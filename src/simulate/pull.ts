/**
 * How many messages the working set can take in one slot. Sending frees room as it goes, so the
 * MTA keeps pulling (in proportion to what each stream has eligible) until the messages left
 * *unsent* fill the working set: the working set bounds what waits, not the throughput.
 *
 * For a pull of P messages, site k holds base_k + P·share_k and keeps
 * max(0, base_k + P·share_k − cap_k) unsent. That sum grows with P; this returns the largest
 * whole P ≤ limit that keeps it within `room` (bisection: no sorting in the per-slot loop).
 */
export interface SiteLoads {
  base: Float64Array;
  share: Float64Array;
  cap: Float64Array;
  /** Number of sites filled in. */
  count: number;
}

function unsent(loads: SiteLoads, pull: number): number {
  let total = 0;
  for (let k = 0; k < loads.count; k++) {
    const left = loads.base[k]! + pull * loads.share[k]! - loads.cap[k]!;
    if (left > 0) total += left;
  }
  return total;
}

export function maxPull(loads: SiteLoads, room: number, limit: number): number {
  if (limit <= 0 || unsent(loads, 0) >= room) return 0;
  if (unsent(loads, limit) <= room) return limit;
  // Since max(0, x) ≥ x and the shares sum to 1: unsent(P) ≥ Σ base + P − Σ cap.
  let held = 0;
  for (let k = 0; k < loads.count; k++) held += loads.base[k]! - loads.cap[k]!;
  let lo = 0;
  let hi = Math.max(1, Math.min(limit, Math.ceil(room - held) + 1));
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (unsent(loads, mid) <= room) lo = mid;
    else hi = mid;
  }
  return lo;
}
