/**
 * The per-site time series every chart draws (the sticky comment's Mermaid chart and the HTML
 * report): messages sent so far and messages still waiting, hour by hour since the side's first
 * delivery start, for one site on the head and, in a review, the same site on the base.
 */
import type { DeliveryResult, SimulationReport, SiteResult } from "../model/results.js";

export interface HourPoint {
  hour: number;
  sent: number;
  queued: number;
}

/** One side of one site, from time 0 to `hours`. */
export interface SideSeries {
  /** sent[t]: messages sent by hour t (t = 0..hours; sent[0] = 0). */
  sent: number[];
  /** waiting[t - 1]: messages not yet sent (waiting or deferred) at hour t (t = 1..hours). */
  waiting: number[];
  /** Messages sent in all. */
  total: number;
  /** The first hour t by which `total` was sent (null when nothing was sent). */
  doneAt: number | null;
}

/** One side of a pair: null when the site has no traffic (or no series) there. */
export type MaybeSide = SideSeries | null;

export interface SitePair {
  instance: string;
  site: string;
  head: MaybeSide;
  base: MaybeSide;
  /** The longer side's length in hours (both series are extended flat to it). */
  hours: number;
}

/** Drops the idle tail (nothing sent, nothing queued) but keeps one idle hour to show the end. */
export function untilQuiet(points: readonly HourPoint[]): HourPoint[] {
  let last = points.length - 1;
  while (last >= 0 && points[last]!.sent === 0 && points[last]!.queued === 0) last--;
  return points.slice(0, Math.min(points.length, last + 2));
}

function sideSeries(site: SiteResult | undefined): SideSeries | null {
  if (!site?.hourly || site.hourly.length === 0) return null;
  const points = untilQuiet([...site.hourly].sort((a, b) => a.hour - b.hour));
  if (points.every((p) => p.sent === 0 && p.queued === 0)) return null;
  const sent = [0];
  for (const p of points) sent.push(sent[sent.length - 1]! + Math.max(0, p.sent));
  const total = sent[sent.length - 1]!;
  const doneAt = total > 0 ? sent.indexOf(total) : null;
  return { sent, waiting: points.map((p) => Math.max(0, p.queued)), total, doneAt };
}

/** Extends a side to `hours`: sent stays at its total, nothing is left waiting after the idle tail. */
function extend(side: SideSeries | null, hours: number): SideSeries | null {
  if (!side) return null;
  const sent = [...side.sent];
  const waiting = [...side.waiting];
  while (sent.length < hours + 1) sent.push(side.total);
  while (waiting.length < hours) waiting.push(0);
  return { ...side, sent, waiting };
}

function pair(instance: string, site: string, head: SiteResult | undefined, base: SiteResult | undefined): SitePair | null {
  const h = sideSeries(head);
  const b = sideSeries(base);
  if (!h && !b) return null;
  const hours = Math.max(h ? h.sent.length - 1 : 0, b ? b.sent.length - 1 : 0);
  return { instance, site, head: extend(h, hours), base: extend(b, hours), hours };
}

/** How badly a site fares on one side: [flagged worst, expired, deferred, completion (expiry = ∞), peak waiting]. */
type Severity = [number, number, number, number, number];

function severity(site: SiteResult | undefined, deliveries: readonly DeliveryResult[]): Severity {
  if (!site) return [0, 0, 0, 0, 0];
  let expired = 0;
  let deferred = 0;
  let completion = 0;
  for (const delivery of deliveries) {
    for (const domain of delivery.domains) {
      if (domain.site !== site.site) continue;
      expired += domain.expired ?? 0;
      deferred += domain.deferred ?? 0;
      completion = Math.max(completion, domain.completionHours === null ? Infinity : domain.completionHours);
    }
  }
  const peak = Math.max(0, ...(site.hourly ?? []).map((p) => p.queued));
  return [site.worst ? 1 : 0, expired, deferred, completion, peak];
}

function compareSeverity(a: Severity, b: Severity): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]! ? 1 : -1;
  return 0;
}

/**
 * The sites worth charting, worst first: the simulation's worst site, then by expired, deferred,
 * completion and peak backlog on whichever side fares worse; at most `max`. Sites only on the base
 * are kept (a review shows what a change removed).
 */
export function chartedSites(head: SimulationReport, base?: SimulationReport, max = Infinity): SitePair[] {
  const ranked: { pair: SitePair; key: Severity }[] = [];
  const instances = [...head.instances.map((i) => i.name), ...(base?.instances ?? []).map((i) => i.name)];
  for (const name of [...new Set(instances)]) {
    const h = head.instances.find((i) => i.name === name);
    const b = base?.instances.find((i) => i.name === name);
    const sites = [...(h?.sites ?? []).map((s) => s.site), ...(b?.sites ?? []).map((s) => s.site)];
    for (const siteName of [...new Set(sites)]) {
      const hs = h?.sites.find((s) => s.site === siteName);
      const bs = b?.sites.find((s) => s.site === siteName);
      const made = pair(name, siteName, hs, bs);
      if (!made) continue;
      const kh = severity(hs, h?.deliveries ?? []);
      const kb = severity(bs, b?.deliveries ?? []);
      ranked.push({ pair: made, key: compareSeverity(kh, kb) >= 0 ? kh : kb });
    }
  }
  ranked.sort(
    (x, y) =>
      compareSeverity(y.key, x.key) ||
      (x.pair.instance < y.pair.instance ? -1 : x.pair.instance > y.pair.instance ? 1 : 0) ||
      (x.pair.site < y.pair.site ? -1 : x.pair.site > y.pair.site ? 1 : 0),
  );
  return ranked.slice(0, max).map((entry) => entry.pair);
}

/**
 * At most `max` (≥ 2) indices of 0..last, evenly spaced, always with 0 and `last`, so a sampled
 * cumulative line keeps its start and its final value.
 */
export function sampleIndices(last: number, max: number): number[] {
  if (last + 1 <= max) return Array.from({ length: last + 1 }, (_, i) => i);
  const step = Math.ceil(last / (max - 2));
  const out: number[] = [];
  for (let i = 0; i < last; i += step) out.push(i);
  out.push(last);
  return out;
}
