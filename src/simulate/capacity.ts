/**
 * Capacity of one path (SPEC §3, research §2.4): per publicId p under rule r at a site with R
 * remote IPs. buckets = 1 if shared else R (Adobe's table: 2×7 at 10,000/h → 20,000 shared,
 * 140,000 unshared). Per 5-minute slot: floor(messagesPerHour / 12) × buckets (10,000/h → 833),
 * or what the connections can carry in 300 s, whichever is smaller.
 */
import type { MxRule } from "../model/config.js";
import type { EffectiveTls, LimitedBy, PathCapacity } from "../model/results.js";
import type { SiteInfo } from "./sites.js";

export const SLOT_SECONDS = 300;
export const SLOTS_PER_HOUR = 12;
/** Stand-in for "no finite limit" that stays a JSON number. */
export const UNLIMITED = Number.MAX_SAFE_INTEGER;

type Timing = Pick<SiteInfo, "connectSeconds" | "tlsHandshakeSeconds" | "secondsPerMessage">;

/** Seconds one connection is busy per message: (connect + handshake + M × secondsPerMessage) / M. */
export function sessionSecondsPerMessage(timing: Timing, messagesPerConnection: number, tls: EffectiveTls): number {
  const m = Math.max(1, Math.floor(messagesPerConnection));
  const handshake = tls === "opportunistic" ? timing.tlsHandshakeSeconds : 0;
  return (timing.connectSeconds + handshake + m * timing.secondsPerMessage) / m;
}

/** Messages per second one connection carries (M / (connect + tls + M × secondsPerMessage)). */
export function connectionRate(timing: Timing, messagesPerConnection: number, tls: EffectiveTls): number {
  const seconds = sessionSecondsPerMessage(timing, messagesPerConnection, tls);
  return seconds > 0 ? 1 / seconds : Infinity;
}

export type RuleLimits = Pick<MxRule, "shared" | "maxConnections" | "maxMessagesPerConnection" | "messagesPerHour">;

export interface PathNumbers {
  buckets: number;
  hourly: number;
  perSlotHourly: number;
  perSlotConnections: number;
  slotCapacity: number;
  limitedBy: Extract<LimitedBy, "hourly" | "connections">;
  /** Session-seconds per message, for the MTA ceiling. */
  sessionSeconds: number;
}

function finite(n: number): number {
  return Number.isFinite(n) ? Math.min(UNLIMITED, Math.max(0, Math.floor(n))) : UNLIMITED;
}

/** The arithmetic of SPEC §3 for one publicId under one rule. */
export function pathCapacity(rule: RuleLimits, site: Pick<SiteInfo, "remoteIps"> & Timing, tls: EffectiveTls): PathNumbers {
  const buckets = rule.shared ? 1 : Math.max(1, Math.floor(site.remoteIps));
  const mph = Math.max(0, rule.messagesPerHour);
  const hourly = finite(mph * buckets);
  const perSlotHourly = finite(Math.floor(mph / SLOTS_PER_HOUR) * buckets);
  const connections = Math.max(0, rule.maxConnections) * buckets;
  const rate = connectionRate(site, rule.maxMessagesPerConnection, tls);
  const perSlotConnections = connections === 0 ? 0 : finite(connections * rate * SLOT_SECONDS);
  const connectionsBind = perSlotConnections < perSlotHourly;
  return {
    buckets,
    hourly,
    perSlotHourly,
    perSlotConnections,
    slotCapacity: connectionsBind ? perSlotConnections : perSlotHourly,
    limitedBy: connectionsBind ? "connections" : "hourly",
    sessionSeconds: sessionSecondsPerMessage(site, rule.maxMessagesPerConnection, tls),
  };
}

/** One path as the session ceiling sees it: delivered messages per slot and session-seconds per delivered message. */
export interface SessionPath {
  /** Messages per slot the rule lets through (after acceptance); Infinity when no rule bounds the path. */
  effective: number;
  /** Session-seconds one delivered message costs (attempts / acceptance × seconds per attempt). */
  cost: number;
}

/**
 * Messages per slot `sessions` concurrent SMTP sessions carry over `paths`, each path at most its
 * `effective`: the paths with the cheapest sessions first (a fractional knapsack). Raising any
 * path's `effective` or the sessions never lowers the result. `order` lists the paths by cost.
 */
export function sessionCapacity(paths: readonly SessionPath[], order: readonly number[], sessions: number): { capacity: number; bound: boolean } {
  let left = Math.max(0, sessions) * SLOT_SECONDS;
  let capacity = 0;
  let bound = false;
  for (const p of order) {
    const { effective, cost } = paths[p]!;
    if (!(effective > 0)) continue;
    if (cost <= 0) {
      capacity += effective;
      continue;
    }
    const need = effective * cost;
    if (need <= left) {
      capacity += effective;
      left -= need;
    } else {
      capacity += left / cost;
      left = 0;
      bound = true;
    }
  }
  return { capacity: Math.min(UNLIMITED, capacity), bound };
}

/** Path indices sorted by session cost, cheapest first (ties by index). */
export function costOrder(paths: readonly SessionPath[], indices: readonly number[]): number[] {
  return [...indices].sort((a, b) => paths[a]!.cost - paths[b]!.cost || a - b);
}

export type { PathCapacity };
