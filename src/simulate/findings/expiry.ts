/**
 * delivery-expiry and deadline-miss (docs/model.md#findings): anchored on the binding rule of the worst-hit site
 * (its whole item, so a fix can replace it), or on the delivery when no rule binds. Messages refused for TLS
 * are tls-required's (one finding per TLS cause, which carries their expiry and deadline): here they neither
 * count as expired nor make a deadline missed.
 */
import type { Finding } from "../../model/findings.js";
import { formatDuration } from "../../model/format.js";
import type { DeliveryPlan } from "../plan.js";
import { bindingPath, deliveryPublicIds, explainSite, ruleIndexOf, type FindingContext } from "./context.js";
import { deliveryAnchor, makeFinding, num, ruleAnchor, type Anchor } from "./make.js";
import { abandonText, blockedByText, headOfLineText, LEVERS } from "./model-text.js";

/** A stream whose messages are refused for TLS (its site is plaintext to a provider that requires TLS). */
const refusedForTls = (ctx: FindingContext, s: number): boolean => ctx.domains[s]!.refusedTls > 0;

/** The delivery's site with most expired by quotas, then the latest completion (TLS-refused streams left out). */
function worstSiteOf(ctx: FindingContext, d: DeliveryPlan): number {
  let best = -1;
  let bestKey: [number, number] = [-1, -1];
  for (const s of d.streams) {
    if (refusedForTls(ctx, s)) continue;
    const r = ctx.domains[s]!;
    const key: [number, number] = [r.expired, ctx.completionMs[s] ?? Infinity];
    if (key[0] > bestKey[0] || (key[0] === bestKey[0] && key[1] > bestKey[1])) {
      best = ctx.plan.streams[s]!.site;
      bestKey = key;
    }
  }
  return best;
}

/** The rule that limits the delivery at a site: among the publicIds this delivery may use there. */
function pathFor(ctx: FindingContext, d: DeliveryPlan, site: number) {
  return site >= 0 ? bindingPath(ctx.plan.sites[site]!, deliveryPublicIds(ctx.plan, d.index, site)) : null;
}

function anchorFor(ctx: FindingContext, d: DeliveryPlan, site: number): Anchor {
  const path = pathFor(ctx, d, site);
  return path?.rule ? ruleAnchor(path.rule) : deliveryAnchor(d.delivery);
}

function siteDetails(ctx: FindingContext, d: DeliveryPlan, site: number): Record<string, unknown> {
  const plan = ctx.plan.sites[site];
  if (!plan) return {};
  const path = pathFor(ctx, d, site);
  const volume = d.streams.filter((s) => ctx.plan.streams[s]!.site === site).reduce((sum, s) => sum + ctx.domains[s]!.recipients, 0);
  return {
    site: plan.info.key,
    limitedBy: plan.limitedBy,
    ruleIndex: ruleIndexOf(ctx, path),
    mask: path?.rule?.mask ?? null,
    messagesPerHour: path?.rule?.messagesPerHour ?? null,
    maxConnections: path?.rule?.maxConnections ?? null,
    buckets: path?.numbers?.buckets ?? null,
    perSlotHourly: path?.numbers?.perSlotHourly ?? null,
    perSlotConnections: path?.numbers?.perSlotConnections ?? null,
    publicIds: deliveryPublicIds(ctx.plan, d.index, site),
    siteSlotCapacity: plan.slotCapacity,
    siteVolume: volume,
  };
}

/** "7.25 h"; when rounding to 0.01 h hides the overrun, "6 h 0 min 9 s". */
function completionText(hours: number, ms: number, deadlineSec: number): string {
  if (hours * 3600 > deadlineSec) return `${hours} h`;
  const sec = Math.ceil(ms / 1000);
  return `${Math.floor(sec / 3600)} h ${Math.floor((sec % 3600) / 60)} min ${sec % 60} s`;
}

export function expiryFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.plan.deliveries) {
    const result = ctx.deliveries[d.index]!;
    if (d.missingAffinity !== null || result.recipients === 0) continue;
    const site = worstSiteOf(ctx, d);
    const siteVolume = site >= 0 ? (siteDetails(ctx, d, site)["siteVolume"] as number) : 0;
    const why =
      site >= 0
        ? ` ${explainSite(ctx.plan.sites[site]!, deliveryPublicIds(ctx.plan, d.index, site))}, for ${num(siteVolume)} messages of this delivery.`
        : "";
    const refused = result.refusedTls;
    const expired = result.expired - refused;
    const tlsNote = refused > 0 ? ` Besides these, ${num(refused)} messages are refused for TLS (see tls-required).` : "";
    const magnitude = { deferred: result.deferred, expired, completionHours: result.completionHours };
    const details = {
      delivery: d.delivery.name,
      recipients: result.recipients,
      sent: result.sent,
      deferred: result.deferred,
      expired,
      refusedTls: refused,
      completionHours: result.completionHours,
      pacedHours: result.pacedHours,
      ...siteDetails(ctx, d, site),
    };
    const name = d.delivery.name;
    const queued =
      result.deferred > 0
        ? ` ${num(result.deferred)} messages were abandoned at least once (Messages queued (connection quotas met)).`
        : "";
    const paced =
      result.pacedHours === null
        ? ""
        : ` Paced at the quota it would take ${num(result.pacedHours)} h (certain under any reading); modelled: ${result.completionHours === null ? "messages expire" : `${num(result.completionHours)} h`}.`;
    const sitePlan = site >= 0 ? ctx.plan.sites[site]! : null;
    const model = sitePlan
      ? [
          result.deferred > 0 ? abandonText(ctx, sitePlan, d) : "",
          blockedByText(ctx, d, site) || headOfLineText(ctx, sitePlan),
          result.deferred > 0 ? LEVERS : "",
        ]
          .filter((t) => t !== "")
          .join(" ")
      : "";
    const modelText = model === "" ? "" : ` ${model}`;
    // Without deferrals the quota still decides the pace: the MTA holds the rest back slot after slot.
    const limit = site >= 0 ? ctx.plan.sites[site]!.limitedBy : null;
    const held =
      (limit === "hourly" || limit === "connections") && result.deferred === 0
        ? " The MTA holds the other messages back until the next 5-minute slot's quota (quotas met); none waits past maxAgeSec, so none is abandoned and the report's Deferred count stays 0."
        : "";
    if (expired > 0) {
      out.push(
        makeFinding(ctx.model.name, {
          id: "delivery-expiry",
          anchor: anchorFor(ctx, d, site),
          subject: [name],
          title: `${num(expired)} messages of "${name}" expire unsent`,
          message: `Delivery "${name}": ${num(expired)} of ${num(result.recipients)} messages are still unsent when its validity (${formatDuration(d.delivery.validitySec)}) ends and expire.${tlsNote}${queued}${why}${paced}${modelText}`,
          magnitude,
          details,
        }),
      );
    }
    const deadline = d.delivery.deadlineSec;
    // Compared unrounded: the last message 9 s after a 6 h deadline misses it, though 6.0025 h shows as 6 h.
    const lastMs = d.streams
      .filter((s) => !refusedForTls(ctx, s))
      .reduce<number | null>((max, s) => (max === null || ctx.completionMs[s] === null ? null : Math.max(max, ctx.completionMs[s]!)), 0);
    if (deadline !== null && (lastMs === null || lastMs > deadline * 1000)) {
      const done =
        lastMs === null
          ? "never completes (messages expire)"
          : `completes after ${completionText(result.completionHours ?? Math.round(lastMs / 36_000) / 100, lastMs, deadline)}`;
      out.push(
        makeFinding(ctx.model.name, {
          id: "deadline-miss",
          anchor: anchorFor(ctx, d, site),
          subject: [name],
          title: `"${name}" misses its ${formatDuration(deadline)} deadline`,
          message: `Delivery "${name}" ${done}, later than its deadline of ${formatDuration(deadline)}; ${num(result.sent)} of ${num(result.recipients)} messages sent.${tlsNote}${queued}${why}${held}${paced}${modelText}`,
          magnitude,
          details: { ...details, deadlineHours: Math.round((deadline / 3600) * 100) / 100 },
        }),
      );
    }
  }
  return out;
}
