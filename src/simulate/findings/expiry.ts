/**
 * delivery-expiry and deadline-miss (SPEC §6): anchored on the binding rule of the worst-hit site
 * (its whole item, so a fix can replace it), or on the delivery when no rule binds.
 */
import type { Finding } from "../../model/findings.js";
import type { DeliveryPlan } from "../plan.js";
import { bindingPath, explainSite, type FindingContext } from "./context.js";
import { deliveryAnchor, makeFinding, num, ruleAnchor, type Anchor } from "./make.js";

function formatDuration(sec: number): string {
  if (sec % 86400 === 0) return `${sec / 86400}d`;
  if (sec % 3600 === 0) return `${sec / 3600}h`;
  return `${Math.round((sec / 3600) * 100) / 100}h`;
}

/** The delivery's site with most expired, then the latest completion. */
function worstSiteOf(ctx: FindingContext, d: DeliveryPlan): number {
  let best = -1;
  let bestKey: [number, number] = [-1, -1];
  for (const s of d.streams) {
    const r = ctx.domains[s]!;
    const key: [number, number] = [r.expired, r.completionHours ?? Infinity];
    if (key[0] > bestKey[0] || (key[0] === bestKey[0] && key[1] > bestKey[1])) {
      best = ctx.plan.streams[s]!.site;
      bestKey = key;
    }
  }
  return best;
}

function anchorFor(ctx: FindingContext, d: DeliveryPlan, site: number): Anchor {
  const path = site >= 0 ? bindingPath(ctx.plan.sites[site]!) : null;
  return path?.rule ? ruleAnchor(path.rule) : deliveryAnchor(d.delivery);
}

function siteDetails(ctx: FindingContext, d: DeliveryPlan, site: number): Record<string, unknown> {
  const plan = ctx.plan.sites[site];
  if (!plan) return {};
  const path = bindingPath(plan);
  const volume = d.streams.filter((s) => ctx.plan.streams[s]!.site === site).reduce((sum, s) => sum + ctx.domains[s]!.recipients, 0);
  return {
    site: plan.info.key,
    limitedBy: plan.limitedBy,
    mask: path?.rule?.mask ?? null,
    messagesPerHour: path?.rule?.messagesPerHour ?? null,
    maxConnections: path?.rule?.maxConnections ?? null,
    buckets: path?.numbers?.buckets ?? null,
    perSlotHourly: path?.numbers?.perSlotHourly ?? null,
    perSlotConnections: path?.numbers?.perSlotConnections ?? null,
    publicIds: plan.paths.map((p) => p.publicId),
    siteSlotCapacity: plan.slotCapacity,
    siteVolume: volume,
  };
}

export function expiryFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.plan.deliveries) {
    const result = ctx.deliveries[d.index]!;
    if (d.missingAffinity !== null || result.recipients === 0) continue;
    const site = worstSiteOf(ctx, d);
    const siteVolume = site >= 0 ? (siteDetails(ctx, d, site)["siteVolume"] as number) : 0;
    const why = site >= 0 ? ` ${explainSite(ctx.plan.sites[site]!)}, for ${num(siteVolume)} messages of this delivery.` : "";
    const magnitude = { deferred: result.deferred, expired: result.expired, completionHours: result.completionHours };
    const details = { delivery: d.delivery.name, recipients: result.recipients, sent: result.sent, deferred: result.deferred, expired: result.expired, completionHours: result.completionHours, ...siteDetails(ctx, d, site) };
    const name = d.delivery.name;
    const queued = result.deferred > 0 ? ` ${num(result.deferred)} messages were deferred at least once (Messages queued (connection quotas met)).` : "";
    if (result.expired > 0) {
      out.push(
        makeFinding(ctx.model.name, {
          id: "delivery-expiry",
          anchor: anchorFor(ctx, d, site),
          subject: [name],
          title: `${num(result.expired)} messages of "${name}" expire unsent`,
          message: `Delivery "${name}": ${num(result.expired)} of ${num(result.recipients)} messages are still unsent when its validity (${formatDuration(d.delivery.validitySec)}) ends and expire.${queued}${why}`,
          magnitude,
          details,
        }),
      );
    }
    const deadline = d.delivery.deadlineSec;
    if (deadline !== null && (result.completionHours === null || result.completionHours * 3600 > deadline)) {
      const done = result.completionHours === null ? "never completes (messages expire)" : `completes after ${result.completionHours} h`;
      out.push(
        makeFinding(ctx.model.name, {
          id: "deadline-miss",
          anchor: anchorFor(ctx, d, site),
          subject: [name],
          title: `"${name}" misses its ${formatDuration(deadline)} deadline`,
          message: `Delivery "${name}" ${done}, later than its deadline of ${formatDuration(deadline)}; ${num(result.sent)} of ${num(result.recipients)} messages sent.${queued}${why}`,
          magnitude,
          details: { ...details, deadlineHours: Math.round((deadline / 3600) * 100) / 100 },
        }),
      );
    }
  }
  return out;
}
