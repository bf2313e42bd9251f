/**
 * How many messages the MTA prepares in one 5-minute slot (docs/model.md, "working set").
 *
 * The working set (maxSpareServers × maxWaitingMessages) is refilled as fast as messages leave it,
 * in delivery order: what is prepared follows the domain mix of what remains to prepare, so a lane
 * (a site's queue) receives the fraction `mix` of everything prepared. During the slot each lane
 * sends at most its quota, from what it held plus what it receives, and every message it sends
 * frees a place that is prepared again. So the prepared amount P solves
 *
 *   P = min(eligible, free + Σ lanes min(capacity, queued + P × mix))
 *
 * The right side g(P) grows with P, piecewise linearly with slope ≤ 1 (Σ mix ≤ 1), and is concave.
 * Treating some lanes as already at their quota can only raise g, so its fixed point is an upper
 * bound; starting from "every lane at its quota" and keeping only the lanes whose quota is reached
 * below the current bound, the bound falls to the exact fixed point in a few passes, without sorting.
 */

/** Per-lane inputs, indexed by lane; `lanes` lists the lanes of this working set. */
export interface LaneDemands {
  /** Fraction of prepared messages that go to the lane (Σ over `lanes` ≤ 1). */
  mix: Float64Array;
  /** Messages it holds that will be sent (not those waiting to be abandoned). */
  queued: Float64Array;
  /** Its quota this slot. */
  capacity: Float64Array;
}

const FLAT = 1 - 1e-12;

/** Scratch for the lanes that may be at their quota (reused between calls; grows as needed). */
let atQuota = new Int32Array(64);

/** Messages prepared this slot, given `free` places in the working set and `eligible` messages to prepare. */
export function preparedThisSlot(lanes: readonly number[], demands: LaneDemands, free: number, eligible: number): number {
  if (!(eligible > 0)) return 0;
  if (atQuota.length < lanes.length) atQuota = new Int32Array(lanes.length * 2);
  const { queued, capacity, mix } = demands;
  // Start with every lane at its quota; the bound then only falls, so a lane that leaves the set never returns.
  let base = Math.max(0, free);
  let slope = 0;
  let count = 0;
  let reachable = base;
  for (const l of lanes) {
    const q = queued[l]!;
    const c = capacity[l]!;
    reachable += Math.min(c, q + eligible * mix[l]!);
    if (q >= c || !(mix[l]! > 0)) base += Math.min(c, q);
    else {
      base += c;
      atQuota[count++] = l;
    }
  }
  // Enough places free up to prepare everything eligible.
  if (reachable >= eligible) return eligible;
  let bound = slope < FLAT ? base / (1 - slope) : Infinity;
  for (;;) {
    let kept = 0;
    for (let k = 0; k < count; k++) {
      const l = atQuota[k]!;
      if ((capacity[l]! - queued[l]!) / mix[l]! < bound) atQuota[kept++] = l;
      else {
        base += queued[l]! - capacity[l]!;
        slope += mix[l]!;
      }
    }
    if (kept === count) break;
    count = kept;
    const next = slope < FLAT ? base / (1 - slope) : Infinity;
    if (!(next < bound)) break;
    bound = next;
  }
  return Math.min(eligible, bound);
}
