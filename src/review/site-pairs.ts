/**
 * What the base-vs-head findings about sites share (quota-raise, rule-change): each instance
 * simulated on both sides, its sites paired by key, and the MX rule behind each publicId's path.
 */
import type { InstanceModel, MxRule } from "../model/config.js";
import { groupDigits } from "../model/format.js";
import type { InstanceResult, PathCapacity, SiteResult } from "../model/results.js";
import type { SideResult } from "../model/review.js";
import { rangeLabel, SLOTS_PER_HOUR, UNLIMITED } from "../simulate/index.js";

export interface InstancePair {
  name: string;
  base: { result: InstanceResult; model: InstanceModel };
  head: { result: InstanceResult; model: InstanceModel };
}

/** Instances that parsed and were simulated with MX rules on both sides. */
export function instancePairs(base: SideResult, head: SideResult): InstancePair[] {
  const out: InstancePair[] = [];
  for (const headResult of head.report.instances) {
    const baseResult = base.report.instances.find((instance) => instance.name === headResult.name);
    const headModel = head.models.find((model) => model.name === headResult.name);
    const baseModel = base.models.find((model) => model.name === headResult.name);
    if (!baseResult || !headModel || !baseModel) continue;
    if (baseResult.mode !== "mx-rules" || headResult.mode !== "mx-rules") continue;
    out.push({ name: headResult.name, base: { result: baseResult, model: baseModel }, head: { result: headResult, model: headModel } });
  }
  return out;
}

/** Head sites with their base counterpart (same site key), in head order. */
export function sitePairs(pair: InstancePair): { base: SiteResult; head: SiteResult }[] {
  const out: { base: SiteResult; head: SiteResult }[] = [];
  for (const head of pair.head.result.sites) {
    const base = pair.base.result.sites.find((candidate) => candidate.site === head.site);
    if (base) out.push({ base, head });
  }
  return out;
}

/** The model's rule behind a path (by index, checked against the mask). */
export function pathRule(model: InstanceModel, path: PathCapacity): MxRule | undefined {
  if (!path.rule) return undefined;
  const byIndex = model.mxRules.rules[path.rule.index];
  return byIndex && byIndex.mask === path.rule.mask ? byIndex : model.mxRules.rules.find((rule) => rule.mask === path.rule!.mask);
}

/** A rule's identity across edits and moves: its mask and range (what decides where it applies). */
export function ruleIdentity(rule: MxRule): string {
  return `${rule.mask.toLowerCase()}\u0000${rule.range === null ? "" : `${rule.range.from}-${rule.range.to}`}`;
}

/** `rule "*.yahoodns.net" (campaign/mx-rules.yaml:20)`, with its range when it has one. */
export function ruleName(rule: MxRule): string {
  const range = rule.range === null ? "" : ` for ${rangeLabel(rule.range)}`;
  return `rule "${rule.mask}"${range} (${rule.span.file}:${rule.span.line})`;
}

/**
 * Messages per hour the rules let through on a path, before the MTA's session ceiling (which
 * depends on the rest of the traffic, not on the rule): the smaller of the hourly quota and what
 * the connections carry. A path blocked by TLS carries nothing.
 */
export function pathHourly(path: PathCapacity): number {
  if (path.limitedBy === "tls") return 0;
  return Math.min(path.hourly, path.perSlotConnections * SLOTS_PER_HOUR, UNLIMITED);
}

/** Σ pathHourly over the site's publicIds. */
export function siteRuleHourly(site: SiteResult): number {
  return Math.min(
    UNLIMITED,
    (site.paths ?? []).reduce((sum, path) => sum + pathHourly(path), 0),
  );
}

/** "20,000", or "unlimited" for the stand-in of no finite limit. */
export function hourlyText(n: number): string {
  return n >= UNLIMITED ? "unlimited" : groupDigits(Math.round(n));
}

/** "Site yahoo (yahoo.com, ymail.com) in instance prod". */
export function siteLabel(instance: string, site: SiteResult): string {
  const domains = site.domains.length > 0 ? ` (${site.domains.join(", ")})` : "";
  return `Site ${site.site}${domains} in instance ${instance}`;
}
