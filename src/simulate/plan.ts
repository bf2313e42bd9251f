/**
 * Turns the model into a simulation plan: streams (delivery × recipient domain), sites with their
 * paths (publicId × rule × TLS) and the time grid. Pure matching; no time stepping here.
 */
import type { Delivery, InstanceModel, MxRule } from "../model/config.js";
import type { EffectiveTls, LimitedBy } from "../model/results.js";
import { ipAllowsDomain, ipAllowsOther, resolveAffinity } from "./affinity.js";
import { mtaSlotLimit, pathCapacity, sessionSecondsPerMessage, SLOT_SECONDS, UNLIMITED, type PathNumbers } from "./capacity.js";
import { ruleLookup } from "./rules.js";
import { OTHER, otherSite, siteResolver, type SiteInfo } from "./sites.js";
import { effectiveTls } from "./tls.js";

export interface PathPlan {
  publicId: number;
  addresses: string[];
  rule: MxRule | null;
  tls: EffectiveTls;
  /** Rule arithmetic; null when no rule applies (then only the MTA limits the path). */
  numbers: PathNumbers | null;
  blockedByTls: boolean;
  /** Messages per slot after acceptance (0 when TLS-blocked), before the MTA ceiling. */
  effective: number;
  sessionSeconds: number;
}

export interface SitePlan {
  index: number;
  info: SiteInfo;
  domains: string[];
  paths: PathPlan[];
  /** Streams at this site that can send, and for each the indices of the paths it may use. */
  streams: number[];
  streamPaths: number[][];
  /** Every stream may use every path, so capacity can be pooled. */
  pooled: boolean;
  /** Σ effective per slot, before the MTA ceiling. */
  capacity: number;
  /** Capacity-weighted session-seconds per message. */
  sessionSeconds: number;
  /** Per slot after the MTA ceiling, as reported when every site runs at full speed. */
  slotCapacity: number;
  limitedBy: LimitedBy;
  tls: EffectiveTls;
  /** True when the rules do not bound the site (the "other" bucket, or a path without rule). */
  unlimited: boolean;
}

export type StreamStatus = "ok" | "pending" | "no-path";

export interface StreamPlan {
  index: number;
  delivery: number;
  domain: string;
  site: number;
  recipients: number;
  status: StreamStatus;
  publicIds: number[];
  addresses: string[];
}

export interface DeliveryPlan {
  index: number;
  delivery: Delivery;
  startSlot: number;
  /** First slot in which nothing may be sent any more (validity reached). */
  endSlot: number;
  streams: number[];
  /** The affinity name no IPAffinity defines, when the delivery stays Pending. */
  missingAffinity: string | null;
}

export interface Plan {
  t0: number;
  slotCount: number;
  workingSet: number;
  /** Slots a message may wait in the working set before it is deferred. */
  ageSlots: number;
  /** MTA ceiling: concurrent SMTP sessions across all sites. */
  sessions: number;
  deliveries: DeliveryPlan[];
  streams: StreamPlan[];
  sites: SitePlan[];
  /** MX hosts with publicIds no rule covers. */
  noRule: { site: number; host: string; publicIds: number[] }[];
}

function slotOf(t0: number, time: number): number {
  return Math.floor((time - t0) / 1000 / SLOT_SECONDS);
}

/** Named domains merged by name and sorted, so the order they were written in does not matter. */
function domainVolumes(d: Delivery): { domain: string; recipients: number }[] {
  const sums = new Map<string, number>();
  for (const v of d.domains) sums.set(v.domain.toLowerCase(), (sums.get(v.domain.toLowerCase()) ?? 0) + Math.max(0, Math.floor(v.recipients)));
  return [...sums].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([domain, recipients]) => ({ domain, recipients }));
}

export function buildPlan(model: InstanceModel): Plan {
  const mta = model.serverConf.mta;
  const sessions = Math.max(0, mta.maxSpareServers.value) * Math.max(0, mta.maxSessionsPerChild.value);
  const deliveriesIn = model.traffic.deliveries;
  const t0 = deliveriesIn.length > 0 ? Math.min(...deliveriesIn.map((d) => d.start)) : 0;
  const resolve = siteResolver(model.providers);
  const siteIndex = new Map<string, number>();
  const siteInfos: SiteInfo[] = [];
  const streams: StreamPlan[] = [];
  const deliveries: DeliveryPlan[] = [];

  const siteFor = (info: SiteInfo): number => {
    let i = siteIndex.get(info.key);
    if (i === undefined) {
      i = siteInfos.length;
      siteIndex.set(info.key, i);
      siteInfos.push(info);
    }
    return i;
  };

  deliveriesIn.forEach((delivery, index) => {
    const lookup = resolveAffinity(model.serverConf, delivery);
    const ips = lookup.found ? lookup.affinities.flatMap((a) => a.ips) : [];
    const startSlot = slotOf(t0, delivery.start);
    const endSlot = Math.max(startSlot, slotOf(t0, delivery.start + Math.max(0, delivery.validitySec) * 1000));
    const plan: DeliveryPlan = { index, delivery, startSlot, endSlot, streams: [], missingAffinity: lookup.found ? null : lookup.name };
    const volumes = domainVolumes(delivery).map((v) => ({ ...v, info: resolve(v.domain), other: false }));
    if (delivery.otherRecipients > 0) volumes.push({ domain: OTHER, recipients: Math.floor(delivery.otherRecipients), info: otherSite(), other: true });
    for (const v of volumes) {
      const usable = ips.filter((ip) => (v.other ? ipAllowsOther(ip) : ipAllowsDomain(ip, v.domain)));
      const status: StreamStatus = !lookup.found ? "pending" : usable.length === 0 ? "no-path" : "ok";
      const stream: StreamPlan = {
        index: streams.length,
        delivery: index,
        domain: v.domain,
        site: siteFor(v.info),
        recipients: v.recipients,
        status,
        publicIds: [...new Set(usable.map((ip) => ip.publicId))].sort((a, b) => a - b),
        addresses: [...new Set(usable.map((ip) => ip.address))].sort(),
      };
      streams.push(stream);
      plan.streams.push(stream.index);
    }
    deliveries.push(plan);
  });

  const rules = [...model.mxRules.rules].sort((a, b) => a.index - b.index);
  const ruleFor = ruleLookup(rules);
  const tlsSettings = { enableTLS: mta.enableTLS.value, statServerTLSSupport: mta.statServerTLSSupport.value };
  const noRule: Plan["noRule"] = [];

  const sites = siteInfos.map((info, index): SitePlan => {
    const mine = streams.filter((s) => s.site === index);
    const sending = mine.filter((s) => s.status === "ok");
    const publicIds = [...new Set(sending.flatMap((s) => s.publicIds))].sort((a, b) => a - b);
    const host = info.mx[0] ?? info.key;
    const paths = publicIds.map((publicId): PathPlan => {
      const addresses = [...new Set(sending.filter((s) => s.publicIds.includes(publicId)).flatMap((s) => s.addresses))].sort();
      const rule = info.isOther ? null : ruleFor(host, publicId);
      const tls = effectiveTls(rule ? rule.tls : null, tlsSettings);
      const blockedByTls = info.requiresTls && tls === "plaintext";
      const numbers = rule ? pathCapacity(rule, info, tls) : null;
      const raw = numbers ? numbers.slotCapacity : mtaSlotLimit(sessions, info, tls);
      const effective = blockedByTls ? 0 : Math.min(UNLIMITED, Math.floor(raw * info.acceptance));
      const sessionSeconds = numbers ? numbers.sessionSeconds : sessionSecondsPerMessage(info, 1, tls);
      return { publicId, addresses, rule, tls, numbers, blockedByTls, effective, sessionSeconds };
    });
    const uncovered = info.isOther ? [] : paths.filter((p) => p.rule === null).map((p) => p.publicId);
    if (uncovered.length > 0) noRule.push({ site: index, host, publicIds: uncovered });
    const capacity = Math.min(UNLIMITED, paths.reduce((sum, p) => sum + p.effective, 0));
    const sessionSeconds =
      capacity > 0 ? paths.reduce((sum, p) => sum + p.effective * p.sessionSeconds, 0) / capacity : (paths[0]?.sessionSeconds ?? 0);
    const streamPaths = sending.map((s) => s.publicIds.map((id) => publicIds.indexOf(id)));
    return {
      index,
      info,
      domains: [...new Set(mine.map((s) => s.domain))].sort(),
      paths,
      streams: sending.map((s) => s.index),
      streamPaths,
      pooled: streamPaths.every((p) => p.length === publicIds.length),
      capacity,
      sessionSeconds,
      slotCapacity: capacity,
      limitedBy: paths.length === 0 ? "no-path" : "hourly",
      tls: paths[0]?.tls ?? effectiveTls(null, tlsSettings),
      unlimited: info.isOther || paths.some((p) => p.rule === null && !p.blockedByTls),
    };
  });
  applyStaticCeiling(sites, sessions);

  const slotCount = deliveries.reduce((max, d) => Math.max(max, d.endSlot), 0);
  const workingSet = Math.max(0, mta.maxSpareServers.value) * Math.max(0, mta.maxWaitingMessages.value);
  const ageSlots = Math.max(1, Math.ceil(Math.max(0, mta.maxAgeSec.value) / SLOT_SECONDS));
  return { t0, slotCount, workingSet, ageSlots, sessions, deliveries, streams, sites, noRule };
}

/**
 * SPEC §3 ceiling, as reported: when the rule-bound sites together need more concurrent sessions
 * than maxSpareServers × maxSessionsPerChild, they are scaled down proportionally.
 */
function applyStaticCeiling(sites: SitePlan[], sessions: number): void {
  const bound = sites.filter((s) => !s.unlimited && s.capacity > 0);
  const needed = bound.reduce((sum, s) => sum + (s.capacity * s.sessionSeconds) / SLOT_SECONDS, 0);
  const factor = needed > sessions ? sessions / needed : 1;
  for (const site of sites) {
    const firstOpen = site.paths.find((p) => !p.blockedByTls);
    if (site.paths.length === 0) site.limitedBy = "no-path";
    else if (!firstOpen) site.limitedBy = "tls";
    else if (site.unlimited) site.limitedBy = site.info.isOther ? "mta" : "no-rule";
    else if (factor < 1 && site.capacity > 0) site.limitedBy = "mta";
    else site.limitedBy = firstOpen.numbers?.limitedBy ?? "no-rule";
    site.slotCapacity = site.unlimited ? site.capacity : Math.floor(site.capacity * factor);
  }
}
