/**
 * The 5-minute slot simulation (SPEC §4), computed in fluid (fractional messages) so that splits
 * are exact and more capacity never makes anything worse; only the reported counts are rounded.
 *
 * Shares are fixed per epoch by planned volume (plan.ts): each stream (delivery × domain) has its
 * room in the working set, W × its planned recipients over those of all running deliveries; each
 * lane (a site, or the part of a site one group of publicIds reaches) has its capacity. Per slot
 * and lane:
 * 1. messages that waited `ageSlots` in the working set are deferred ("quotas met") until their
 *    delivery's next retry time;
 * 2. the lane's capacity is split across its streams by planned recipients, none getting more than
 *    it could send (what it holds plus what is eligible); what one cannot use goes to the others;
 * 3. each stream pulls up to its room + its capacity − what it still holds, fresh messages first,
 *    retried ones taking what is left, and sends its capacity, oldest messages first.
 * A stream's room never depends on how fast anything is sent, so more capacity can only let it
 * send more and keep fewer messages waiting. At validity the delivery's unsent messages expire.
 * State is aggregated per stream and working-set cohort (entry slot), so the cost grows with
 * streams × slots, never with the number of recipients.
 */
import { SLOT_SECONDS, SLOTS_PER_HOUR } from "./capacity.js";
import type { DeliveryPlan, Plan } from "./plan.js";
import { nextRetryTime } from "./retry.js";

export interface StreamOutcome {
  /** Rounded: sent + expired = recipients. */
  sent: number;
  /** Distinct messages deferred at least once (rounded). */
  deferred: number;
  expired: number;
  /** Epoch ms when all but half a message was sent; null when that never happened (or nothing to send). */
  completedAt: number | null;
}

export interface SiteSeries {
  hourlySent: number[];
  /** Unsent backlog (eligible, waiting in the working set, deferred) at each hour's end. */
  hourlyQueued: number[];
}

export interface Timeline {
  streams: StreamOutcome[];
  sites: SiteSeries[];
  hours: number;
}

const SLOT_MS = SLOT_SECONDS * 1000;
/** Below this, fluid leftovers count as nothing (for skipping idle lanes and slots). */
const EPS = 1e-7;

/** Fluid values are snapped to a 1e-6 grid before rounding, so float noise cannot flip a count. */
export function snap(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export function runTimeline(plan: Plan): Timeline {
  const { streams, sites, lanes, deliveries, ageSlots: A, slotCount, t0, epochs, workingSet } = plan;
  const S = streams.length;
  const L = lanes.length;
  const fresh = new Float64Array(S);
  const retry = new Float64Array(S);
  const waiting = new Float64Array(S);
  const inW = new Float64Array(S);
  const sent = new Float64Array(S);
  const deferred = new Float64Array(S);
  const completedAt = new Float64Array(S).fill(-1);
  const weight = Float64Array.from(streams, (st) => st.recipients);
  /** Working-set cohorts: stream s, entry slot j → (s × A + j mod A) × 2, +0 fresh, +1 retried. */
  const coh = new Float64Array(S * A * 2);
  /** Entry slot of each stream's oldest cohort that may still hold messages. */
  const oldest = new Float64Array(S);
  // Lanes' streams, flat: laneStream[laneFirst[l] .. laneFirst[l + 1]).
  const laneFirst = new Int32Array(L + 1);
  for (let l = 0; l < L; l++) laneFirst[l + 1] = laneFirst[l]! + lanes[l]!.streams.length;
  const laneStream = Int32Array.from(lanes.flatMap((lane) => lane.streams));
  const laneSite = Int32Array.from(lanes, (lane) => lane.site);
  const widest = lanes.reduce((max, lane) => Math.max(max, lane.streams.length), 0);
  /** Per busy lane: its streams with demand, their demand and the capacity they are given. */
  const order = new Int32Array(widest);
  const demand = new Float64Array(widest);
  const given = new Float64Array(widest);
  const byRatio: number[] = [];
  /** Splits `cap` over order[0..m) by planned recipients, none above its demand (water-filling). */
  const waterFill = (m: number, cap: number) => {
    byRatio.length = 0;
    let weights = 0;
    for (let j = 0; j < m; j++) {
      byRatio.push(j);
      weights += weight[order[j]!]!;
    }
    byRatio.sort((a, b) => demand[a]! / weight[order[a]!]! - demand[b]! / weight[order[b]!]! || order[a]! - order[b]!);
    let left = cap;
    let j = 0;
    for (; j < m; j++) {
      const k = byRatio[j]!;
      const w = weight[order[k]!]!;
      if (demand[k]! * weights > left * w) break;
      given[k] = demand[k]!;
      left -= demand[k]!;
      weights -= w;
    }
    for (; j < m; j++) {
      const k = byRatio[j]!;
      given[k] = Math.min(demand[k]!, weights > 0 ? (left * weight[order[k]!]!) / weights : 0);
    }
  };

  const hours = Math.ceil(slotCount / SLOTS_PER_HOUR);
  const hourlySent = sites.map(() => new Array<number>(hours).fill(0));
  const hourlyQueued = sites.map(() => new Array<number>(hours).fill(0));
  let recordedThrough = -1;
  const record = (toHour: number) => {
    for (let h = recordedThrough + 1; h <= toHour && h < hours; h++) {
      for (const site of sites) {
        let backlog = 0;
        for (const s of site.streams) backlog += fresh[s]! + retry[s]! + waiting[s]! + inW[s]!;
        hourlyQueued[site.index]![h] = Math.max(0, Math.round(backlog));
      }
      recordedThrough = h;
    }
  };

  const byStart = [...deliveries].sort((a, b) => a.startSlot - b.startSlot || a.index - b.index);
  let nextStart = 0;
  const running: DeliveryPlan[] = [];
  const nextRelease = new Float64Array(deliveries.length).fill(Infinity);
  const releaseSlotAfter = (d: DeliveryPlan, slot: number): number => {
    const r = nextRetryTime(d.delivery, t0 + slot * SLOT_MS);
    if (r === null) return Infinity;
    const s = Math.ceil((r - t0) / SLOT_MS);
    return s < d.endSlot ? s : Infinity;
  };

  let epoch = 0;
  for (let i = 0; i < slotCount; i++) {
    while (epoch + 1 < epochs.start.length && epochs.start[epoch + 1]! <= i) epoch++;

    // Validity reached: the rest expires. Then starts, then retry releases.
    for (let j = running.length - 1; j >= 0; j--) {
      const d = running[j]!;
      if (d.endSlot > i) continue;
      for (const s of d.streams) {
        fresh[s] = retry[s] = waiting[s] = inW[s] = 0;
        coh.fill(0, s * A * 2, (s + 1) * A * 2);
      }
      running.splice(j, 1);
    }
    while (nextStart < byStart.length && byStart[nextStart]!.startSlot <= i) {
      const d = byStart[nextStart++]!;
      if (d.endSlot <= i) continue;
      running.push(d);
      nextRelease[d.index] = releaseSlotAfter(d, i);
      for (const s of d.streams) if (streams[s]!.lane >= 0) fresh[s] = streams[s]!.recipients;
    }
    for (const d of running) {
      if (nextRelease[d.index]! > i) continue;
      for (const s of d.streams) {
        if (waiting[s]! <= 0) continue;
        retry[s] = retry[s]! + waiting[s]!;
        waiting[s] = 0;
      }
      nextRelease[d.index] = releaseSlotAfter(d, i);
    }

    const slotStart = t0 + i * SLOT_MS;
    const hour = Math.floor(i / SLOTS_PER_HOUR);
    const r = i % A;
    const perRecipient = epochs.volume[epoch]! > 0 ? workingSet / epochs.volume[epoch]! : 0;
    let busy = false;
    const capBase = epoch * L;
    for (let l = 0; l < L; l++) {
      const first = laneFirst[l]!;
      const end = laneFirst[l + 1]!;
      // Quick check: nothing held nor eligible in the lane.
      let any = false;
      for (let k = first; k < end; k++) {
        const s = laneStream[k]!;
        if (inW[s]! > EPS || fresh[s]! > EPS || retry[s]! > EPS) {
          any = true;
          break;
        }
      }
      if (!any) continue;
      const cap = epochs.capacity[capBase + l]!;

      // 1. The cohort that entered A slots ago has waited maxAgeSec: deferred until the next retry.
      // 2. Demand: what each stream could send now (what it holds plus what is eligible).
      let m = 0;
      let totalDemand = 0;
      for (let k = first; k < end; k++) {
        const s = laneStream[k]!;
        const at = (s * A + r) * 2;
        const held = coh[at]! + coh[at + 1]!;
        if (held > 0 && i >= A) {
          deferred[s] = deferred[s]! + coh[at]!;
          waiting[s] = waiting[s]! + held;
          inW[s] = Math.max(0, inW[s]! - held);
          coh[at] = coh[at + 1] = 0;
        }
        if (oldest[s]! < i - A + 1) oldest[s] = i - A + 1;
        const d = inW[s]! + fresh[s]! + retry[s]!;
        if (d > 0 && weight[s]! > 0) {
          order[m] = s;
          demand[m] = d;
          given[m] = 0;
          m++;
          totalDemand += d;
        }
      }
      if (m === 0) continue;

      // Capacity by planned recipients, water-filled: a stream that cannot use its part leaves it to the others.
      if (totalDemand <= cap) {
        for (let j = 0; j < m; j++) given[j] = demand[j]!;
      } else if (m === 1) {
        given[0] = cap;
      } else {
        waterFill(m, cap);
      }

      let laneSent = 0;
      for (let j = 0; j < m; j++) {
        const s = order[j]!;
        const c = given[j]!;
        // 3. Pull up to room + capacity − held: fresh first, then retried.
        let budget = weight[s]! * perRecipient + c - inW[s]!;
        if (budget > 0) {
          const at = (s * A + r) * 2;
          const got = Math.min(fresh[s]!, budget);
          if (got > 0) {
            fresh[s] = fresh[s]! - got;
            coh[at] = coh[at]! + got;
            inW[s] = inW[s]! + got;
            budget -= got;
          }
          const more = Math.min(retry[s]!, budget);
          if (more > 0) {
            retry[s] = retry[s]! - more;
            coh[at + 1] = coh[at + 1]! + more;
            inW[s] = inW[s]! + more;
          }
        }
        // Send c, oldest cohorts first, fresh before retried within a cohort.
        const out = Math.min(c, inW[s]!);
        let left = out;
        for (let e = oldest[s]!; e <= i && left > 0; e++) {
          const at = (s * A + (e % A)) * 2;
          const f = Math.min(coh[at]!, left);
          coh[at] = coh[at]! - f;
          left -= f;
          const g = Math.min(coh[at + 1]!, left);
          coh[at + 1] = coh[at + 1]! - g;
          left -= g;
          if (coh[at]! <= 0 && coh[at + 1]! <= 0 && e === oldest[s]) oldest[s] = e + 1;
        }
        const x = out - Math.max(0, left);
        if (x <= 0) continue;
        inW[s] = Math.max(0, inW[s]! - x);
        const before = sent[s]!;
        sent[s] = before + x;
        laneSent += x;
        const target = weight[s]! - 0.5;
        if (completedAt[s]! < 0 && sent[s]! >= target - 1e-6 && snap(sent[s]!) >= target) {
          // Interpolated within the slot at the lane's rate.
          completedAt[s] = slotStart + SLOT_MS * Math.min(1, Math.max(0, (target - snap(before)) / cap));
        }
      }
      if (laneSent > 0) {
        const series = hourlySent[laneSite[l]!]!;
        series[hour] = series[hour]! + laneSent;
      }
      if (!busy) {
        for (let j = 0; j < m; j++) {
          const s = order[j]!;
          if (inW[s]! > EPS || fresh[s]! > EPS || retry[s]! > EPS) {
            busy = true;
            break;
          }
        }
      }
    }

    if ((i + 1) % SLOTS_PER_HOUR === 0) record(hour);
    if (!busy) {
      // Nothing in any working set nor eligible: jump to the next start, retry release or validity end.
      let next = nextStart < byStart.length ? Math.max(i + 1, byStart[nextStart]!.startSlot) : Infinity;
      for (const d of running) {
        if (!d.streams.some((s) => waiting[s]! > EPS)) continue;
        next = Math.min(next, nextRelease[d.index]!, d.endSlot);
      }
      if (next === Infinity) break;
      if (next > i + 1) {
        record(Math.floor(next / SLOTS_PER_HOUR) - 1);
        i = next - 1;
      }
    }
  }
  record(hours - 1);

  return {
    streams: streams.map((st, s) => {
      const total = st.lane < 0 ? 0 : Math.min(st.recipients, Math.round(snap(sent[s]!)));
      return {
        sent: total,
        deferred: Math.min(st.recipients, Math.round(snap(deferred[s]!))),
        expired: st.recipients - total,
        completedAt: completedAt[s]! >= 0 ? completedAt[s]! : null,
      };
    }),
    sites: sites.map((_, k) => ({ hourlySent: hourlySent[k]!.map((n) => Math.round(n)), hourlyQueued: hourlyQueued[k]! })),
    hours,
  };
}
