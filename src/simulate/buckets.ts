/**
 * Quota buckets that several queues draw on (docs/model.md#shared-buckets): a shared rule that several sites
 * match (model.sharedScope: rule), and instances on one statistics server (policy instances[].statServer).
 * A bucket is divided between its users in proportion to their planned volume on it while their
 * deliveries run, the split a working set filled in delivery order converges to; never by what remains, so
 * how fast one site sends cannot change another's part.
 */
import type { BucketLoad, ModelOptions, MxRule } from "../model/config.js";

/** Names of the bucket a path's messages per hour count against, and of the path whose connections it uses. */
export interface BucketKeys {
  quota: string | null;
  connections: string;
}

/**
 * Adobe's table: a shared rule has one bucket per publicId, an unshared one a bucket per path. A shared
 * rule's bucket covers every site it matches (sharedScope rule) or one site (site). Rules are named by
 * mask, so that two instances' copies of a rule name the same bucket.
 */
export function bucketKeys(rule: MxRule | null, publicId: number, site: string, scope: ModelOptions["sharedScope"]): BucketKeys {
  const connections = `site ${site} | publicId ${publicId}`;
  if (!rule) return { quota: null, connections };
  const mask = rule.mask.toLowerCase();
  const quota =
    rule.shared && scope === "rule" ? `rule ${mask} | publicId ${publicId}` : `site ${site} | rule ${mask} | publicId ${publicId}`;
  return { quota, connections };
}

/** One queue's use of a bucket in an epoch: its planned volume there. */
export interface BucketUse {
  quota: string | null;
  connections: string;
  volume: number;
}

/** Totals per bucket in one epoch: own queues' volumes on each quota bucket, and other instances' on both kinds. */
export interface BucketTotals {
  quota: Map<string, number>;
  foreignConnections: Map<string, number>;
}

export function newTotals(): BucketTotals {
  return { quota: new Map(), foreignConnections: new Map() };
}

export function addUse(totals: BucketTotals, use: BucketUse): void {
  if (use.quota && use.volume > 0) totals.quota.set(use.quota, (totals.quota.get(use.quota) ?? 0) + use.volume);
}

/** Other instances' deliveries that run during [fromMs, toMs). */
export function addForeign(totals: BucketTotals, loads: readonly BucketLoad[], fromMs: number, toMs: number): void {
  for (const load of loads) {
    if (!(load.volume > 0) || load.fromMs >= toMs || load.toMs <= fromMs) continue;
    totals.quota.set(load.quota, (totals.quota.get(load.quota) ?? 0) + load.volume);
    totals.foreignConnections.set(load.connections, (totals.foreignConnections.get(load.connections) ?? 0) + load.volume);
  }
}

/** The part of a bucket's quota, and of its paths' connections, that one use gets (1 when it is alone). */
export function partOf(totals: BucketTotals, use: BucketUse): { quota: number; connections: number } {
  if (!(use.volume > 0) || !use.quota) return { quota: 1, connections: 1 };
  const all = totals.quota.get(use.quota) ?? use.volume;
  const foreign = totals.foreignConnections.get(use.connections) ?? 0;
  return { quota: all > use.volume ? use.volume / all : 1, connections: foreign > 0 ? use.volume / (use.volume + foreign) : 1 };
}

/** The buckets more than one queue uses: own queues at several sites, or another instance. */
export interface Contested {
  quota: Set<string>;
  connections: Set<string>;
}

export function contestedBuckets(uses: readonly (BucketKeys & { site: number })[], loads: readonly BucketLoad[]): Contested {
  const sites = new Map<string, Set<number>>();
  const paths = new Set<string>();
  for (const use of uses) {
    paths.add(use.connections);
    if (!use.quota) continue;
    const set = sites.get(use.quota) ?? new Set<number>();
    sites.set(use.quota, set.add(use.site));
  }
  const quota = new Set<string>();
  const connections = new Set<string>();
  for (const [key, set] of sites) if (set.size > 1) quota.add(key);
  for (const load of loads) {
    if (sites.has(load.quota)) quota.add(load.quota);
    if (paths.has(load.connections)) connections.add(load.connections);
  }
  return { quota, connections };
}

export function isContested(contested: Contested, keys: BucketKeys): boolean {
  return (keys.quota !== null && contested.quota.has(keys.quota)) || contested.connections.has(keys.connections);
}
