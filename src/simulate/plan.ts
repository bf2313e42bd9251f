/**
 * Turns the model into a simulation plan: streams (delivery × recipient domain), sites with their
 * paths (publicId × rule × TLS) and lanes, the time grid, and each lane's share of the working set
 * and of the MTA sessions per epoch. Pure matching; no time stepping here.
 */
import {
  DEFAULT_MODEL_OPTIONS,
  type AffinityIp,
  type BucketLoad,
  type Delivery,
  type InstanceModel,
  type ModelOptions,
  type MxRule,
} from "../model/config.js";
import type { EffectiveTls, LimitedBy } from "../model/results.js";
import { ipAllowsDomain, ipAllowsOther, resolveAffinity } from "./affinity.js";
import {
  costOrder,
  pathCapacity,
  sessionCapacity,
  weightedCapacity,
  sessionSecondsPerMessage,
  SLOT_SECONDS,
  SLOTS_PER_HOUR,
  UNLIMITED,
  type PathNumbers,
  type SessionPath,
} from "./capacity.js";
import {
  addForeign,
  addUse,
  bucketKeys,
  contestedBuckets,
  isContested,
  newTotals,
  partOf,
  type BucketKeys,
  type Contested,
} from "./buckets.js";
import { ruleLookup } from "./rules.js";
import { OTHER, otherSite, siteResolver, type SiteInfo } from "./sites.js";
import { effectiveTls } from "./tls.js";

export interface PathPlan {
  publicId: number;
  addresses: string[];
  rule: MxRule | null;
  tls: EffectiveTls;
  /** Rule arithmetic; null when no rule applies (then only the MTA sessions limit the path). */
  numbers: PathNumbers | null;
  blockedByTls: boolean;
  /** Messages per slot after acceptance (0 when TLS-blocked, Infinity without rule), before the sessions. */
  effective: number;
  /** Session-seconds per attempt. */
  sessionSeconds: number;
  /** The quota bucket and the connections it counts against (buckets.ts). */
  keys: BucketKeys;
}

/**
 * A queue of its own at a site: the streams whose publicIds are connected (two streams sharing a
 * publicId pool the capacity of all their publicIds there). Usually one lane per site.
 */
export interface LanePlan {
  index: number;
  site: number;
  streams: number[];
  /** Indices into the site's paths. */
  paths: number[];
  /** Share of the lane's traffic on each of `paths` (by weight, over its streams' planned recipients). */
  shares: number[];
}

export interface SitePlan {
  index: number;
  info: SiteInfo;
  domains: string[];
  paths: PathPlan[];
  /** Share of the site's traffic on each path (by weight, over its streams' planned recipients). */
  shares: number[];
  /** Streams at this site that can send. */
  streams: number[];
  lanes: number[];
  /**
   * Per slot as reported: the rules' capacity over all publicIds, capped by the site's share of the
   * MTA sessions at the time its share is smallest while its deliveries run.
   */
  slotCapacity: number;
  /** The same, unrounded, per hour: Σ publicIds of min(hourly, connections × 12) × acceptance, capped likewise. */
  hourlyCapacity: number;
  /** The MTA sessions of the site at that time (fractional). */
  sessions: number;
  limitedBy: LimitedBy;
  tls: EffectiveTls;
  /** Who else draws on this site's quota buckets: other sites of a shared rule, other instances on its statistics server. */
  sharedWith: { sites: string[]; instances: string[] };
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
  /** Share of the stream's traffic each of `publicIds` carries: its IPs' weights over all usable IPs' weights. */
  shares: number[];
  addresses: string[];
  /** The lane of an "ok" stream, else -1. */
  lane: number;
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
  /** Its waves: the slot each starts and the fraction of every domain's recipients it releases (Σ = 1). */
  releases: { slot: number; fraction: number }[];
}

/**
 * Between two delivery starts or ends the set of running deliveries is fixed, and so are the
 * shares: a stream's room in the working set is W × its planned recipients / `volume`, a lane's
 * capacity is min(its rules, what its share of the sessions carries).
 */
export interface Epochs {
  /** First slot of each epoch (ascending, the first is 0). */
  start: number[];
  /** Planned recipients of the running deliveries' sending streams, per epoch. */
  volume: Float64Array;
  /** [epoch × lanes + lane]: capacity per slot, and whether the sessions bind. */
  capacity: Float64Array;
  mtaBound: Uint8Array;
  /** [epoch × lanes + lane]: the lane's part of the working set by planned volume (model.workingSet: by-domain). */
  room: Float64Array;
}

export interface Plan {
  options: ModelOptions;
  t0: number;
  slotCount: number;
  workingSet: number;
  /** mta/child@maxAgeSec: how long a prepared message may wait in the working set before it is abandoned. */
  maxAgeSec: number;
  /** MTA ceiling: concurrent SMTP sessions across all sites. */
  sessions: number;
  deliveries: DeliveryPlan[];
  streams: StreamPlan[];
  sites: SitePlan[];
  lanes: LanePlan[];
  epochs: Epochs;
  /** MX hosts with publicIds no rule covers. */
  noRule: { site: number; host: string; publicIds: number[] }[];
}

function slotOf(t0: number, time: number): number {
  return Math.floor((time - t0) / 1000 / SLOT_SECONDS);
}

/**
 * Campaign's "send using multiple waves": each wave releases its share of every domain's recipients
 * at its start; recipients beyond the listed waves go with the last one. One wave at the start without.
 */
function waveReleases(t0: number, d: Delivery, startSlot: number): DeliveryPlan["releases"] {
  if (!d.waves || d.waves.length === 0 || d.recipients <= 0) return [{ slot: startSlot, fraction: 1 }];
  const out: DeliveryPlan["releases"] = [];
  let released = 0;
  d.waves.forEach((wave, k) => {
    if (released >= d.recipients) return;
    const size = k === d.waves!.length - 1 ? d.recipients - released : Math.min(wave.size, d.recipients - released);
    released += size;
    out.push({ slot: slotOf(t0, d.start + wave.afterSec * 1000), fraction: size / d.recipients });
  });
  return out;
}

/** Named domains merged by name and sorted, so the order they were written in does not matter. */
function domainVolumes(d: Delivery): { domain: string; recipients: number }[] {
  const sums = new Map<string, number>();
  for (const v of d.domains)
    sums.set(v.domain.toLowerCase(), (sums.get(v.domain.toLowerCase()) ?? 0) + Math.max(0, Math.floor(v.recipients)));
  return [...sums].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([domain, recipients]) => ({ domain, recipients }));
}

export function buildPlan(model: InstanceModel): Plan {
  const mta = model.serverConf.mta;
  // Each MTA host runs maxSpareServers mtachild processes against the same statistics server (quotas).
  const children = Math.max(1, Math.floor(model.paths.mtaHosts ?? 1)) * Math.max(0, mta.maxSpareServers.value);
  const sessions = children * Math.max(0, mta.maxSessionsPerChild.value);
  const deliveriesIn = model.traffic.deliveries;
  const t0 = deliveriesIn.length > 0 ? Math.min(...deliveriesIn.map((d) => d.start)) : 0;
  const { deliveries, streams, siteInfos } = planDeliveries(model, t0);

  const options = model.options ?? DEFAULT_MODEL_OPTIONS;
  const rules = [...model.mxRules.rules].sort((a, b) => a.index - b.index);
  const ctx: SiteContext = {
    ruleFor: ruleLookup(rules),
    tlsSettings: { enableTLS: mta.enableTLS.value, statServerTLSSupport: mta.statServerTLSSupport.value },
    sharedScope: options.sharedScope,
    streams,
    noRule: [],
    lanes: [],
    siteCost: [],
  };
  const bySite = siteInfos.map((): StreamPlan[] => []);
  for (const st of streams) bySite[st.site]!.push(st);
  const sites = siteInfos.map((info, index) => planSite(ctx, info, index, bySite[index]!));
  const { lanes, siteCost, noRule } = ctx;

  const slotCount = deliveries.reduce((max, d) => Math.max(max, d.endSlot), 0);
  const workingSet = children * Math.max(0, mta.maxWaitingMessages.value);
  // A message never waits longer than the horizon, so a longer maxAgeSec behaves like the horizon.
  const maxAgeSec = Math.min((slotCount + 1) * SLOT_SECONDS, Math.max(0, mta.maxAgeSec.value));
  const foreign = model.foreignLoads ?? [];
  const sharing = {
    contested: contestedBuckets(
      sites.flatMap((site) => site.paths.map((p) => ({ ...p.keys, site: site.index }))),
      foreign,
    ),
    foreign,
    t0,
  };
  describeSharing(sites, sharing.contested, foreign);
  const epochs = buildEpochs(deliveries, streams, sites, lanes, siteCost, sessions, options.spillOver, workingSet, sharing);
  return { options, t0, slotCount, workingSet, maxAgeSec, sessions, deliveries, streams, sites, lanes, epochs, noRule };
}

/** Phase 1: each delivery's time window and waves, and one stream per recipient domain, with its site. */
function planDeliveries(model: InstanceModel, t0: number): { deliveries: DeliveryPlan[]; streams: StreamPlan[]; siteInfos: SiteInfo[] } {
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

  model.traffic.deliveries.forEach((delivery, index) => {
    const lookup = resolveAffinity(model.serverConf, delivery);
    const ips = lookup.found ? lookup.affinities.flatMap((a) => a.ips) : [];
    const startSlot = slotOf(t0, delivery.start);
    const endSlot = Math.max(startSlot, slotOf(t0, delivery.start + Math.max(0, delivery.validitySec) * 1000));
    const plan: DeliveryPlan = {
      index,
      delivery,
      startSlot,
      endSlot,
      streams: [],
      missingAffinity: lookup.found ? null : lookup.name,
      releases: waveReleases(t0, delivery, startSlot),
    };
    const volumes = domainVolumes(delivery).map((v) => ({ ...v, info: resolve(v.domain), other: false }));
    if (delivery.otherRecipients > 0)
      volumes.push({ domain: OTHER, recipients: Math.floor(delivery.otherRecipients), info: otherSite(), other: true });
    for (const v of volumes) {
      const stream = planStream(v, index, streams.length, siteFor(v.info), ips, lookup.found);
      streams.push(stream);
      plan.streams.push(stream.index);
    }
    deliveries.push(plan);
  });
  return { deliveries, streams, siteInfos };
}

/** One delivery × domain: the IPs it may leave from and each publicId's share of its traffic. */
function planStream(
  v: { domain: string; recipients: number; other: boolean },
  delivery: number,
  index: number,
  site: number,
  ips: readonly AffinityIp[],
  affinityFound: boolean,
): StreamPlan {
  // weight="0": the IP is never chosen (Adobe: the weight is the relative frequency of use).
  const usable = ips.filter((ip) => ip.weight > 0 && (v.other ? ipAllowsOther(ip) : ipAllowsDomain(ip, v.domain)));
  const publicIds = [...new Set(usable.map((ip) => ip.publicId))].sort((a, b) => a - b);
  const status: StreamStatus = !affinityFound ? "pending" : usable.length === 0 ? "no-path" : "ok";
  return {
    index,
    delivery,
    domain: v.domain,
    site,
    recipients: v.recipients,
    status,
    publicIds,
    shares: weightShares(usable, publicIds),
    addresses: [...new Set(usable.map((ip) => ip.address))].sort(),
    lane: -1,
  };
}

/** What the site phases read, and the lists they append to (in site order). */
interface SiteContext {
  ruleFor: (host: string, publicId: number) => MxRule | null;
  tlsSettings: { enableTLS: boolean; statServerTLSSupport: boolean };
  sharedScope: ModelOptions["sharedScope"];
  streams: StreamPlan[];
  noRule: Plan["noRule"];
  lanes: LanePlan[];
  siteCost: SessionPath[][];
}

/** Phase 2, per site: its paths (one per publicId its streams use), its session costs and its lanes. */
function planSite(ctx: SiteContext, info: SiteInfo, index: number, mine: readonly StreamPlan[]): SitePlan {
  const sending = mine.filter((s) => s.status === "ok");
  const publicIds = [...new Set(sending.flatMap((s) => s.publicIds))].sort((a, b) => a - b);
  const host = info.mx[0] ?? info.key;
  const paths = planPaths(ctx, info, host, sending, publicIds);
  const uncovered = info.isOther ? [] : paths.filter((p) => p.rule === null).map((p) => p.publicId);
  if (uncovered.length > 0) ctx.noRule.push({ site: index, host, publicIds: uncovered });
  ctx.siteCost.push(
    paths.map((p) => ({
      effective: p.effective,
      cost: info.acceptance > 0 ? p.sessionSeconds / info.acceptance : Infinity,
      blocked: p.blockedByTls,
    })),
  );
  const siteLanes = planLanes(ctx, index, paths, publicIds, sending);
  return {
    index,
    info,
    domains: [...new Set(mine.map((s) => s.domain))].sort(),
    paths,
    shares: trafficShares(sending, publicIds),
    streams: sending.map((s) => s.index),
    lanes: siteLanes,
    slotCapacity: 0,
    hourlyCapacity: 0,
    sessions: 0,
    limitedBy: "no-path",
    tls: paths[0]?.tls ?? effectiveTls(null, ctx.tlsSettings),
    sharedWith: { sites: [], instances: [] },
  };
}

/** A site's paths: the rule matched on its first MX for each publicId, its TLS and its capacity per slot. */
function planPaths(
  ctx: SiteContext,
  info: SiteInfo,
  host: string,
  sending: readonly StreamPlan[],
  publicIds: readonly number[],
): PathPlan[] {
  // Paths whose publicId the same streams use share one address list (many publicIds × many sites).
  const addressesOf = new Map<string, string[]>();
  return publicIds.map((publicId): PathPlan => {
    const using = sending.filter((s) => s.publicIds.includes(publicId));
    const key = using.map((s) => s.index).join(",");
    let addresses = addressesOf.get(key);
    if (!addresses) {
      addresses = [...new Set(using.flatMap((s) => s.addresses))].sort();
      addressesOf.set(key, addresses);
    }
    const rule = info.isOther ? null : ctx.ruleFor(host, publicId);
    const tls = effectiveTls(rule ? rule.tls : null, ctx.tlsSettings);
    const blockedByTls = info.requiresTls && tls === "plaintext";
    const numbers = rule ? pathCapacity(rule, info, tls) : null;
    const effective = blockedByTls ? 0 : numbers ? Math.floor(numbers.slotCapacity * info.acceptance) : Infinity;
    const sessionSeconds = numbers ? numbers.sessionSeconds : sessionSecondsPerMessage(info, 1, tls);
    const keys = bucketKeys(rule, publicId, info.key, ctx.sharedScope);
    return { publicId, addresses, rule, tls, numbers, blockedByTls, effective, sessionSeconds, keys };
  });
}

/** Lanes: streams connected through the publicIds they may use (union-find over the paths); returns the site's lane ids. */
function planLanes(
  ctx: SiteContext,
  site: number,
  paths: readonly PathPlan[],
  publicIds: readonly number[],
  sending: readonly StreamPlan[],
): number[] {
  const { lanes, streams } = ctx;
  const parent = paths.map((_, k) => k);
  const root = (k: number): number => {
    if (parent[k] !== k) parent[k] = root(parent[k]!);
    return parent[k]!;
  };
  const pathOf = (id: number) => publicIds.indexOf(id);
  for (const s of sending) for (const id of s.publicIds.slice(1)) parent[root(pathOf(id))] = root(pathOf(s.publicIds[0]!));
  const laneOfRoot = new Map<number, LanePlan>();
  const siteLanes: number[] = [];
  for (const s of sending) {
    const r = root(pathOf(s.publicIds[0]!));
    let lane = laneOfRoot.get(r);
    if (!lane) {
      lane = { index: lanes.length, site, streams: [], paths: paths.map((_, k) => k).filter((k) => root(k) === r), shares: [] };
      laneOfRoot.set(r, lane);
      lanes.push(lane);
      siteLanes.push(lane.index);
    }
    lane.streams.push(s.index);
    s.lane = lane.index;
  }
  for (const id of siteLanes)
    lanes[id]!.shares = trafficShares(
      lanes[id]!.streams.map((k) => streams[k]!),
      lanes[id]!.paths.map((k) => publicIds[k]!),
    );
  return siteLanes;
}

/**
 * Shares by planned volume: in each epoch, a lane's (or a stream's) share is the planned recipients
 * of its streams whose delivery runs, over the same sum for all lanes. Never what remains, so how fast one site
 * sends cannot change the room or the sessions of another. Also fills in the sites' reported capacity.
 */
function buildEpochs(
  deliveries: DeliveryPlan[],
  streams: StreamPlan[],
  sites: SitePlan[],
  lanes: LanePlan[],
  siteCost: SessionPath[][],
  sessions: number,
  spillOver: boolean,
  workingSet: number,
  sharing: Sharing,
): Epochs {
  const carried = (cost: SessionPath[], order: number[], paths: number[], shares: number[], n: number) =>
    spillOver ? sessionCapacity(cost, order, n) : weightedCapacity(cost, paths, shares, n);
  const slotCount = deliveries.reduce((max, d) => Math.max(max, d.endSlot), 0);
  const foreignSlots = sharing.foreign.flatMap((load) => [slotOf(sharing.t0, load.fromMs), slotOf(sharing.t0, load.toMs)]);
  const start = [...new Set([0, ...deliveries.flatMap((d) => [d.startSlot, d.endSlot]), ...foreignSlots.filter((k) => k > 0)])]
    .filter((s) => s < Math.max(1, slotCount))
    .sort((a, b) => a - b);
  const L = lanes.length;
  const volumes = new Float64Array(start.length);
  const capacity = new Float64Array(start.length * L);
  const mtaBound = new Uint8Array(start.length * L);
  const room = new Float64Array(start.length * L);
  const laneOrder = lanes.map((lane) => costOrder(siteCost[lane.site]!, lane.paths));
  const siteIndices = sites.map((site) => site.paths.map((_, k) => k));
  const siteOrder = sites.map((site) => costOrder(siteCost[site.index]!, siteIndices[site.index]!));
  const lowest = sites.map(() => ({ capacity: Infinity, sessions: 0, bound: false, seen: false, shared: false }));
  const contested = sharing.contested.quota.size + sharing.contested.connections.size > 0;
  const volume = new Float64Array(L);
  const siteVolume = new Float64Array(sites.length);
  start.forEach((slot, e) => {
    volume.fill(0);
    siteVolume.fill(0);
    let total = 0;
    for (const d of deliveries) {
      if (d.startSlot > slot || d.endSlot <= slot) continue;
      for (const s of d.streams) {
        const st = streams[s]!;
        if (st.lane < 0) continue;
        volume[st.lane] = volume[st.lane]! + st.recipients;
        siteVolume[st.site] = siteVolume[st.site]! + st.recipients;
        total += st.recipients;
      }
    }
    volumes[e] = total;
    if (total <= 0) return;
    const costs = contested ? sharedCosts(sites, lanes, siteCost, volume, sharing, slot, start[e + 1] ?? slotCount) : siteCost;
    for (const lane of lanes) {
      const share = volume[lane.index]! / total;
      if (share <= 0) continue;
      const at = e * L + lane.index;
      room[at] = workingSet * share;
      const got = carried(costs[lane.site]!, laneOrder[lane.index]!, lane.paths, lane.shares, sessions * share);
      capacity[at] = got.capacity;
      mtaBound[at] = got.bound ? 1 : 0;
    }
    for (const site of sites) {
      if (siteVolume[site.index]! <= 0) continue;
      const siteSessions = (sessions * siteVolume[site.index]!) / total;
      const got = carried(costs[site.index]!, siteOrder[site.index]!, siteIndices[site.index]!, site.shares, siteSessions);
      const low = lowest[site.index]!;
      if (!low.seen || got.capacity < low.capacity)
        Object.assign(low, { capacity: got.capacity, sessions: siteSessions, bound: got.bound, seen: true });
      if (costs[site.index] !== siteCost[site.index]) low.shared = true;
    }
  });
  for (const site of sites) {
    const low = lowest[site.index]!;
    // A site whose deliveries never run (no recipients) is shown with all the sessions.
    if (!low.seen)
      Object.assign(low, {
        ...carried(siteCost[site.index]!, siteOrder[site.index]!, siteIndices[site.index]!, site.shares, sessions),
        sessions,
      });
    describeSite(site, low, spillOver);
  }
  return { start, volume: volumes, capacity, mtaBound, room };
}

interface Sharing {
  contested: Contested;
  foreign: readonly BucketLoad[];
  t0: number;
}

/**
 * The sites' paths in one epoch [slot, end) with contested buckets divided by planned volume (buckets.ts):
 * a path's quota × its part of the bucket, its connections × its part of what other instances put on the
 * same paths. Sites without a contested path keep their array.
 */
function sharedCosts(
  sites: readonly SitePlan[],
  lanes: readonly LanePlan[],
  siteCost: readonly SessionPath[][],
  volume: Float64Array,
  sharing: Sharing,
  slot: number,
  end: number,
): SessionPath[][] {
  const totals = newTotals();
  const use = (lane: LanePlan, j: number) => {
    const keys = sites[lane.site]!.paths[lane.paths[j]!]!.keys;
    return { ...keys, volume: volume[lane.index]! * (lane.shares[j] ?? 0) };
  };
  for (const lane of lanes) {
    if (volume[lane.index]! > 0) for (let j = 0; j < lane.paths.length; j++) addUse(totals, use(lane, j));
  }
  addForeign(totals, sharing.foreign, sharing.t0 + slot * SLOT_SECONDS * 1000, sharing.t0 + end * SLOT_SECONDS * 1000);
  const costs = [...siteCost];
  for (const lane of lanes) {
    if (!(volume[lane.index]! > 0)) continue;
    const site = sites[lane.site]!;
    lane.paths.forEach((k, j) => {
      const path = site.paths[k]!;
      if (!path.numbers || path.blockedByTls || !isContested(sharing.contested, path.keys)) return;
      const part = partOf(totals, use(lane, j));
      if (part.quota >= 1 && part.connections >= 1) return;
      if (costs[lane.site] === siteCost[lane.site]) costs[lane.site] = siteCost[lane.site]!.map((c) => ({ ...c }));
      const n = path.numbers;
      costs[lane.site]![k]!.effective =
        Math.min(n.perSlotHourly * part.quota, n.perSlotConnections * part.connections) * site.info.acceptance;
    });
  }
  return costs;
}

/** Fills in each site's `sharedWith`: the other sites and instances on its contested quota buckets. */
function describeSharing(sites: SitePlan[], contested: Contested, foreign: readonly BucketLoad[]): void {
  const byBucket = new Map<string, Set<string>>();
  for (const site of sites)
    for (const p of site.paths)
      if (p.keys.quota && contested.quota.has(p.keys.quota))
        byBucket.set(p.keys.quota, (byBucket.get(p.keys.quota) ?? new Set()).add(site.info.key));
  for (const site of sites) {
    const others = new Set<string>();
    const instances = new Set<string>();
    for (const p of site.paths) {
      for (const key of p.keys.quota ? (byBucket.get(p.keys.quota) ?? []) : []) if (key !== site.info.key) others.add(key);
      for (const load of foreign) if (load.quota === p.keys.quota || load.connections === p.keys.connections) instances.add(load.instance);
    }
    site.sharedWith = { sites: [...others].sort(), instances: [...instances].sort() };
  }
}

/** The reported capacity and the limit that names it. */
function describeSite(
  site: SitePlan,
  low: { capacity: number; sessions: number; bound: boolean; shared: boolean },
  spillOver: boolean,
): void {
  const open = site.paths.filter((p) => !p.blockedByTls);
  const rulesHourly = spillOver
    ? open.reduce(
        (sum, p) =>
          sum + (p.numbers ? Math.min(p.numbers.hourly, p.numbers.perSlotConnections * SLOTS_PER_HOUR) * site.info.acceptance : Infinity),
        0,
      )
    : weightedHourly(site);
  site.sessions = low.sessions;
  site.slotCapacity = Math.min(UNLIMITED, Math.floor(low.capacity));
  // A part of a shared bucket is known per slot only.
  const perSlot = low.bound || low.shared;
  site.hourlyCapacity = Math.min(UNLIMITED, Math.floor(perSlot ? Math.min(rulesHourly, low.capacity * SLOTS_PER_HOUR) : rulesHourly));
  if (site.paths.length === 0) site.limitedBy = "no-path";
  else if (open.length === 0) site.limitedBy = "tls";
  else if (site.info.isOther) site.limitedBy = "mta";
  else if (open.some((p) => p.rule === null)) site.limitedBy = "no-rule";
  else if (low.bound) site.limitedBy = "mta";
  else site.limitedBy = open[0]!.numbers!.limitedBy;
}

/** Hourly messages when each open path carries its weight's share: the tightest path's hourly ÷ its share. */
function weightedHourly(site: SitePlan): number {
  const open = site.paths.reduce((sum, p, k) => sum + (p.blockedByTls ? 0 : (site.shares[k] ?? 0)), 0);
  if (!(open > 0)) return 0;
  return site.paths.reduce((min, p, k) => {
    const share = (site.shares[k] ?? 0) / open;
    if (p.blockedByTls || !(share > 0)) return min;
    const hourly = p.numbers ? Math.min(p.numbers.hourly, p.numbers.perSlotConnections * SLOTS_PER_HOUR) * site.info.acceptance : Infinity;
    return Math.min(min, Math.round((hourly / share) * 1e6) / 1e6);
  }, Infinity);
}

/** Each publicId's share of one stream's traffic: the weights of its usable IPs over all of theirs. */
function weightShares(usable: readonly AffinityIp[], publicIds: readonly number[]): number[] {
  const total = usable.reduce((sum, ip) => sum + ip.weight, 0);
  return publicIds.map((id) => usable.filter((ip) => ip.publicId === id).reduce((sum, ip) => sum + ip.weight, 0) / total);
}

/** Each publicId's share of several streams' traffic, weighted by their planned recipients. */
function trafficShares(streams: readonly StreamPlan[], publicIds: readonly number[]): number[] {
  const volume = streams.reduce((sum, s) => sum + Math.max(1, s.recipients), 0);
  return publicIds.map((id) =>
    streams.reduce((sum, s) => {
      const at = s.publicIds.indexOf(id);
      return at < 0 ? sum : sum + (Math.max(1, s.recipients) * s.shares[at]!) / volume;
    }, 0),
  );
}

/** Messages per slot a path without rule carries with the site's sessions (one message per connection). */
export function sessionOnlyCapacity(site: SitePlan, path: PathPlan): number {
  if (path.blockedByTls || site.info.acceptance <= 0) return 0;
  const cost = path.sessionSeconds / site.info.acceptance;
  return Math.min(UNLIMITED, Math.floor(sessionCapacity([{ effective: Infinity, cost }], [0], site.sessions).capacity));
}
