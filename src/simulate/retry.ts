/**
 * The retry schedule (SPEC §4, research §3.5): start + k × retryPeriod for k = 1..retries, then
 * once a day (start + 1d, + 2d, …, after the last periodic retry) until validity ends.
 */
import type { Delivery } from "../model/config.js";

const DAY_MS = 86_400_000;

export type RetrySchedule = Pick<Delivery, "start" | "retryPeriodSec" | "retries" | "validitySec">;

/** The first retry time strictly after `afterMs`, or null when none comes before validity ends. */
export function nextRetryTime(d: RetrySchedule, afterMs: number): number | null {
  const elapsed = afterMs - d.start;
  const period = Math.max(0, d.retryPeriodSec) * 1000;
  const retries = Math.max(0, Math.floor(d.retries));
  let best = Infinity;
  if (period > 0 && retries > 0) {
    const k = Math.max(1, Math.floor(elapsed / period) + 1);
    if (k <= retries) best = d.start + k * period;
  }
  const lastPeriodic = period > 0 ? retries * period : 0;
  const day = Math.max(1, Math.floor(elapsed / DAY_MS) + 1, Math.floor(lastPeriodic / DAY_MS) + 1);
  best = Math.min(best, d.start + day * DAY_MS);
  return best < d.start + Math.max(0, d.validitySec) * 1000 ? best : null;
}
