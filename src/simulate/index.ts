/**
 * The simulation engine: what the legacy MTA does with the planned traffic, given the MX rules,
 * IP affinities and TLS settings (docs/model.md). Pure and deterministic; never throws on a valid model.
 */
import type { BucketLoad, InstanceModel } from "../model/config.js";
import type { Finding } from "../model/findings.js";
import type { DeliveryResult, InstanceResult, SimulationMode } from "../model/results.js";
import { modeAssumptions, simulationAssumptions } from "./assumptions.js";
import { FINDING_IDS, FINDINGS, type DetectorName } from "../model/catalogue.js";
import type { FindingContext } from "./findings/context.js";
import { DETECTORS } from "./findings/index.js";
import { modeFindings } from "./findings/modes.js";
import { buildPlan } from "./plan.js";
import { deliveryResults, domainResults, siteResults, siteTotals, worstSite } from "./results.js";
import { OTHER, siteResolver } from "./sites.js";
import { runTimeline } from "./timeline.js";

export { compileMask, isCatchAll, maskCovers, normalizeHost, wildcardMatch } from "./mask.js";
export { ipAllowsDomain, ipShares, resolveAffinity, type IpShare } from "./affinity.js";
export { connectionRate, pathCapacity, SLOT_SECONDS, SLOTS_PER_HOUR, UNLIMITED, type PathNumbers } from "./capacity.js";
export { effectiveTls } from "./tls.js";
export { nextRetryTime } from "./retry.js";
export { ruleLookup, rangeContains, rangeLabel } from "./rules.js";
export { rangesCover, shadowingRules } from "./findings/rules.js";
export { buildPlan, type Plan } from "./plan.js";
export { runTimeline } from "./timeline.js";

/** The detectors the finding catalogue names, each once, in catalogue order (the catalogue is fixed: listed once). */
const CATALOGUE_DETECTORS: readonly DetectorName[] = (() => {
  const names = new Set<DetectorName>();
  for (const id of FINDING_IDS) {
    const source = FINDINGS[id].source;
    if (typeof source === "object") names.add(source.detector);
  }
  return [...names];
})();

export function simulationMode(model: InstanceModel): SimulationMode {
  const mta = model.serverConf.mta;
  if (mta.useMomentum.value) return "enhanced-mta";
  if (mta.relayAddress.value !== null && mta.relayAddress.value.trim() !== "") return "relay";
  return "mx-rules";
}

function compareFindings(a: Finding, b: Finding): number {
  const key = (f: Finding) => [f.file, String(f.line).padStart(9, "0"), f.id, f.fingerprint].join("\u0000");
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Relay / Enhanced MTA: the MX rules do not apply and nothing here models the relay's or the
 * Enhanced MTA's throughput, so every count and hour is null (unknown) and no deadline is judged.
 */
function unsimulated(model: InstanceModel, mode: "relay" | "enhanced-mta"): InstanceResult {
  const resolve = siteResolver(model.providers);
  const deliveries: DeliveryResult[] = model.traffic.deliveries.map((d) => {
    const named = d.domains.map((v) => ({ domain: v.domain, site: resolve(v.domain).key, recipients: v.recipients }));
    const all = d.otherRecipients > 0 ? [...named, { domain: OTHER, site: OTHER, recipients: d.otherRecipients }] : named;
    const unknown = { sent: null, deferred: null, expired: null, refusedTls: null, completionHours: null, pacedHours: null };
    return {
      name: d.name,
      recipients: all.reduce((sum, v) => sum + v.recipients, 0),
      ...unknown,
      domains: all.map((v) => ({ ...v, ...unknown })),
      deadlineHours: d.deadlineSec === null ? null : Math.round((d.deadlineSec / 3600) * 100) / 100,
    };
  });
  return { name: model.name, mode, simulated: false, sites: [], deliveries, assumptions: modeAssumptions(mode) };
}

/**
 * What this instance's deliveries put on each quota bucket, for the other instances on its statistics
 * server (InstanceModel.foreignLoads). Relay and Enhanced MTA instances do not use the MX rules: none.
 */
export function bucketLoads(model: InstanceModel): BucketLoad[] {
  if (simulationMode(model) !== "mx-rules") return [];
  const plan = buildPlan({ ...model, foreignLoads: [] });
  const loads: BucketLoad[] = [];
  for (const st of plan.streams) {
    if (st.lane < 0) continue;
    const d = plan.deliveries[st.delivery]!.delivery;
    const site = plan.sites[st.site]!;
    st.publicIds.forEach((id, k) => {
      const path = site.paths.find((p) => p.publicId === id);
      if (!path?.keys.quota) return;
      const volume = st.recipients * (st.shares[k] ?? 0);
      const toMs = d.start + Math.max(0, d.validitySec) * 1000;
      loads.push({ instance: model.name, quota: path.keys.quota, connections: path.keys.connections, fromMs: d.start, toMs, volume });
    });
  }
  return loads;
}

export function simulateInstance(model: InstanceModel): { result: InstanceResult; findings: Finding[] } {
  const mode = simulationMode(model);
  if (mode !== "mx-rules") {
    return { result: unsimulated(model, mode), findings: modeFindings({ model }, mode) };
  }
  const plan = buildPlan(model);
  const timeline = runTimeline(plan);
  const domains = domainResults(plan, timeline);
  const deliveries = deliveryResults(plan, domains);
  const totals = siteTotals(plan, domains);
  const worst = worstSite(plan, totals);
  const result: InstanceResult = {
    name: model.name,
    mode,
    simulated: true,
    sites: siteResults(plan, timeline, model.mxRules.file, worst, model.mxRules.rules),
    deliveries,
    assumptions: simulationAssumptions(model, plan),
  };
  const completionMs = plan.streams.map((st, s) => {
    const out = timeline.streams[s]!;
    if (out.expired > 0) return null;
    return out.completedAt === null ? 0 : Math.max(0, out.completedAt - plan.deliveries[st.delivery]!.delivery.start);
  });
  const ctx: FindingContext = { model, plan, domains, deliveries, totals, completionMs };
  const findings = CATALOGUE_DETECTORS.flatMap((name) => DETECTORS[name](ctx)).sort(compareFindings);
  return { result, findings };
}
