/**
 * The readings this run relied on, printed in every report (the assumptions part of docs/model.md).
 */
import type { InstanceModel } from "../model/config.js";
import type { Plan } from "./plan.js";
import { num } from "./findings/make.js";
import { UNKNOWN_SITE_TIMING } from "./sites.js";

export function modeAssumptions(mode: "relay" | "enhanced-mta"): string[] {
  return [
    mode === "relay"
      ? "A relay is configured: throughput is the relay's, which mx-guard does not model, so sent, deferred, expired, completionHours and pacedHours are null (unknown) and no deadline is judged."
      : "The Enhanced MTA is used: the MX rules do not apply and mx-guard does not model its throughput, so sent, deferred, expired, completionHours and pacedHours are null (unknown) and no deadline is judged.",
  ];
}

/** Which buckets this run found contested, by whom (plan.sites[].sharedWith). */
function sharingAssumptions(model: InstanceModel, plan: Plan): string[] {
  const out: string[] = [];
  const sites = plan.sites.filter((site) => site.sharedWith.sites.length > 0).map((site) => site.info.key);
  if (sites.length > 0) out.push(`Sites sharing a shared rule's buckets (model.sharedScope: rule): ${sites.join(", ")}.`);
  const instances = [...new Set(plan.sites.flatMap((site) => site.sharedWith.instances))].sort();
  if (model.paths.statServer !== undefined)
    out.push(
      instances.length > 0
        ? `statServer: ${model.paths.statServer}: this instance shares its statistics server with ${instances.join(", ")}, so a publicId's bucket that they use too (the same rule mask, and for an unshared rule or sharedScope site the same site) is divided between the instances by planned volume while their deliveries run, and so are the connections of the paths they both use.`
        : `statServer: ${model.paths.statServer}: no other instance on this statistics server uses the same buckets.`,
    );
  return out;
}

export function simulationAssumptions(model: InstanceModel, plan: Plan): string[] {
  const mta = model.serverConf.mta;
  const out = [
    "Shared rule = one quota bucket per local publicId; unshared = one bucket per path (publicId × remote IP), following Adobe's table (2 × 7 IPs at 10,000/h: 20,000 shared, 140,000 unshared).",
    "Messages per hour are smoothed over 12 five-minute slots: floor(messagesPerHour / 12) per slot, with no carry-over of unused allowance.",
    'A publicId\'s 5-minute capacity is the smaller of that share and its connections × (M / (connect + TLS handshake + M × seconds per message)) × 300 s, with M = maxMessagesPerConnection and timings from the provider catalog (assumed timings). Connections are counted per path, maxConnections × remote IPs, for shared and unshared rules alike (Adobe: "the maximum number of connections refers to a path").',
    "Every connection attempt costs a messages-per-hour credit, so a provider's acceptance rate scales the delivered capacity.",
    plan.options.spillOver
      ? "model.spillOver: true: when a publicId's quota is used up, its traffic goes to the delivery's other publicIds (capacity = the sum over publicIds; an upper bound). IPs with weight=\"0\" are never used."
      : "model.spillOver: false: each publicId carries its weight's share of a domain's traffic (Adobe: weights 5/5/1 → 45/45/10 %; 83/17 % when one IP may not send to the domain), so the domain goes at the pace of the publicId that runs out first (capacity ÷ share). IPs with weight=\"0\" are never used.",
    plan.options.workingSet === "shared"
      ? `model.workingSet: shared: the working set holds maxSpareServers × maxWaitingMessages = ${num(plan.workingSet)} messages, shared by every domain. The MTA refills it as places free up, in delivery order (the domain mix of what remains to prepare), so a throttled domain's messages hold places that other domains of the delivery then wait for (head-of-line blocking).`
      : `model.workingSet: by-domain: the working set of maxSpareServers × maxWaitingMessages = ${num(plan.workingSet)} messages is split between the domains of the running deliveries by planned volume (the reading where messages are prepared sorted by domain), so one domain cannot take another's places.`,
    `Concurrent SMTP sessions are capped at maxSpareServers × maxSessionsPerChild = ${num(plan.sessions)}, shared between sites by planned volume; a site sends at most its sessions × the messages one session carries in 300 s (limited by "mta" when this binds).`,
    plan.options.quotaMet === "abandon"
      ? `model.quotaMet: abandon: each 5-minute period a site sends its quota, oldest messages first, spread evenly over the period, so a message prepared behind n others waits n ÷ (quota per second). What cannot be sent within maxAgeSec = ${num(mta.maxAgeSec.value)} s (the first quota × maxAgeSec ÷ 300 s of those waiting) keeps its place for maxAgeSec and is then abandoned, "processed at the next retry" (Adobe's maxAgeSec text). A domain's fresh messages are prepared before its retried ones.`
      : `model.quotaMet: pace: each 5-minute period a site sends its quota, oldest messages first; a message waits in the working set until the quota lets it go (maxAgeSec = ${num(mta.maxAgeSec.value)} s is not applied).`,
    plan.options.retrySchedule === "hourly-from-start"
      ? "model.retrySchedule: hourly-from-start: retries at start + k × retryPeriod for k = 1..retries, then once a day until the validity ends; unsent messages expire at the validity."
      : 'model.retrySchedule: spread-over-first-day: the first-day retries every max(retryPeriod, 24 h ÷ retries) (Adobe: "spread out over the 24 hours of the day"), then once a day until the validity ends; unsent messages expire at the validity.',
    "pacedHours (beside completionHours) is the paced bound: the volume ÷ the domain's quota per hour, a time no reading of the documentation beats; completionHours is the modelled outcome with abandonment and retries.",
    "Counts are computed in fractions of a message and rounded for the report: sent is rounded, expired = recipients − sent, deferred counts the distinct messages abandoned at least once, and a domain is complete when all but half a message is sent.",
    plan.options.sharedScope === "rule"
      ? 'model.sharedScope: rule: a shared rule that several sites match is one quota bucket per rule × publicId for all of them (Adobe: its limits "apply to all MXs linked to this rule"), divided between the sites by their planned volume while their deliveries run; connections stay per path.'
      : "model.sharedScope: site: each site has its own quota buckets, even when several sites match the same shared rule.",
    ...sharingAssumptions(model, plan),
  ];
  out.push(
    "The MX rule is chosen on each recipient domain's first MX host (the catalog's domainMx entry, else the provider's mx list); domains that share MX hosts form one site with one quota.",
  );
  if (plan.sites.some((site) => site.info.ownMx))
    out.push(
      "A group of a provider's domains on MX hosts of their own (e.g. Yahoo's European domains) counts one remote IP per MX host: an estimate.",
    );
  if ((model.paths.mtaHosts ?? 1) > 1)
    out.push(
      `mtaHosts: ${model.paths.mtaHosts} MTA hosts run this configuration: ${model.paths.mtaHosts} × maxSpareServers mtachild processes, so the working set and the sessions above count every host, and the quotas are shared through the one statistics server.`,
    );
  if (plan.deliveries.some((d) => d.releases.length > 1))
    out.push(
      'Waves ("send using multiple waves"): each wave releases its share of every domain\'s recipients at its start; recipients beyond the listed waves go with the last one; a wave starting after the validity never sends.',
    );
  if (plan.sites.some((site) => site.lanes.length > 1))
    out.push(
      "Deliveries whose IP affinities share no publicId at a site queue there separately, each with the capacity of its own publicIds; deliveries sharing a publicId pool the capacity of all their publicIds at that site.",
    );
  const sites = plan.sites.map((s) => s.info);
  if (sites.some((s) => !s.isOther && s.provider === null))
    out.push(
      `A domain not in the provider catalog is its own site: MX host = the domain, 1 remote IP, no TLS requirement, acceptance 1, connect ${UNKNOWN_SITE_TIMING.connectSeconds} s, TLS handshake ${UNKNOWN_SITE_TIMING.tlsHandshakeSeconds} s, ${UNKNOWN_SITE_TIMING.secondsPerMessage} s per message.`,
    );
  if (sites.some((s) => s.isOther))
    out.push(
      'The "other" bucket stands for many small domains, each its own site: it is limited only by its share of the MTA sessions (one message per connection), not by any single rule, and uses only IPs without includeDomains.',
    );
  if (plan.noRule.length > 0)
    out.push("A path that matches no MX rule is limited only by its site's share of the MTA sessions, one message per connection.");
  if (!mta.statServerTLSSupport.value)
    out.push('statServerTLSSupport="false": every rule\'s TLS setting is ignored and behaves as "default" (enableTLS decides).');
  out.push(
    'TLS "default" follows enableTLS: false → plaintext, true → opportunistic (STARTTLS when offered, assumed offered by catalog providers).',
  );
  if (plan.deliveries.some((d) => d.delivery.affinity === null))
    out.push('A delivery without affinity uses the affinity named "default", or every IP when none is named so.');
  out.push("Completion time = the moment the last message is sent, interpolated within its 5-minute slot at the site's rate.");
  return out;
}
