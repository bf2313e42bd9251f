/** The head's sites: rule, capacity, binding limit, TLS — collapsed detail in Markdown reports. */
import type { SimulationReport, SiteResult } from "../model/results.js";
import { escapeMd, fmtInt } from "./format.js";

/**
 * The hourly figure the simulation runs at: 12 five-minute slots of floor(messagesPerHour / 12), so
 * a rule of 10,000 per hour shows 9,996 (docs/model.md#how-fast-a-site-can-go).
 */
export function simulatedHourly(site: Pick<SiteResult, "slotCapacity">): number {
  return Math.min(Number.MAX_SAFE_INTEGER, site.slotCapacity * 12);
}

/** The Rule cell: the rule with file:line; for "other", the catch-all each of its domains is under. */
export function siteRuleLabel(site: Pick<SiteResult, "rule" | "catchAll">, quote: (text: string) => string = (t) => t): string {
  if (site.rule) return `${quote(site.rule.mask)} (${quote(site.rule.file)}:${site.rule.line})`;
  if (site.catchAll) return `${quote(site.catchAll.mask)} per domain (${quote(site.catchAll.file)}:${site.catchAll.line})`;
  return "none";
}

export function siteTableMarkdown(report: SimulationReport): string {
  const rows: string[] = [];
  const multi = report.instances.length > 1;
  for (const instance of report.instances) {
    for (const site of instance.sites) {
      const rule = siteRuleLabel(site, escapeMd);
      const cells = [
        ...(multi ? [escapeMd(instance.name)] : []),
        escapeMd(site.site),
        escapeMd(site.domains.join(", ")),
        rule,
        fmtInt(simulatedHourly(site)),
        fmtInt(site.slotCapacity),
        site.limitedBy,
        site.tls,
      ];
      rows.push(`| ${cells.join(" | ")} |`);
    }
  }
  if (rows.length === 0) return "";
  const header = [...(multi ? ["Instance"] : []), "Site", "Domains", "Rule", "Per hour", "Per 5 min", "Limited by", "TLS"];
  const align = header.map((h) => (h === "Per hour" || h === "Per 5 min" ? "---:" : "---"));
  return [`| ${header.join(" | ")} |`, `|${align.join("|")}|`, ...rows].join("\n");
}
