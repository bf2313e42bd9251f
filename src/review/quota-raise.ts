/**
 * `quota-raise`: the head lets the MTA send to a site faster than the base by more than the policy's
 * maxRaise — through a changed number, a reordered rule, a wider mask, a new publicId or a changed
 * `shared`. MX rules exist to keep volume per provider below what gets an IP throttled or blocklisted
 * (docs/contract.md), so a lowered quota and a raised one are both dangers.
 */
import type { InstanceModel, MxRule, Policy } from "../model/config.js";
import { defaultSeverity, type Finding } from "../model/findings.js";
import { fingerprint } from "../model/fingerprint.js";
import { groupDigits } from "../model/format.js";
import type { SiteResult } from "../model/results.js";
import type { SideResult } from "../model/review.js";
import {
  hourlyText,
  instancePairs,
  pathHourly,
  pathRule,
  ruleIdentity,
  ruleName,
  siteLabel,
  siteRuleHourly,
  sitePairs,
} from "./site-pairs.js";

/** What changed on one publicId's path between base and head, in words. */
function pathReasons(baseModel: InstanceModel, headModel: InstanceModel, base: SiteResult, head: SiteResult): string[] {
  const reasons: string[] = [];
  const added = head.publicIds.filter((id) => !base.publicIds.includes(id));
  if (added.length > 0) reasons.push(`publicId ${added.join(", ")} now also sends to this site`);
  for (const path of head.paths ?? []) {
    const before = base.paths?.find((candidate) => candidate.publicId === path.publicId);
    if (!before || pathHourly(path) <= pathHourly(before)) continue;
    const rule = pathRule(headModel, path);
    const old = pathRule(baseModel, before);
    if (!rule || !old) continue;
    if (ruleIdentity(rule) !== ruleIdentity(old)) {
      reasons.push(`${ruleName(rule)} now applies instead of ${ruleName(old)}`);
      continue;
    }
    const edits = valueEdits(old, rule);
    if (edits.length > 0) reasons.push(`${ruleName(rule)}: ${edits.join(", ")}`);
  }
  return [...new Set(reasons)];
}

function valueEdits(old: MxRule, rule: MxRule): string[] {
  const edits: string[] = [];
  const number = (key: "messagesPerHour" | "maxConnections" | "maxMessagesPerConnection") => {
    if (old[key] !== rule[key]) edits.push(`${key} ${groupDigits(old[key])} → ${groupDigits(rule[key])}`);
  };
  number("messagesPerHour");
  number("maxConnections");
  number("maxMessagesPerConnection");
  if (old.shared !== rule.shared)
    edits.push(`shared ${String(old.shared)} → ${String(rule.shared)} (one quota per remote IP instead of one per publicId)`);
  return edits;
}

/** The head rule to anchor on: the one behind the path whose capacity grew most. */
function anchorRule(headModel: InstanceModel, base: SiteResult, head: SiteResult): MxRule | undefined {
  let best: { rule: MxRule; growth: number } | undefined;
  for (const path of head.paths ?? []) {
    const rule = pathRule(headModel, path);
    if (!rule) continue;
    const before = base.paths?.find((candidate) => candidate.publicId === path.publicId);
    const growth = pathHourly(path) - (before ? pathHourly(before) : 0);
    if (!best || growth > best.growth) best = { rule, growth };
  }
  return best?.rule;
}

function factorText(factor: number): string {
  return Number.isFinite(factor) ? `${(Math.round(factor * 10) / 10).toString()}×` : "no longer bounded";
}

export function quotaRaises(base: SideResult, head: SideResult, policy: Pick<Policy, "maxRaise">): Finding[] {
  const out: Finding[] = [];
  for (const pair of instancePairs(base, head)) {
    for (const sites of sitePairs(pair)) {
      const before = siteRuleHourly(sites.base);
      const after = siteRuleHourly(sites.head);
      // A site the base could not send to at all is another finding's business (no-path, TLS).
      if (before <= 0 || after <= before * policy.maxRaise) continue;
      const factor = after / before;
      const rule = anchorRule(pair.head.model, sites.base, sites.head);
      const reasons = pathReasons(pair.base.model, pair.head.model, sites.base, sites.head);
      const file = rule?.span.file ?? pair.head.model.mxRules.file;
      const line = rule?.span.line ?? 1;
      out.push({
        id: "quota-raise",
        severity: defaultSeverity("quota-raise"),
        instance: pair.name,
        file,
        line,
        endLine: rule?.span.endLine ?? line,
        message:
          `${siteLabel(pair.name, sites.head)}: the MX rules now let the MTA send ${hourlyText(after)} messages/hour ` +
          `instead of ${hourlyText(before)} on the base (${factorText(factor)}, more than the policy's maxRaise of ${policy.maxRaise}×). ` +
          `${reasons.length > 0 ? `Why: ${reasons.join("; ")}. ` : ""}` +
          "A sudden jump in volume gets an IP throttled or blocklisted by the provider, which is what the MX rules are there to prevent.",
        fingerprint: fingerprint("quota-raise", pair.name, sites.head.site),
        title: `Quota raised ${factorText(factor)} for ${sites.head.site}`,
        details: {
          site: sites.head.site,
          domains: sites.head.domains,
          baseHourly: before,
          headHourly: after,
          factor: Number.isFinite(factor) ? Math.round(factor * 100) / 100 : null,
          maxRaise: policy.maxRaise,
          reasons,
          ...(rule ? { ruleIndex: rule.index, mask: rule.mask } : {}),
        },
      });
    }
  }
  return out;
}
