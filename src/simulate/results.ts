/**
 * Assembles the result shapes of docs/contract.md#json-output from the plan and the timeline.
 */
import type { MxRule } from "../model/config.js";
import type { DeliveryResult, DomainResult, PathCapacity, SiteResult } from "../model/results.js";
import { SLOT_SECONDS, UNLIMITED } from "./capacity.js";
import { sessionOnlyCapacity, type Plan, type SitePlan } from "./plan.js";
import type { Timeline } from "./timeline.js";

export function hoursBetween(fromMs: number, toMs: number): number {
  return Math.round((Math.max(0, toMs - fromMs) / 3_600_000) * 100) / 100;
}

/**
 * Hours a stream needs at the most its lane ever sends per slot while the delivery runs: the
 * paced bound. The last half-message is left out as for the modelled completion, so paced ≤ modelled.
 */
export function pacedHours(plan: Plan, stream: number): number | null {
  const st = plan.streams[stream]!;
  if (st.recipients === 0) return 0;
  if (st.lane < 0) return null;
  const d = plan.deliveries[st.delivery]!;
  const { start, capacity } = plan.epochs;
  let best = 0;
  start.forEach((from, e) => {
    const to = start[e + 1] ?? Infinity;
    if (to > d.startSlot && from < d.endSlot) best = Math.max(best, capacity[e * plan.lanes.length + st.lane]!);
  });
  if (!(best > 0)) return null;
  return Math.floor(((Math.max(0, st.recipients - 0.5) / best) * SLOT_SECONDS) / 36) / 100;
}

export function domainResults(plan: Plan, timeline: Timeline): DomainResult<number>[] {
  return plan.streams.map((st, s) => {
    const out = timeline.streams[s]!;
    const start = plan.deliveries[st.delivery]!.delivery.start;
    // Every path of the site is plaintext to a provider that requires TLS: what is unsent was refused for
    // TLS, not deferred by a quota (the timeline abandons them alike; the report tells them apart).
    const refused = plan.sites[st.site]!.limitedBy === "tls";
    return {
      domain: st.domain,
      site: plan.sites[st.site]!.info.key,
      recipients: st.recipients,
      sent: out.sent,
      deferred: refused ? 0 : out.deferred,
      expired: out.expired,
      refusedTls: refused ? out.expired : 0,
      completionHours: out.expired > 0 ? null : out.completedAt === null ? 0 : hoursBetween(start, out.completedAt),
      pacedHours: pacedHours(plan, s),
    };
  });
}

export function deliveryResults(plan: Plan, domains: DomainResult<number>[]): DeliveryResult<number>[] {
  return plan.deliveries.map((d) => {
    const mine = d.streams.map((s) => domains[s]!);
    const sum = (key: "sent" | "deferred" | "expired" | "refusedTls") => mine.reduce((acc, r) => acc + r[key], 0);
    const expired = sum("expired");
    return {
      name: d.delivery.name,
      recipients: mine.reduce((acc, r) => acc + r.recipients, 0),
      sent: sum("sent"),
      deferred: sum("deferred"),
      expired,
      refusedTls: sum("refusedTls"),
      completionHours: expired > 0 ? null : mine.reduce((max, r) => Math.max(max, r.completionHours ?? 0), 0),
      pacedHours: mine.reduce<number | null>((max, r) => (max === null || r.pacedHours === null ? null : Math.max(max, r.pacedHours)), 0),
      domains: mine,
      deadlineHours: d.delivery.deadlineSec === null ? null : Math.round((d.delivery.deadlineSec / 3600) * 100) / 100,
    };
  });
}

function pathResult(site: SitePlan, file: string): PathCapacity[] {
  return site.paths.map((p, k) => {
    // A path without rule is limited by the site's MTA sessions only: report that real number.
    const alone = p.numbers ? 0 : sessionOnlyCapacity(site, p);
    return {
      publicId: p.publicId,
      addresses: p.addresses,
      rule: p.rule ? { index: p.rule.index, mask: p.rule.mask, file, line: p.rule.span.line } : null,
      buckets: p.numbers?.buckets ?? 0,
      hourly: p.numbers?.hourly ?? Math.min(UNLIMITED, alone * 12),
      perSlotHourly: p.numbers?.perSlotHourly ?? alone,
      perSlotConnections: p.numbers?.perSlotConnections ?? alone,
      slotCapacity: p.blockedByTls ? 0 : p.numbers ? Math.floor(p.numbers.slotCapacity * site.info.acceptance) : alone,
      limitedBy: p.blockedByTls ? "tls" : p.numbers ? p.numbers.limitedBy : site.info.isOther ? "mta" : "no-rule",
      share: Math.round((site.shares[k] ?? 0) * 10_000) / 10_000,
    };
  });
}

/** A site's hours up to one idle hour after its last activity: a 5-day horizon is mostly idle tail. */
function hourlySeries(series: Timeline["sites"][number]): NonNullable<SiteResult["hourly"]> {
  let last = series.hourlySent.length - 1;
  while (last >= 0 && series.hourlySent[last] === 0 && (series.hourlyQueued[last] ?? 0) === 0) last--;
  const end = Math.min(series.hourlySent.length, last + 2);
  return series.hourlySent.slice(0, end).map((sent, hour) => ({ hour, sent, queued: series.hourlyQueued[hour] ?? 0 }));
}

/** Per-site results, sorted by site key; every site with traffic gets its hourly series (charts), `worst` is marked. */
export function siteResults(
  plan: Plan,
  timeline: Timeline,
  file: string,
  worst: number | null,
  rules: readonly MxRule[] = [],
): SiteResult[] {
  const catchAll = rules.find((rule) => /^\*+$/.test(rule.mask));
  return plan.sites
    .map((site): SiteResult => {
      const first = site.paths[0]?.rule ?? null;
      const result: SiteResult = {
        site: site.info.key,
        domains: site.domains,
        mx: site.info.mx,
        rule: first ? { mask: first.mask, file, line: first.span.line } : null,
        publicIds: site.paths.map((p) => p.publicId),
        hourlyCapacity: site.hourlyCapacity,
        slotCapacity: site.slotCapacity,
        limitedBy: site.limitedBy,
        tls: site.tls,
        paths: pathResult(site, file),
      };
      if (site.streams.length > 0) result.hourly = hourlySeries(timeline.sites[site.index]!);
      if (site.index === worst) result.worst = true;
      if (site.info.isOther && catchAll) result.catchAll = { mask: catchAll.mask, file, line: catchAll.span.line };
      return result;
    })
    .sort((a, b) => (a.site < b.site ? -1 : a.site > b.site ? 1 : 0));
}

export interface SiteTotals {
  sent: number;
  deferred: number;
  expired: number;
  refusedTls: number;
  /** Latest completion over its streams in hours, null when some expired. */
  completionHours: number | null;
  recipients: number;
}

export function siteTotals(plan: Plan, domains: DomainResult<number>[]): SiteTotals[] {
  const totals = plan.sites.map((): SiteTotals => ({ sent: 0, deferred: 0, expired: 0, refusedTls: 0, completionHours: 0, recipients: 0 }));
  plan.streams.forEach((st, s) => {
    const t = totals[st.site]!;
    const r = domains[s]!;
    t.sent += r.sent;
    t.deferred += r.deferred;
    t.expired += r.expired;
    t.refusedTls += r.refusedTls;
    t.recipients += r.recipients;
    t.completionHours = t.completionHours === null || r.completionHours === null ? null : Math.max(t.completionHours, r.completionHours);
  });
  return totals;
}

/** The site that suffers most: most expired, then most deferred, then the latest completion. */
export function worstSite(plan: Plan, totals: SiteTotals[]): number | null {
  let best: number | null = null;
  const key = (k: number) => totals[k]!;
  for (const site of plan.sites) {
    const t = key(site.index);
    if (t.recipients === 0) continue;
    if (best === null) {
      best = site.index;
      continue;
    }
    const b = key(best);
    const later = (t.completionHours ?? Infinity) > (b.completionHours ?? Infinity);
    if (t.expired > b.expired || (t.expired === b.expired && (t.deferred > b.deferred || (t.deferred === b.deferred && later))))
      best = site.index;
  }
  return best;
}
