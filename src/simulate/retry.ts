/**
 * The retry schedule (docs/model.md): start + k × retryPeriod for k = 1..retries, then once a day
 * (start + 1d, + 2d, …, after the last periodic retry) until validity ends. With
 * model.retrySchedule "spread-over-first-day" the first-day retries are spread over its 24 hours
 * (Adobe: "five retries … with a minimum interval of one hour spread out over the 24 hours of the
 * day"): every max(retryPeriod, 24 h / retries).
 */
import type { Delivery, ModelOptions } from "../model/config.js";

const DAY_MS = 86_400_000;

export type RetrySchedule = Pick<Delivery, "start" | "retryPeriodSec" | "retries" | "validitySec">;

/** The first-day retry period the schedule uses, in ms. */
export function retryPeriodMs(d: RetrySchedule, schedule: ModelOptions["retrySchedule"] = "hourly-from-start"): number {
  const period = Math.max(0, d.retryPeriodSec) * 1000;
  const retries = Math.max(0, Math.floor(d.retries));
  return schedule === "spread-over-first-day" && retries > 0 ? Math.max(period, DAY_MS / retries) : period;
}

/** The first retry time strictly after `afterMs`, or null when none comes before validity ends. */
export function nextRetryTime(
  d: RetrySchedule,
  afterMs: number,
  schedule: ModelOptions["retrySchedule"] = "hourly-from-start",
): number | null {
  const elapsed = afterMs - d.start;
  const period = retryPeriodMs(d, schedule);
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
