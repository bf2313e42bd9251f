/**
 * The sentences that say why the modelled outcome is worse than the paced bound, in Adobe's words
 * (docs/model.md): what the working set holds, how much of it can be sent within maxAgeSec, when
 * the retries come, which other domains wait behind the throttled ones, and the levers.
 */
import type { DeliveryPlan, SitePlan } from "../plan.js";
import { retryPeriodMs } from "../retry.js";
import { SLOT_SECONDS } from "../capacity.js";
import type { FindingContext } from "./context.js";
import { num } from "./make.js";

const HOUR_MS = 3_600_000;

function hours(h: number): string {
  return `${num(Math.round(h * 100) / 100)} h`;
}

/** "at best 10 h (paced: 100,000 at 9,996 per hour)" for the streams of `site` in `delivery`. */
export function pacedText(ctx: FindingContext, site: SitePlan, delivery?: DeliveryPlan): string {
  const streams = site.streams.filter((s) => !delivery || ctx.plan.streams[s]!.delivery === delivery.index);
  const paced = streams.map((s) => ctx.domains[s]!.pacedHours);
  if (paced.length === 0 || paced.some((p) => p === null)) return "";
  return `At best, paced at the quota (volume ÷ the hourly quota, certain under any reading), it takes ${hours(Math.max(...(paced as number[])))}.`;
}

/** Adobe's abandonment mechanism with this site's numbers, and the retry times. */
export function abandonText(ctx: FindingContext, site: SitePlan, delivery?: DeliveryPlan): string {
  const { plan } = ctx;
  if (plan.options.quotaMet === "pace")
    return "With model.quotaMet: pace, messages wait in the working set for the quota instead of being abandoned.";
  const perSlot = site.slotCapacity;
  const inTime = Math.floor((perSlot * plan.maxAgeSec) / SLOT_SECONDS);
  const set =
    plan.options.workingSet === "shared"
      ? `the working set of ${num(plan.workingSet)} messages (maxSpareServers × maxWaitingMessages), shared by every domain and filled in delivery order`
      : `this domain's part of the working set (model.workingSet: by-domain)`;
  const d = delivery ?? plan.deliveries[plan.streams[site.streams[0]!]?.delivery ?? 0];
  return (
    `The MTA prepares messages in advance into ${set}; at ${num(perSlot)} per 5 minutes only ${num(inTime)} waiting messages for ${site.info.key} can be sent within maxAgeSec (${num(plan.maxAgeSec)} s). ` +
    `Adobe: "If a prepared message could not be sent because of throttling … the message is abandoned and will be processed at the next retry". ` +
    (d ? retryText(ctx, d) : "")
  );
}

function retryText(ctx: FindingContext, d: DeliveryPlan): string {
  const schedule = ctx.plan.options.retrySchedule;
  const period = retryPeriodMs(d.delivery, schedule);
  const retries = Math.max(0, Math.floor(d.delivery.retries));
  const first =
    retries > 0 && period > 0
      ? `retries every ${hours(period / HOUR_MS)} up to +${hours((retries * period) / HOUR_MS)}, then once a day`
      : "retries once a day";
  return `Delivery "${d.delivery.name}" ${first} (model.retrySchedule: ${schedule}) until its validity.`;
}

/** Other domains of the same deliveries that finish well after their paced bound: head-of-line blocking. */
export function headOfLineText(ctx: FindingContext, site: SitePlan): string {
  if (ctx.plan.options.workingSet !== "shared") return "";
  const deliveries = new Set(site.streams.map((s) => ctx.plan.streams[s]!.delivery));
  const slowed: string[] = [];
  for (const st of ctx.plan.streams) {
    if (st.site === site.index || !deliveries.has(st.delivery) || st.lane < 0) continue;
    const r = ctx.domains[st.index]!;
    if (r.pacedHours === null || r.deferred > 0) continue;
    const late = r.completionHours === null ? r.expired > 0 : r.completionHours > r.pacedHours * 1.25 + 0.1;
    if (late)
      slowed.push(
        `${st.domain} ${r.completionHours === null ? `(${num(r.expired)} expire` : `(${hours(r.completionHours)}`}, paced ${hours(r.pacedHours)})`,
      );
  }
  if (slowed.length === 0) return "";
  const shown = slowed.slice(0, 3).join(", ") + (slowed.length > 3 ? `, and ${slowed.length - 3} more` : "");
  return `Head-of-line blocking: these messages hold their places in the shared working set until sent or abandoned, so other domains of the same deliveries wait behind them: ${shown}.`;
}

export const LEVERS =
  "Levers, in Adobe's order: more retries at a shorter period (Adobe's guideline: 30 minutes, more than 20 retries), sending in waves or starting earlier, more warmed-up IPs; a higher messagesPerHour only if the ISP accepts it for this IP's reputation (Adobe-managed rules are overwritten unless Custom).";

/**
 * When the worst domain of a delivery is late although its own quota is not what holds it (it
 * finishes well after its paced bound without any abandonment), name the site whose messages fill
 * the shared working set: the one with the longest paced bound among the overlapping deliveries.
 */
export function blockedByText(ctx: FindingContext, d: DeliveryPlan, site: number): string {
  if (ctx.plan.options.workingSet !== "shared") return "";
  const mine = d.streams.filter((s) => ctx.plan.streams[s]!.site === site).map((s) => ctx.domains[s]!);
  const late = mine.find(
    (r) => r.deferred === 0 && r.pacedHours !== null && (r.completionHours === null || r.completionHours > r.pacedHours * 1.25 + 0.1),
  );
  if (!late) return "";
  let blocker: { site: number; paced: number } | null = null;
  for (const other of ctx.plan.deliveries) {
    if (other.startSlot >= d.endSlot || other.endSlot <= d.startSlot) continue;
    for (const s of other.streams) {
      const st = ctx.plan.streams[s]!;
      const paced = ctx.domains[s]!.pacedHours;
      if (st.site === site || paced === null) continue;
      if (!blocker || paced > blocker.paced) blocker = { site: st.site, paced };
    }
  }
  if (!blocker) return "";
  const key = ctx.plan.sites[blocker.site]!.info.key;
  return `Head-of-line blocking: ${late.domain} needs ${hours(late.pacedHours!)} at its own quota, but its messages wait in the shared working set behind messages for ${key} (paced ${hours(blocker.paced)}), which hold their places until they are sent or abandoned (Adobe: maxWaitingMessages "is particularly critical if messages are not sorted by domain").`;
}
