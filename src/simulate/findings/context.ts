/**
 * What the finding builders read: the model, the plan, and the simulated results.
 */
import type { InstanceModel } from "../../model/config.js";
import type { DeliveryResult, DomainResult } from "../../model/results.js";
import type { PathPlan, Plan, SitePlan } from "../plan.js";
import type { SiteTotals } from "../results.js";
import { num, plural, where } from "./make.js";

export interface FindingContext {
  model: InstanceModel;
  plan: Plan;
  domains: DomainResult<number>[];
  deliveries: DeliveryResult<number>[];
  totals: SiteTotals[];
  /** Per stream: ms from its delivery's start to its last message, unrounded; null when some expire. */
  completionMs: (number | null)[];
}

/**
 * The path whose rule names the site's limit: the first one not blocked by TLS. With `publicIds`,
 * among the paths of those publicIds only (what one delivery may use).
 */
export function bindingPath(site: SitePlan, publicIds?: readonly number[]): PathPlan | null {
  if (site.limitedBy !== "hourly" && site.limitedBy !== "connections") return null;
  return site.paths.find((p) => !p.blockedByTls && p.rule !== null && (!publicIds || publicIds.includes(p.publicId))) ?? null;
}

/** Position of the binding rule in model.mxRules.rules (what fixes.ts reads as details.ruleIndex). */
export function ruleIndexOf(ctx: Pick<FindingContext, "model">, path: PathPlan | null): number | null {
  if (!path?.rule) return null;
  const at = ctx.model.mxRules.rules.indexOf(path.rule);
  return at >= 0 ? at : path.rule.index;
}

/** The publicIds a delivery may use at a site (over its domains there). */
export function deliveryPublicIds(plan: Plan, delivery: number, site: number): number[] {
  const ids = new Set<number>();
  for (const s of plan.deliveries[delivery]!.streams) {
    const st = plan.streams[s]!;
    if (st.site === site && st.status === "ok") for (const id of st.publicIds) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** ", × its planned-volume part of the buckets it shares with …", when others draw on the same buckets. */
function sharedPart(site: SitePlan): string {
  const { sites, instances } = site.sharedWith;
  const who = [
    ...(sites.length > 0 ? [`${sites.join(", ")} (model.sharedScope: rule)`] : []),
    ...(instances.length > 0 ? [`instance${instances.length > 1 ? "s" : ""} ${instances.join(", ")} (same statServer)`] : []),
  ];
  return who.length > 0 ? `, × its part by planned volume of the buckets it shares with ${who.join(" and ")}` : "";
}

/**
 * What a site's remoteIps is: the catalog's and mx-guard's own counts are estimates (providers rotate
 * their addresses); a count from providers.yaml is the user's.
 */
export function remoteIpsLabel(site: SitePlan): string {
  const fromUser = site.info.provider?.origin === "providers.yaml" && !site.info.ownMx;
  return fromUser ? "providers.yaml" : "estimate";
}

/**
 * "1 connection × 1.82 messages/s × 300 s": connections count per path (publicId × remote IP), and
 * one connection carries 1 / sessionSeconds messages a second (docs/model.md#how-fast-a-site-can-go).
 */
function connectionProduct(maxConnections: number, remoteIps: number, sessionSeconds: number, ipsSource: string): string {
  const ips = Math.max(1, Math.floor(remoteIps));
  const perPath = ips === 1 ? "" : ` per path × ${plural(ips, "remote IP")} (${ipsSource})`;
  const rate = sessionSeconds > 0 ? Math.round(100 / sessionSeconds) / 100 : Number.POSITIVE_INFINITY;
  return `${plural(maxConnections, "connection")}${perPath} × ${rate.toFixed(2).replace(/\.?0+$/, "")} messages/s × 300 s`;
}

/**
 * The arithmetic of a site's capacity, as one sentence for messages. With `publicIds` (one
 * delivery's), the product counts only those publicIds: "× 2 publicIds (3, 4) … for this delivery".
 */
export function explainSite(site: SitePlan, publicIds?: readonly number[]): string {
  const path = bindingPath(site, publicIds);
  const label = `${site.info.key} (${site.domains.join(", ")})`;
  if (!path?.rule || !path.numbers) {
    if (site.limitedBy === "tls") return `${label} accepts nothing: it requires TLS and the path is plaintext`;
    if (site.limitedBy === "no-path") return `${label} has no usable local IP`;
    const rules = site.paths.some((p) => p.rule !== null);
    if (site.limitedBy === "mta" && rules)
      return `${label} is limited by its share of the MTA sessions (${num(Math.round(site.sessions * 100) / 100)} sessions, by planned volume): ${num(site.slotCapacity)} messages per 5-minute slot, less than its rules allow`;
    return `${label} is limited only by its share of the MTA sessions (${num(Math.round(site.sessions * 100) / 100)} sessions, by planned volume): ${num(site.slotCapacity)} messages per 5-minute slot`;
  }
  const r = path.rule;
  const n = path.numbers;
  const ips = remoteIpsLabel(site);
  const sharing = r.shared
    ? "shared: one bucket per publicId"
    : `not shared: ${plural(n.buckets, "bucket")} per publicId, one per remote IP (${ips})`;
  const used = publicIds ? site.paths.filter((p) => publicIds.includes(p.publicId)) : site.paths;
  const perPath =
    n.limitedBy === "hourly"
      ? `floor(${num(r.messagesPerHour)} / 12) × ${n.buckets} = ${num(n.perSlotHourly)} per 5-minute slot`
      : `${connectionProduct(r.maxConnections, site.info.remoteIps, n.sessionSeconds, ips)} = ${num(n.perSlotConnections)} per 5-minute slot (before ${num(n.perSlotHourly)} from messages per hour)`;
  const acceptance = site.info.acceptance < 1 ? `, × acceptance ${site.info.acceptance}` : "";
  const ids = publicIds
    ? ` (${used.map((p) => p.publicId).join(", ")}${used.length < site.paths.length ? `, of the site's ${site.paths.length}` : ""})`
    : "";
  const total = publicIds
    ? Math.min(
        site.slotCapacity,
        used.reduce((sum, p) => sum + (p.blockedByTls ? 0 : Math.min(p.effective, Number.MAX_SAFE_INTEGER)), 0),
      )
    : site.slotCapacity;
  return (
    `${label}: rule "${r.mask}" (${where(r.span)}) allows ${num(r.messagesPerHour)} messages/hour (${sharing}), ` +
    `so ${perPath}; × ${plural(used.length, "publicId")}${ids}${acceptance}${sharedPart(site)} = ${num(total)} messages per slot for ${publicIds ? "this delivery" : "the site"}`
  );
}
