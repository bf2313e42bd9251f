/**
 * `rule-change`: a site is governed by a different MX rule on the head than on the base — a
 * reordering, a new rule above, or an edited mask or range. First match wins, so this is easy to
 * do by accident; both rules are named.
 */
import type { MxRule } from "../model/config.js";
import { defaultSeverity, type Finding } from "../model/findings.js";
import { fingerprint } from "../model/fingerprint.js";
import type { SideResult } from "../model/review.js";
import { instancePairs, pathRule, ruleIdentity, ruleName, siteLabel, sitePairs } from "./site-pairs.js";

export function ruleChanges(base: SideResult, head: SideResult): Finding[] {
  const out: Finding[] = [];
  for (const pair of instancePairs(base, head)) {
    for (const sites of sitePairs(pair)) {
      const switches = new Map<string, { from: MxRule; to: MxRule; publicIds: number[] }>();
      for (const path of sites.head.paths ?? []) {
        const before = sites.base.paths?.find((candidate) => candidate.publicId === path.publicId);
        const to = pathRule(pair.head.model, path);
        const from = before ? pathRule(pair.base.model, before) : undefined;
        if (!to || !from || ruleIdentity(to) === ruleIdentity(from)) continue;
        const key = `${ruleIdentity(from)}\u0001${ruleIdentity(to)}`;
        const entry = switches.get(key) ?? { from, to, publicIds: [] };
        entry.publicIds.push(path.publicId);
        switches.set(key, entry);
      }
      if (switches.size === 0) continue;
      const list = [...switches.values()];
      const anchor = list[0]!.to;
      const all = sites.head.publicIds.length;
      const sentences = list.map(({ from, to, publicIds }) => {
        const which = publicIds.length === all ? "" : ` for publicId ${publicIds.join(", ")}`;
        return `${ruleName(to)} now applies${which} instead of ${ruleName(from)}`;
      });
      out.push({
        id: "rule-change",
        severity: defaultSeverity("rule-change"),
        instance: pair.name,
        file: anchor.span.file,
        line: anchor.span.line,
        endLine: anchor.span.endLine,
        message: `${siteLabel(pair.name, sites.head)} is governed by a different MX rule than on the base: ${sentences.join("; ")}.`,
        fingerprint: fingerprint("rule-change", pair.name, sites.head.site),
        title: `Different MX rule for ${sites.head.site}`,
        details: {
          site: sites.head.site,
          domains: sites.head.domains,
          ruleIndex: anchor.index,
          changes: list.map(({ from, to, publicIds }) => ({
            publicIds,
            from: { mask: from.mask, line: from.span.line },
            to: { mask: to.mask, line: to.span.line },
          })),
        },
      });
    }
  }
  return out;
}
