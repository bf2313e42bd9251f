/** The head's sites: rule, capacity, binding limit, TLS — collapsed detail in Markdown reports. */
import type { SimulationReport } from "../model/results.js";
import { escapeMd, fmtInt } from "./format.js";

export function siteTableMarkdown(report: SimulationReport): string {
  const rows: string[] = [];
  const multi = report.instances.length > 1;
  for (const instance of report.instances) {
    for (const site of instance.sites) {
      const rule = site.rule ? `${escapeMd(site.rule.mask)} (${escapeMd(site.rule.file)}:${site.rule.line})` : "none";
      const cells = [
        ...(multi ? [escapeMd(instance.name)] : []),
        escapeMd(site.site),
        escapeMd(site.domains.join(", ")),
        rule,
        fmtInt(site.hourlyCapacity),
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
