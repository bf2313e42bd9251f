/**
 * Capacity of one publicId p under rule r at a site with R remote IPs (docs/model.md). Quota
 * buckets = 1 if shared else R (Adobe's table: 2×7 at 10,000/h → 20,000 shared, 140,000 unshared).
 * Connections are per path (publicId × remote IP) whether shared or not: maxConnections × R.
 * Per 5-minute slot: floor(messagesPerHour / 12) × buckets (10,000/h → 833), or what the
 * connections can carry in 300 s, whichever is smaller.
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

/** The arithmetic of docs/model.md#how-fast-a-site-can-go for one publicId under one rule. */
export function pathCapacity(rule: RuleLimits, site: Pick<SiteInfo, "remoteIps"> & Timing, tls: EffectiveTls): PathNumbers {
  const buckets = rule.shared ? 1 : Math.max(1, Math.floor(site.remoteIps));
  const mph = Math.max(0, rule.messagesPerHour);
  const hourly = finite(mph * buckets);
  const perSlotHourly = finite(Math.floor(mph / SLOTS_PER_HOUR) * buckets);
  // Adobe: "the maximum number of connections refers to a path" (publicId × remote IP), shared or not.
  const connections = Math.max(0, rule.maxConnections) * Math.max(1, Math.floor(site.remoteIps));
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
  /** The path cannot deliver at all (plaintext to a TLS-only site): weighted traffic avoids it, like an IP that cannot reach the MX. */
  blocked?: boolean;
}

/**
 * Messages per slot `sessions` concurrent SMTP sessions carry over `paths`, each path at most its
 * `effective`: the paths with the cheapest sessions first (a fractional knapsack). Raising any
 * path's `effective` or the sessions never lowers the result. `order` lists the paths by cost.
 */
export function sessionCapacity(
  paths: readonly SessionPath[],
  order: readonly number[],
  sessions: number,
): { capacity: number; bound: boolean } {
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

/**
 * Messages per slot a queue carries when each publicId takes its weight's share of the traffic
 * (Adobe: weights 5/5/1 send 45/45/10 % through the three IPs). Without spill-over the queue runs at
 * the pace of its tightest publicId, capacity ÷ share; the sessions carry `sessions × 300 s` over the
 * weighted cost of a message. `shares` is aligned with `order`'s paths by path index.
 */
export function weightedCapacity(
  paths: readonly SessionPath[],
  indices: readonly number[],
  shares: readonly number[],
  sessions: number,
): { capacity: number; bound: boolean } {
  let rules = Infinity;
  let cost = 0;
  const open = indices.reduce((sum, p, k) => sum + (paths[p]!.blocked ? 0 : (shares[k] ?? 0)), 0);
  if (!(open > 0)) return { capacity: 0, bound: false };
  indices.forEach((p, k) => {
    const share = (shares[k] ?? 0) / open;
    if (!(share > 0) || paths[p]!.blocked) return;
    rules = Math.min(rules, paths[p]!.effective / share);
    cost += share * paths[p]!.cost;
  });
  const carried = cost > 0 ? (Math.max(0, sessions) * SLOT_SECONDS) / cost : Infinity;
  // Snapped to a 1e-6 grid: the shares are sums of fractions, and float noise must not floor 500,000 to 499,999.
  const capacity = Math.round(Math.min(rules, carried) * 1e6) / 1e6;
  return { capacity: Math.min(UNLIMITED, Number.isFinite(capacity) ? capacity : UNLIMITED), bound: carried < rules };
}
