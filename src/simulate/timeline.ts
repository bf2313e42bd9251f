/**
 * The 5-minute slot simulation (SPEC §4). State is aggregated per stream (delivery × domain):
 * eligible counts, working-set cohorts by entry slot, and messages deferred until the next retry,
 * so the cost grows with streams × slots, never with the number of recipients.
 */
import { SLOT_SECONDS, SLOTS_PER_HOUR } from "./capacity.js";
import { distribute } from "./distribute.js";
import type { DeliveryPlan, Plan } from "./plan.js";
import { maxPull, type SiteLoads } from "./pull.js";
import { nextRetryTime } from "./retry.js";

export interface StreamOutcome {
  sent: number;
  /** Distinct messages deferred at least once. */
  deferred: number;
  expired: number;
  /** Epoch ms of the last message sent, null when nothing was sent. */
  lastSend: number | null;
}

export interface SiteSeries {
  hourlySent: number[];
  /** Unsent backlog (eligible, waiting in the working set, deferred) at each hour's end. */
  hourlyQueued: number[];
  /** Slots in which the MTA session ceiling scaled this site down. */
  mtaSlots: number;
}

export interface Timeline {
  streams: StreamOutcome[];
  sites: SiteSeries[];
  hours: number;
}

const SLOT_MS = SLOT_SECONDS * 1000;

export function runTimeline(plan: Plan): Timeline {
  const { streams, sites, deliveries, ageSlots: A, workingSet: W, sessions, slotCount, t0 } = plan;
  const S = streams.length;
  const eligFresh = new Float64Array(S);
  const eligRetry = new Float64Array(S);
  const waiting = new Float64Array(S);
  const inW = new Float64Array(S);
  const coh = new Float64Array(S * A);
  const cohFresh = new Float64Array(S * A);
  const sent = new Float64Array(S);
  const deferred = new Float64Array(S);
  const lastSend = new Float64Array(S).fill(-1);
  const hours = Math.ceil(slotCount / SLOTS_PER_HOUR);
  const hourlySent = sites.map(() => new Array<number>(hours).fill(0));
  const hourlyQueued = sites.map(() => new Array<number>(hours).fill(0));
  const mtaSlots = new Array<number>(sites.length).fill(0);

  const started = new Uint8Array(deliveries.length);
  const ended = new Uint8Array(deliveries.length);
  const nextRelease = new Float64Array(deliveries.length).fill(Infinity);
  let active: number[] = [];
  let occupancy = 0;

  const releaseSlotAfter = (d: DeliveryPlan, slot: number): number => {
    const r = nextRetryTime(d.delivery, t0 + slot * SLOT_MS);
    if (r === null) return Infinity;
    const s = Math.ceil((r - t0) / SLOT_MS);
    return s < d.endSlot ? s : Infinity;
  };
  const remaining = (s: number) => eligFresh[s]! + eligRetry[s]! + waiting[s]! + inW[s]!;
  const clear = (s: number) => {
    occupancy -= inW[s]!;
    eligFresh[s] = eligRetry[s] = waiting[s] = inW[s] = 0;
    coh.fill(0, s * A, s * A + A);
    cohFresh.fill(0, s * A, s * A + A);
  };
  const recordQueued = (fromHour: number, toHour: number) => {
    if (toHour < fromHour) return;
    const totals = new Array<number>(sites.length).fill(0);
    for (const s of active) totals[streams[s]!.site]! += remaining(s);
    for (let h = fromHour; h <= toHour && h < hours; h++) for (let k = 0; k < sites.length; k++) hourlyQueued[k]![h] = totals[k]!;
  };

  const pullShares = new Float64Array(S);
  const pullWeights = new Float64Array(S);
  const siteBase = new Float64Array(sites.length);
  const siteEligible = new Float64Array(sites.length);
  const siteCap = new Float64Array(sites.length);
  const siteOf = Int32Array.from(streams, (st) => st.site);
  const given = new Float64Array(S);
  const widest = sites.reduce((max, site) => Math.max(max, site.streams.length), 0);
  const scratch: Scratch = { demand: new Float64Array(widest), part: new Float64Array(widest), want: new Float64Array(widest) };
  const loads: SiteLoads = { base: new Float64Array(sites.length), share: new Float64Array(sites.length), cap: new Float64Array(sites.length), count: 0 };
  const busyMark = new Float64Array(sites.length);
  const busy: Plan["sites"] = [];

  for (let i = 0; i < slotCount; i++) {
    let changed = false;
    for (const d of deliveries) {
      if (!ended[d.index] && d.endSlot <= i) {
        for (const s of d.streams) clear(s);
        ended[d.index] = 1;
        changed = true;
      }
      if (!started[d.index] && d.startSlot <= i) {
        started[d.index] = 1;
        changed = true;
        nextRelease[d.index] = releaseSlotAfter(d, i);
        if (!ended[d.index]) for (const s of d.streams) if (streams[s]!.status === "ok") eligFresh[s] = streams[s]!.recipients;
      } else if (started[d.index] && !ended[d.index] && nextRelease[d.index] === i) {
        for (const s of d.streams) {
          eligRetry[s] = eligRetry[s]! + waiting[s]!;
          waiting[s] = 0;
        }
        nextRelease[d.index] = releaseSlotAfter(d, i);
      }
    }
    if (changed) active = activeStreams(plan, started, ended);
    // A stream with nothing left never gets mail again: drop it, and work only on busy sites.
    active = active.filter((s) => remaining(s) > 0);
    busy.length = 0;
    for (const s of active) {
      const k = siteOf[s]!;
      if (busyMark[k] !== i + 1) {
        busyMark[k] = i + 1;
        busy.push(sites[k]!);
      }
    }

    // Messages that waited maxAgeSec in the working set are deferred ("quotas met") until the next retry.
    const q = i % A;
    for (const s of active) {
      const n = coh[s * A + q]!;
      if (n > 0) {
        waiting[s] = waiting[s]! + n;
        deferred[s] = deferred[s]! + cohFresh[s * A + q]!;
        inW[s] = inW[s]! - n;
        occupancy -= n;
        coh[s * A + q] = 0;
        cohFresh[s * A + q] = 0;
      }
    }

    // Pull from every running delivery in proportion to what remains eligible, while sending
    // frees room, until the unsent messages fill the working set (see pull.ts).
    let eligible = 0;
    siteBase.fill(0);
    siteEligible.fill(0);
    for (let k = 0; k < active.length; k++) {
      const s = active[k]!;
      const e = eligFresh[s]! + eligRetry[s]!;
      pullWeights[k] = e;
      eligible += e;
      siteEligible[siteOf[s]!] = siteEligible[siteOf[s]!]! + e;
    }
    for (const s of active) siteBase[siteOf[s]!] = siteBase[siteOf[s]!]! + inW[s]!;
    // The MTA session ceiling scales every site down together when, sending all they could
    // (what they hold plus what they have eligible, up to capacity), they need more sessions.
    let sessionsNeeded = 0;
    for (const site of busy) {
      const could = Math.min(siteBase[site.index]! + siteEligible[site.index]!, site.capacity);
      sessionsNeeded += (could * site.sessionSeconds) / SLOT_SECONDS;
    }
    const factor = sessionsNeeded > sessions ? sessions / sessionsNeeded : 1;
    for (const site of busy) siteCap[site.index] = factor < 1 ? Math.floor(site.capacity * factor) : site.capacity;
    const pull = eligible > 0 ? pullAmount(busy, siteBase, siteEligible, siteCap, eligible, W, loads) : 0;

    if (pull > 0) {
      distribute(pull, pullWeights, pullShares, i, active.length);
      for (let k = 0; k < active.length; k++) {
        const n = pullShares[k]!;
        if (n <= 0) continue;
        const s = active[k]!;
        const fromRetry = Math.min(n, eligRetry[s]!);
        eligRetry[s] = eligRetry[s]! - fromRetry;
        eligFresh[s] = eligFresh[s]! - (n - fromRetry);
        coh[s * A + q] = coh[s * A + q]! + n;
        cohFresh[s * A + q] = cohFresh[s * A + q]! + (n - fromRetry);
        inW[s] = inW[s]! + n;
        occupancy += n;
        eligible -= n;
      }
    }

    // Each site sends up to its capacity from the working set, oldest messages first.
    const slotStart = t0 + i * SLOT_MS;
    const hour = Math.floor(i / SLOTS_PER_HOUR);
    for (const site of busy) {
      const cap = siteCap[site.index]!;
      if (cap <= 0) continue;
      const total = allocate(site, cap, inW, given, scratch, i);
      if (total <= 0) continue;
      if (factor < 1) mtaSlots[site.index]!++;
      const finish = slotStart + SLOT_MS * Math.min(1, total / Math.max(1, cap));
      for (let k = 0; k < site.streams.length; k++) {
        const n = given[k]!;
        if (n <= 0) continue;
        const s = site.streams[k]!;
        takeOldest(coh, cohFresh, s, A, i, n);
        inW[s] = inW[s]! - n;
        occupancy -= n;
        sent[s] = sent[s]! + n;
        lastSend[s] = finish;
      }
      hourlySent[site.index]![hour]! += total;
    }

    if ((i + 1) % SLOTS_PER_HOUR === 0) recordQueued(hour, hour);
    if (occupancy <= 0 && eligible <= 0) {
      const next = nextEvent(deliveries, started, ended, nextRelease, (d) => d.streams.some((s) => remaining(s) > 0), i);
      if (next === Infinity) {
        recordQueued(hour + ((i + 1) % SLOTS_PER_HOUR === 0 ? 1 : 0), hours - 1);
        break;
      }
      if (next > i + 1) {
        recordQueued(Math.floor((i + 1) / SLOTS_PER_HOUR), Math.floor(next / SLOTS_PER_HOUR) - 1);
        i = next - 1;
      }
    }
  }
  recordQueued(hours - 1, hours - 1);

  return {
    streams: streams.map((st, s) => ({
      sent: sent[s]!,
      deferred: deferred[s]!,
      expired: st.recipients - sent[s]!,
      lastSend: lastSend[s]! >= 0 ? lastSend[s]! : null,
    })),
    sites: sites.map((_, k) => ({ hourlySent: hourlySent[k]!, hourlyQueued: hourlyQueued[k]!, mtaSlots: mtaSlots[k]! })),
    hours,
  };
}

/** Whole messages the working set can take this slot (pull.ts), at most what is eligible. */
function pullAmount(sites: Plan["sites"], base: Float64Array, eligibleBySite: Float64Array, cap: Float64Array, eligible: number, W: number, loads: SiteLoads): number {
  loads.count = 0;
  for (const site of sites) {
    const k = site.index;
    if (base[k]! <= 0 && eligibleBySite[k]! <= 0) continue;
    loads.base[loads.count] = base[k]!;
    loads.share[loads.count] = eligibleBySite[k]! / eligible;
    loads.cap[loads.count] = cap[k]!;
    loads.count++;
  }
  return maxPull(loads, W, Math.floor(eligible));
}

function activeStreams(plan: Plan, started: Uint8Array, ended: Uint8Array): number[] {
  const out: number[] = [];
  for (const d of plan.deliveries) {
    if (!started[d.index] || ended[d.index]) continue;
    for (const s of d.streams) if (plan.streams[s]!.status === "ok") out.push(s);
  }
  return out.sort((a, b) => a - b);
}

/** The next slot where something can change: a start, a retry release, or a validity end with mail left. */
function nextEvent(
  deliveries: DeliveryPlan[],
  started: Uint8Array,
  ended: Uint8Array,
  nextRelease: Float64Array,
  hasMail: (d: DeliveryPlan) => boolean,
  i: number,
): number {
  let next = Infinity;
  for (const d of deliveries) {
    if (!started[d.index]) next = Math.min(next, Math.max(d.startSlot, i + 1));
    else if (!ended[d.index] && hasMail(d)) next = Math.min(next, nextRelease[d.index]!, d.endSlot);
  }
  return next;
}

interface Scratch {
  demand: Float64Array;
  part: Float64Array;
  want: Float64Array;
}

/** Splits a site's slot capacity among its streams by what each has in the working set. */
function allocate(site: Plan["sites"][number], cap: number, inW: Float64Array, out: Float64Array, scratch: Scratch, rotate: number): number {
  const n = site.streams.length;
  const demand = scratch.demand;
  for (let k = 0; k < n; k++) demand[k] = inW[site.streams[k]!]!;
  if (site.pooled) {
    distribute(cap, demand, out, rotate, n);
  } else {
    // Streams may use different publicIds: hand out each path's share to the streams allowed on it.
    out.fill(0, 0, n);
    const scale = site.capacity > 0 ? cap / site.capacity : 0;
    const part = scratch.part;
    const want = scratch.want;
    site.paths.forEach((path, p) => {
      for (let k = 0; k < n; k++) want[k] = site.streamPaths[k]!.includes(p) ? demand[k]! - out[k]! : 0;
      distribute(Math.floor(path.effective * scale), want, part, rotate, n);
      for (let k = 0; k < n; k++) out[k] = out[k]! + part[k]!;
    });
  }
  let total = 0;
  for (let k = 0; k < n; k++) total += out[k]!;
  return total;
}

/** Removes n messages from a stream's working-set cohorts, oldest first, retried before fresh. */
function takeOldest(coh: Float64Array, cohFresh: Float64Array, s: number, A: number, i: number, n: number): void {
  let left = n;
  for (let age = A - 1; age >= 0 && left > 0; age--) {
    const at = s * A + ((((i - age) % A) + A) % A);
    const have = coh[at]!;
    if (have <= 0) continue;
    const take = Math.min(have, left);
    const retried = have - cohFresh[at]!;
    const freshTaken = Math.max(0, take - retried);
    coh[at] = have - take;
    cohFresh[at] = cohFresh[at]! - freshTaken;
    left -= take;
  }
}
