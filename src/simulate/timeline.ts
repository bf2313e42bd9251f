/**
 * The time simulation (docs/model.md): 5-minute slots, each with its quota, computed in fluid
 * (fractional messages) so that results move continuously with every input; only the reported
 * counts are rounded. One slot runs these phases in order:
 *
 * 1. expire:  deliveries whose validity is reached lose what is still unsent;
 * 2. start:   deliveries that start, and each of their waves, put their messages up for preparation;
 * 3. retry:   a delivery's retry time puts its abandoned messages up for preparation again;
 * 4. abandon: messages that have waited maxAgeSec in the working set leave it, abandoned
 *             ("processed at the next retry", Adobe's maxAgeSec text);
 * 5. prepare and send: the working set is refilled in delivery order (working-set.ts), each lane
 *             (a site's queue) sends its quota, oldest first.
 *
 * Ages are exact: a lane sending `capacity` per 300 s empties a FIFO at that rate, so a message
 * prepared behind `queued` others waits queued / rate. Only the first capacity × maxAgeSec / 300 of
 * a lane's waiting messages can be sent in time; a message prepared beyond that holds its place for
 * maxAgeSec and is then abandoned (model.quotaMet "pace": it waits instead). A lane whose every path is
 * plaintext to a provider that requires TLS sends nothing: its messages are refused in the SMTP session
 * they are tried in, so they leave the working set in that slot and wait for the next retry, holding no
 * place meanwhile (docs/model.md#tls). State is aggregated per
 * stream (delivery × domain), so the cost grows with streams × slots, never with the recipients.
 */
import { SLOT_SECONDS, SLOTS_PER_HOUR } from "./capacity.js";
import type { DeliveryPlan, Plan } from "./plan.js";
import { nextRetryTime } from "./retry.js";
import { preparedThisSlot, type LaneDemands } from "./working-set.js";

export interface StreamOutcome {
  /** Rounded: sent + expired = recipients. */
  sent: number;
  /** Distinct messages abandoned at least once (rounded). */
  deferred: number;
  expired: number;
  /** Abandonments counted each time, a message abandoned twice counting twice (rounded). */
  abandonments: number;
  /** Epoch ms when all but half a message was sent; null when that never happened (or nothing to send). */
  completedAt: number | null;
}

export interface SiteSeries {
  hourlySent: number[];
  /** Unsent backlog (to prepare, in the working set, abandoned) at each hour's end. */
  hourlyQueued: number[];
}

export interface Timeline {
  streams: StreamOutcome[];
  sites: SiteSeries[];
  hours: number;
}

const SLOT_MS = SLOT_SECONDS * 1000;
/** Below this, fluid leftovers count as nothing (for skipping idle slots). */
const EPS = 1e-7;

/** Fluid values are snapped to a 1e-6 grid before rounding, so float noise cannot flip a count. */
export function snap(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Per stream (delivery × domain), in messages. */
interface StreamState {
  /** Not prepared yet. */
  fresh: Float64Array;
  /** Abandoned, released by a retry, waiting to be prepared again. */
  retryReady: Float64Array;
  /** Abandoned, waiting for the delivery's next retry. */
  abandoned: Float64Array;
  /** In the working set and sent within maxAgeSec. */
  queued: Float64Array;
  /** In the working set and abandoned when maxAgeSec is reached. */
  leaving: Float64Array;
  sent: Float64Array;
  deferred: Float64Array;
  abandonments: Float64Array;
  completedAt: Float64Array;
}

interface TimelineState {
  plan: Plan;
  slot: number;
  epoch: number;
  streams: StreamState;
  /** Messages leaving the working set at a slot: [stream × ringSize + slot mod ringSize]. */
  leavingAt: Float64Array;
  ringSize: number;
  byStart: DeliveryPlan[];
  nextStart: number;
  running: DeliveryPlan[];
  /** Per delivery: the slot of its next retry (Infinity: none before validity ends). */
  nextRelease: Float64Array;
  /** Per delivery: its next wave not yet released. */
  nextWave: Int32Array;
  /** Per lane, refilled every slot: mix, queued and quota (for the working set), eligible and held. */
  demand: LaneDemands;
  eligible: Float64Array;
  held: Float64Array;
  /** Per lane, kept up to date as streams change: Σ fresh + retryReady, Σ queued, Σ leaving of its streams. */
  laneEligible: Float64Array;
  laneQueued: Float64Array;
  laneLeaving: Float64Array;
  /** The lane of each stream (-1: none). */
  laneOf: Int32Array;
  /** Per lane: 1 when every path is plaintext to a provider that requires TLS (its messages are refused). */
  laneRefused: Uint8Array;
  /** The lanes with something to do this slot. */
  active: number[];
  /** The lanes' streams, flat: members[first[l] .. first[l + 1]) (read every slot, so kept in one array). */
  laneFirst: Int32Array;
  laneMembers: Int32Array;
  laneSite: Int32Array;
  /** Lanes that may have work: set when a delivery starts or retries, dropped once empty. */
  live: number[];
  isLive: Uint8Array;
  hourlySent: Float64Array[];
  hourlyQueued: number[][];
  /** model.quotaMet "pace": nothing is abandoned. */
  paced: boolean;
  recordedThrough: number;
}

function newState(plan: Plan): TimelineState {
  const count = plan.streams.length;
  const array = () => new Float64Array(count);
  const ringSize = Math.floor(plan.maxAgeSec / SLOT_SECONDS) + 2;
  const hours = Math.ceil(plan.slotCount / SLOTS_PER_HOUR);
  return {
    plan,
    slot: 0,
    epoch: 0,
    streams: {
      fresh: array(),
      retryReady: array(),
      abandoned: array(),
      queued: array(),
      leaving: array(),
      sent: array(),
      deferred: array(),
      abandonments: array(),
      completedAt: array().fill(-1),
    },
    leavingAt: new Float64Array(plan.options.quotaMet === "pace" ? 0 : count * ringSize),
    ringSize,
    byStart: [...plan.deliveries].sort((a, b) => a.startSlot - b.startSlot || a.index - b.index),
    nextStart: 0,
    running: [],
    nextRelease: new Float64Array(plan.deliveries.length).fill(Infinity),
    nextWave: new Int32Array(plan.deliveries.length),
    demand: {
      mix: new Float64Array(plan.lanes.length),
      queued: new Float64Array(plan.lanes.length),
      capacity: new Float64Array(plan.lanes.length),
    },
    eligible: new Float64Array(plan.lanes.length),
    held: new Float64Array(plan.lanes.length),
    laneEligible: new Float64Array(plan.lanes.length),
    laneQueued: new Float64Array(plan.lanes.length),
    laneLeaving: new Float64Array(plan.lanes.length),
    laneOf: Int32Array.from(plan.streams, (st) => st.lane),
    laneRefused: Uint8Array.from(plan.lanes, (lane) =>
      lane.paths.length > 0 && lane.paths.every((k) => plan.sites[lane.site]!.paths[k]!.blockedByTls) ? 1 : 0,
    ),
    active: [],
    ...flatLanes(plan),
    live: [],
    isLive: new Uint8Array(plan.lanes.length),
    hourlySent: plan.sites.map(() => new Float64Array(hours)),
    paced: plan.options.quotaMet === "pace",
    hourlyQueued: plan.sites.map(() => new Array<number>(hours).fill(0)),
    recordedThrough: -1,
  };
}

function flatLanes(plan: Plan): Pick<TimelineState, "laneFirst" | "laneMembers" | "laneSite"> {
  const laneFirst = new Int32Array(plan.lanes.length + 1);
  for (const [l, lane] of plan.lanes.entries()) laneFirst[l + 1] = laneFirst[l]! + lane.streams.length;
  return {
    laneFirst,
    laneMembers: Int32Array.from(plan.lanes.flatMap((lane) => lane.streams)),
    laneSite: Int32Array.from(plan.lanes, (lane) => lane.site),
  };
}

export function runTimeline(plan: Plan): Timeline {
  const state = newState(plan);
  const hours = state.hourlySent[0]?.length ?? Math.ceil(plan.slotCount / SLOTS_PER_HOUR);
  const { start } = plan.epochs;
  for (state.slot = 0; state.slot < plan.slotCount; state.slot++) {
    while (state.epoch + 1 < start.length && start[state.epoch + 1]! <= state.slot) state.epoch++;
    expire(state);
    startDeliveries(state);
    releaseRetries(state);
    abandon(state);
    const busy = prepareAndSend(state);
    if ((state.slot + 1) % SLOTS_PER_HOUR === 0) record(state, Math.floor(state.slot / SLOTS_PER_HOUR));
    if (!busy && !skipIdle(state)) break;
  }
  record(state, hours - 1);
  return outcome(state, hours);
}

/** Validity reached: whatever is unsent expires. */
function expire(state: TimelineState): void {
  const { streams } = state;
  for (let j = state.running.length - 1; j >= 0; j--) {
    const d = state.running[j]!;
    if (d.endSlot > state.slot) continue;
    for (const s of d.streams) {
      const lane = state.laneOf[s]!;
      if (lane >= 0) {
        state.laneEligible[lane] = Math.max(0, state.laneEligible[lane]! - streams.fresh[s]! - streams.retryReady[s]!);
        state.laneQueued[lane] = Math.max(0, state.laneQueued[lane]! - streams.queued[s]!);
        state.laneLeaving[lane] = Math.max(0, state.laneLeaving[lane]! - streams.leaving[s]!);
      }
      streams.fresh[s] = streams.retryReady[s] = streams.abandoned[s] = streams.queued[s] = streams.leaving[s] = 0;
      state.leavingAt.fill(0, s * state.ringSize, (s + 1) * state.ringSize);
    }
    state.running.splice(j, 1);
  }
}

function startDeliveries(state: TimelineState): void {
  while (state.nextStart < state.byStart.length && state.byStart[state.nextStart]!.startSlot <= state.slot) {
    const d = state.byStart[state.nextStart++]!;
    if (d.endSlot <= state.slot) continue;
    state.running.push(d);
    state.nextRelease[d.index] = releaseSlotAfter(state, d);
  }
  for (const d of state.running) releaseWaves(state, d);
}

/** The delivery's waves that start by this slot put their share of every domain up for preparation. */
function releaseWaves(state: TimelineState, d: DeliveryPlan): void {
  const { plan } = state;
  while (state.nextWave[d.index]! < d.releases.length && d.releases[state.nextWave[d.index]!]!.slot <= state.slot) {
    const { fraction } = d.releases[state.nextWave[d.index]!]!;
    state.nextWave[d.index] = state.nextWave[d.index]! + 1;
    // A stream without lane (Pending delivery, no usable IP) is never prepared: it expires.
    for (const s of d.streams) {
      const lane = plan.streams[s]!.lane;
      if (lane < 0) continue;
      const amount = plan.streams[s]!.recipients * fraction;
      state.streams.fresh[s] = state.streams.fresh[s]! + amount;
      state.laneEligible[lane] = state.laneEligible[lane]! + amount;
      markLive(state, lane);
    }
  }
}

function markLive(state: TimelineState, lane: number): void {
  if (state.isLive[lane]) return;
  state.isLive[lane] = 1;
  state.live.push(lane);
}

function releaseSlotAfter(state: TimelineState, d: DeliveryPlan): number {
  const { t0, options } = state.plan;
  const at = nextRetryTime(d.delivery, t0 + state.slot * SLOT_MS, options.retrySchedule);
  if (at === null) return Infinity;
  const slot = Math.ceil((at - t0) / SLOT_MS);
  return slot < d.endSlot ? slot : Infinity;
}

/** A retry time: the delivery's abandoned messages may be prepared again. */
function releaseRetries(state: TimelineState): void {
  const { streams } = state;
  for (const d of state.running) {
    if (state.nextRelease[d.index]! > state.slot) continue;
    for (const s of d.streams) {
      if (streams.abandoned[s]! <= 0) continue;
      const lane = state.laneOf[s]!;
      streams.retryReady[s] = streams.retryReady[s]! + streams.abandoned[s]!;
      state.laneEligible[lane] = state.laneEligible[lane]! + streams.abandoned[s]!;
      streams.abandoned[s] = 0;
      markLive(state, lane);
    }
    state.nextRelease[d.index] = releaseSlotAfter(state, d);
  }
}

/** Messages that have held their place for maxAgeSec leave the working set, abandoned. */
function abandon(state: TimelineState): void {
  if (state.leavingAt.length === 0) return;
  const { streams, ringSize } = state;
  const at = state.slot % ringSize;
  for (const d of state.running) {
    for (const s of d.streams) {
      const k = s * ringSize + at;
      const out = state.leavingAt[k]!;
      if (out <= 0) continue;
      state.leavingAt[k] = 0;
      streams.leaving[s] = Math.max(0, streams.leaving[s]! - out);
      streams.abandoned[s] = streams.abandoned[s]! + out;
      const lane = state.laneOf[s]!;
      state.laneLeaving[lane] = Math.max(0, state.laneLeaving[lane]! - out);
    }
  }
}

/**
 * A message that cannot be sent within maxAgeSec keeps its place until then. Entering at this
 * slot's start, it leaves maxAgeSec later; a time between two slot starts is split between them in
 * proportion, so the freed places (and the results) move continuously with maxAgeSec.
 */
function scheduleLeaving(state: TimelineState, stream: number, amount: number): void {
  const slots = state.plan.maxAgeSec / SLOT_SECONDS;
  const whole = Math.max(1, Math.floor(slots));
  const part = slots < 1 ? 0 : slots - whole;
  const ring = state.leavingAt;
  const first = stream * state.ringSize + ((state.slot + whole) % state.ringSize);
  ring[first] = ring[first]! + amount * (1 - part);
  if (part > 0) {
    const second = stream * state.ringSize + ((state.slot + whole + 1) % state.ringSize);
    ring[second] = ring[second]! + amount * part;
  }
  state.streams.leaving[stream] = state.streams.leaving[stream]! + amount;
  const lane = state.laneOf[stream]!;
  state.laneLeaving[lane] = state.laneLeaving[lane]! + amount;
}

/** Phase 5 for every working set; returns whether anything is still to send or in the working set. */
function prepareAndSend(state: TimelineState): boolean {
  const { plan } = state;
  const totals = collectLanes(state);
  if (plan.options.workingSet === "by-domain") {
    const one = [0];
    for (const lane of state.active) {
      one[0] = lane;
      const room = plan.epochs.room[state.epoch * plan.lanes.length + lane]!;
      fillAndSend(state, one, room, state.held[lane]!, state.eligible[lane]!);
    }
  } else if (state.active.length > 0) {
    fillAndSend(state, state.active, plan.workingSet, totals.held, totals.eligible);
  }
  return isBusy(state);
}

/** Reused by collectLanes (one slot at a time). */
const laneTotals = { held: 0, eligible: 0 };

/**
 * Lanes with something to prepare or to send this slot, with their totals filled in; returns the sums
 * of held and eligible over them, in lane order.
 */
function collectLanes(state: TimelineState): typeof laneTotals {
  const { plan, demand, live, laneEligible, laneQueued, laneLeaving, eligible: eligibleOf, held: heldOf, active } = state;
  const capacityOf = plan.epochs.capacity;
  active.length = 0;
  const capacityBase = state.epoch * plan.lanes.length;
  let stillLive = 0;
  let heldSum = 0;
  let eligibleSum = 0;
  for (let k = 0; k < live.length; k++) {
    const l = live[k]!;
    let eligible = laneEligible[l]!;
    let queued = laneQueued[l]!;
    let leaving = laneLeaving[l]!;
    if (eligible <= EPS && queued <= EPS && leaving <= EPS) {
      // The running sums may hide float dust: recount from the streams before dropping the lane.
      recount(state, l);
      eligible = laneEligible[l]!;
      queued = laneQueued[l]!;
      leaving = laneLeaving[l]!;
      if (eligible <= EPS && queued <= EPS && leaving <= EPS) {
        // Nothing left but messages waiting for a retry, which marks the lane live again.
        state.isLive[l] = 0;
        continue;
      }
    }
    live[stillLive++] = l;
    eligibleOf[l] = eligible;
    const held = queued + leaving;
    heldOf[l] = held;
    heldSum += held;
    eligibleSum += eligible;
    demand.queued[l] = queued;
    // A refused lane frees every place it is given within the slot: as if its quota were all it receives.
    demand.capacity[l] = state.laneRefused[l] ? queued + eligible : capacityOf[capacityBase + l]!;
    active.push(l);
  }
  live.length = stillLive;
  laneTotals.held = heldSum;
  laneTotals.eligible = eligibleSum;
  return laneTotals;
}

/** The lane's sums recomputed from its streams (stored in laneEligible, laneQueued, laneLeaving). */
function recount(state: TimelineState, l: number): void {
  const { streams } = state;
  let eligible = 0;
  let queued = 0;
  let leaving = 0;
  const end = state.laneFirst[l + 1]!;
  for (let k = state.laneFirst[l]!; k < end; k++) {
    const s = state.laneMembers[k]!;
    eligible += streams.fresh[s]! + streams.retryReady[s]!;
    queued += streams.queued[s]!;
    leaving += streams.leaving[s]!;
  }
  state.laneEligible[l] = eligible;
  state.laneQueued[l] = queued;
  state.laneLeaving[l] = leaving;
}

/**
 * One working set of `room` places shared by `lanes`, of which `used` are held and with `eligible`
 * messages to prepare: prepare in delivery order, then send.
 */
function fillAndSend(state: TimelineState, lanes: readonly number[], room: number, used: number, eligible: number): void {
  let prepared = 0;
  if (eligible > EPS) {
    const { mix } = state.demand;
    const eligibleOf = state.eligible;
    for (let k = 0; k < lanes.length; k++) {
      const l = lanes[k]!;
      mix[l] = eligibleOf[l]! / eligible;
    }
    prepared = preparedThisSlot(lanes, state.demand, room - used, eligible);
  }
  const perEligible = eligible > 0 ? prepared / eligible : 0;
  for (let k = 0; k < lanes.length; k++) sendLane(state, lanes[k]!, perEligible);
}

/**
 * One lane in one slot: it receives `perEligible` × each stream's eligible messages, keeps in its
 * queue what can be sent within maxAgeSec, and sends its quota from the queue, each stream in
 * proportion to what it has queued (oldest first within the stream). A prepared message that cannot
 * be sent within maxAgeSec is scheduled to leave (it will be abandoned).
 */
function sendLane(state: TimelineState, lane: number, perEligible: number): void {
  if (state.laneRefused[lane]) {
    refuseLane(state, lane, perEligible);
    return;
  }
  const { streams, laneMembers } = state;
  const { fresh, retryReady, queued: queuedOf, sent, completedAt } = streams;
  const capacity = state.demand.capacity[lane]!;
  const queued = state.demand.queued[lane]!;
  const arriving = state.eligible[lane]! * perEligible;
  // Within maxAgeSec a FIFO drained at capacity per 300 s sends capacity × maxAgeSec / 300.
  const inTime = state.paced ? Infinity : (capacity * state.plan.maxAgeSec) / SLOT_SECONDS;
  const sendable = Math.min(capacity, queued + arriving);
  const kept = arriving > 0 ? Math.min(arriving, Math.max(0, inTime + sendable - queued)) / arriving : 1;
  const waiting = queued + arriving * kept;
  const sending = Math.min(sendable, waiting);
  const share = waiting > 0 ? sending / waiting : 0;
  const fraction = capacity > 0 ? sending / capacity : 1;
  // The lane's running sums, written back once (nothing else reads them during the loop).
  let laneEligible = state.laneEligible[lane]!;
  let laneQueued = state.laneQueued[lane]!;
  let sentHere = 0;
  const end = state.laneFirst[lane + 1]!;
  for (let k = state.laneFirst[lane]!; k < end; k++) {
    const s = laneMembers[k]!;
    const take = (fresh[s]! + retryReady[s]!) * perEligible;
    if (take > 0) {
      // `take` messages are prepared: the `kept` part joins the queue, the rest will be abandoned.
      const fromFresh = Math.min(fresh[s]!, take);
      fresh[s] = fresh[s]! - fromFresh;
      retryReady[s] = Math.max(0, retryReady[s]! - (take - fromFresh));
      laneEligible = Math.max(0, laneEligible - take);
      laneQueued = laneQueued + take * kept;
      const late = take * (1 - kept);
      if (late > 0) {
        scheduleLeaving(state, s, late);
        streams.deferred[s] = streams.deferred[s]! + late * (fromFresh / take);
        streams.abandonments[s] = streams.abandonments[s]! + late;
      }
      queuedOf[s] = queuedOf[s]! + take * kept;
    }
    const out = queuedOf[s]! * share;
    if (out > 0) {
      queuedOf[s] = Math.max(0, queuedOf[s]! - out);
      laneQueued = Math.max(0, laneQueued - out);
      sentHere += out;
      const before = sent[s]!;
      sent[s] = before + out;
      if (completedAt[s]! < 0) noteCompletion(state, s, before, out, fraction);
    }
  }
  state.laneEligible[lane] = laneEligible;
  state.laneQueued[lane] = laneQueued;
  if (sentHere > 0) {
    const series = state.hourlySent[state.laneSite[lane]!]!;
    const hour = Math.floor(state.slot / SLOTS_PER_HOUR);
    series[hour] = series[hour]! + sentHere;
  }
}

/**
 * A lane whose paths are all plaintext to a provider that requires TLS (Gmail: 421 4.7.29): each
 * message prepared this slot is refused in its SMTP session, leaves the working set at once and waits
 * for the delivery's next retry (abandoned, as a quota deferral would be after maxAgeSec).
 */
function refuseLane(state: TimelineState, lane: number, perEligible: number): void {
  const { streams, laneMembers } = state;
  const { fresh, retryReady, abandoned } = streams;
  let laneEligible = state.laneEligible[lane]!;
  const end = state.laneFirst[lane + 1]!;
  for (let k = state.laneFirst[lane]!; k < end; k++) {
    const s = laneMembers[k]!;
    const take = (fresh[s]! + retryReady[s]!) * perEligible;
    if (!(take > 0)) continue;
    const fromFresh = Math.min(fresh[s]!, take);
    fresh[s] = fresh[s]! - fromFresh;
    retryReady[s] = Math.max(0, retryReady[s]! - (take - fromFresh));
    laneEligible = Math.max(0, laneEligible - take);
    abandoned[s] = abandoned[s]! + take;
    streams.deferred[s] = streams.deferred[s]! + take * (fromFresh / take);
    streams.abandonments[s] = streams.abandonments[s]! + take;
  }
  state.laneEligible[lane] = laneEligible;
}

/**
 * A stream that had sent `before` has just sent `out` more: the completion time once all but half a
 * message is sent; `busy` is the part of the slot the lane spends sending.
 */
function noteCompletion(state: TimelineState, s: number, before: number, out: number, busy: number): void {
  const { streams, plan } = state;
  const target = plan.streams[s]!.recipients - 0.5;
  if (streams.sent[s]! < target - 1e-6 || snap(streams.sent[s]!) < target) return;
  // Interpolated within the slot: the stream's part of the lane's sends, at the lane's rate.
  const fraction = ((target - snap(before)) / out) * busy;
  streams.completedAt[s] = plan.t0 + state.slot * SLOT_MS + SLOT_MS * Math.min(1, Math.max(0, fraction));
}

function isBusy(state: TimelineState): boolean {
  const { streams } = state;
  for (const d of state.running) {
    for (const s of d.streams) {
      if (streams.fresh[s]! > EPS || streams.retryReady[s]! > EPS || streams.queued[s]! > EPS || streams.leaving[s]! > EPS) return true;
    }
  }
  return false;
}

/** Nothing to send: jump to the next start, retry or validity end. Returns false when none comes. */
function skipIdle(state: TimelineState): boolean {
  const { streams } = state;
  let next = state.nextStart < state.byStart.length ? Math.max(state.slot + 1, state.byStart[state.nextStart]!.startSlot) : Infinity;
  for (const d of state.running) {
    const wave = d.releases[state.nextWave[d.index]!];
    if (wave) next = Math.min(next, Math.max(state.slot + 1, wave.slot));
    if (!d.streams.some((s) => streams.abandoned[s]! > EPS)) continue;
    next = Math.min(next, state.nextRelease[d.index]!, d.endSlot);
  }
  if (next === Infinity) return false;
  if (next > state.slot + 1) {
    record(state, Math.floor(next / SLOTS_PER_HOUR) - 1);
    state.slot = next - 1;
  }
  return true;
}

/** The unsent backlog per site at the end of each hour up to `toHour` (nothing changes in between). */
function record(state: TimelineState, toHour: number): void {
  const { streams } = state;
  const hours = state.hourlyQueued[0]?.length ?? 0;
  const last = Math.min(toHour, hours - 1);
  if (last <= state.recordedThrough) return;
  for (const site of state.plan.sites) {
    let backlog = 0;
    for (const s of site.streams)
      backlog += streams.fresh[s]! + streams.retryReady[s]! + streams.abandoned[s]! + streams.queued[s]! + streams.leaving[s]!;
    const value = Math.max(0, Math.round(backlog));
    state.hourlyQueued[site.index]!.fill(value, state.recordedThrough + 1, last + 1);
  }
  state.recordedThrough = last;
}

function outcome(state: TimelineState, hours: number): Timeline {
  const { streams } = state;
  return {
    streams: state.plan.streams.map((st, s): StreamOutcome => {
      const total = st.lane < 0 ? 0 : Math.min(st.recipients, Math.round(snap(streams.sent[s]!)));
      return {
        sent: total,
        deferred: Math.min(st.recipients, Math.round(snap(streams.deferred[s]!))),
        expired: st.recipients - total,
        abandonments: Math.round(snap(streams.abandonments[s]!)),
        completedAt: streams.completedAt[s]! >= 0 ? streams.completedAt[s]! : null,
      };
    }),
    sites: state.hourlySent.map((series, k) => {
      // Whole messages per hour whose running sum stays the rounded running total (a chart of
      // messages sent so far ends at the site's total, not a few messages off).
      const hourlySent = new Array<number>(series.length);
      let sum = 0;
      let shown = 0;
      for (let h = 0; h < series.length; h++) {
        sum += series[h]!;
        const next = Math.round(sum);
        hourlySent[h] = next - shown;
        shown = next;
      }
      return { hourlySent, hourlyQueued: state.hourlyQueued[k]! };
    }),
    hours,
  };
}
