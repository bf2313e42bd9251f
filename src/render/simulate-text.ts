/** `mx-guard simulate` as text or Markdown: one side, no comparison. */
import type { Policy } from "../model/config.js";
import type { SimulationReport } from "../model/results.js";
import { compareFindingOrder } from "../model/finding-order.js";
import { assumptions, assumptionsMarkdown } from "./assumptions.js";
import { deliveryTableMarkdown, deliveryTableText } from "./delivery-table.js";
import { findingsListMarkdown, findingText } from "./findings-list.js";
import { plural } from "./format.js";
import { siteTableMarkdown } from "./site-table.js";
import { deliveryDomainTablesText, siteTableText } from "./simulate-tables.js";
import { neutraliseTerminal, oneLine } from "./plain-text.js";

/** "2 findings, 1 failing (delivery-expiry)" or "no findings". */
export function simulateHeadline(report: SimulationReport, policy: Pick<Policy, "failOn">): string {
  const failing = report.findings.filter((finding) => policy.failOn.includes(finding.id));
  if (report.findings.length === 0) return "no findings";
  const ids = [...new Set(failing.map((finding) => finding.id))].join(", ");
  return `${plural(report.findings.length, "finding")}, ${failing.length === 0 ? "none failing" : `${failing.length} failing (${ids})`}`;
}

function ordered(report: SimulationReport) {
  return [...report.findings].sort(compareFindingOrder);
}

export function renderSimulateText(report: SimulationReport, policy: Pick<Policy, "failOn">, options: { markdown?: boolean } = {}): string {
  const findings = ordered(report);
  const used = assumptions(report);
  if (options.markdown) {
    const sections = [
      `## MX Guard: ${simulateHeadline(report, policy)}`,
      deliveryTableMarkdown(report),
      siteTableMarkdown(report),
      findings.length > 0 ? `#### Findings (${findings.length})\n\n${findingsListMarkdown(findings, true)}` : "",
      assumptionsMarkdown(used),
    ];
    return `${sections.filter((section) => section !== "").join("\n\n")}\n`;
  }
  const out = [`MX Guard: ${simulateHeadline(report, policy)}`, "", deliveryTableText(report)];
  for (const instance of report.instances) {
    for (const table of deliveryDomainTablesText(instance)) out.push("", table);
    if (instance.sites.length > 0) out.push("", siteTableText(instance));
  }
  if (findings.length > 0) out.push("", `Findings (${findings.length}):`, ...findings.map(findingText));
  if (used.length > 0) out.push("", "Assumptions:", ...used.map((a) => `  - ${oneLine(a)}`));
  return neutraliseTerminal(`${out.join("\n")}\n`);
}
