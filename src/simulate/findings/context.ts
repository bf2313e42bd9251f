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
  domains: DomainResult[];
  deliveries: DeliveryResult[];
  totals: SiteTotals[];
}

/** The path whose rule names the site's limit: the first one not blocked by TLS. */
export function bindingPath(site: SitePlan): PathPlan | null {
  if (site.limitedBy !== "hourly" && site.limitedBy !== "connections") return null;
  return site.paths.find((p) => !p.blockedByTls && p.rule !== null) ?? null;
}

/** The arithmetic of a site's capacity, as one sentence for messages. */
export function explainSite(site: SitePlan): string {
  const path = bindingPath(site);
  const label = `${site.info.key} (${site.domains.join(", ")})`;
  if (!path || !path.rule || !path.numbers) {
    if (site.limitedBy === "tls") return `${label} accepts nothing: it requires TLS and the path is plaintext`;
    if (site.limitedBy === "no-path") return `${label} has no usable local IP`;
    return `${label} is limited only by the MTA ceiling: ${num(site.slotCapacity)} messages per 5-minute slot`;
  }
  const r = path.rule;
  const n = path.numbers;
  const sharing = r.shared ? "shared: 1 bucket" : `not shared: ${plural(n.buckets, "bucket")}, one per remote IP`;
  const ids = site.paths.length;
  const perPath =
    n.limitedBy === "hourly"
      ? `floor(${num(r.messagesPerHour)} / 12) × ${n.buckets} = ${num(n.perSlotHourly)} per 5-minute slot`
      : `${num(r.maxConnections)} connections × ${n.buckets} × 300 s carry ${num(n.perSlotConnections)} per 5-minute slot (before ${num(n.perSlotHourly)} from messages per hour)`;
  const acceptance = site.info.acceptance < 1 ? `, × acceptance ${site.info.acceptance}` : "";
  return (
    `${label}: rule "${r.mask}" (${where(r.span)}) allows ${num(r.messagesPerHour)} messages/hour (${sharing}), ` +
    `so ${perPath}; × ${plural(ids, "publicId")}${acceptance} = ${num(site.slotCapacity)} messages per slot for the site`
  );
}
