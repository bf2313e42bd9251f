/**
 * The human report of `mx-guard simulate`: per instance, a table per delivery, the sites with their
 * binding limit, the findings, and the assumptions the numbers rest on.
 */
import type { Policy } from "../model/config.js";
import type { Finding } from "../model/findings.js";
import type { InstanceResult, SimulationReport } from "../model/results.js";
import { formatHours, formatNumber, markdownTable, textTable, type Cell } from "./table.js";

export interface SimulateTextOptions {
  markdown?: boolean;
}

const SEVERITY_ORDER = { failure: 0, warning: 1, notice: 2 } as const;

export function renderSimulateText(report: SimulationReport, policy: Policy, options: SimulateTextOptions = {}): string {
  const md = options.markdown ?? false;
  const table = md ? markdownTable : textTable;
  const heading = (level: number, text: string) => (md ? `${"#".repeat(level)} ${text}` : level === 1 ? `${text}\n${"=".repeat(text.length)}` : `${text}\n${"-".repeat(text.length)}`);
  const blocks: string[] = [];

  const failing = report.findings.filter((finding) => policy.failOn.includes(finding.id));
  blocks.push(heading(1, `mx-guard simulation: ${failing.length === 0 ? "PASS" : `FAIL — ${countPhrase(failing.length, "blocking problem")}`}`));

  for (const instance of report.instances) {
    blocks.push(heading(2, `Instance ${instance.name} (${modeLabel(instance)})`));
    for (const delivery of instance.deliveries) {
      const deadline = delivery.deadlineHours === undefined || delivery.deadlineHours === null ? "" : `, deadline ${formatHours(delivery.deadlineHours)}`;
      blocks.push(
        `${md ? "**" : ""}${delivery.name}${md ? "**" : ""}: ${formatNumber(delivery.recipients)} recipients, ` +
          `sent ${formatNumber(delivery.sent)}, deferred ${formatNumber(delivery.deferred)}, expired ${formatNumber(delivery.expired)}, ` +
          `complete in ${formatHours(delivery.completionHours)}${deadline}\n\n` +
          table(
            ["domain", "site", "recipients", "sent", "deferred", "expired", "completion"],
            delivery.domains.map((domain): Cell[] => [
              domain.domain,
              domain.site,
              domain.recipients,
              domain.sent,
              domain.deferred,
              domain.expired,
              formatHours(domain.completionHours),
            ]),
          ),
      );
    }
    if (instance.sites.length > 0) {
      blocks.push(
        `${md ? "**Sites**" : "Sites"} (capacity after acceptance and the MTA ceiling)\n\n` +
          table(
            ["site", "rule", "publicIds", "per hour", "per 5 min", "limited by", "TLS"],
            instance.sites.map((site): Cell[] => [
              site.site,
              site.rule ? `${site.rule.mask} (${site.rule.file}:${site.rule.line})` : "none",
              site.publicIds.join(", ") || "—",
              site.hourlyCapacity,
              site.slotCapacity,
              site.limitedBy,
              site.tls,
            ]),
          ),
      );
    }
  }

  const findings = [...report.findings].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.file.localeCompare(b.file) || a.line - b.line,
  );
  blocks.push(heading(2, `Findings (${findings.length})`));
  blocks.push(findings.length === 0 ? "None." : findings.map((finding) => findingLine(finding, policy, md)).join("\n"));

  const assumptions = [...new Set(report.instances.flatMap((instance) => instance.assumptions))];
  if (assumptions.length > 0) {
    blocks.push(heading(2, "Assumptions"));
    blocks.push(assumptions.map((assumption) => `- ${assumption}`).join("\n"));
  }
  return `${blocks.join("\n\n")}\n`;
}

function findingLine(finding: Finding, policy: Policy, md: boolean): string {
  const blocking = policy.failOn.includes(finding.id) ? " (blocks)" : "";
  const where = `${finding.file}:${finding.line}`;
  return md
    ? `- **${finding.severity}** \`${finding.id}\`${blocking} at \`${where}\`: ${finding.message}`
    : `- ${finding.severity.toUpperCase()} ${finding.id}${blocking} at ${where}: ${finding.message}`;
}

function modeLabel(instance: InstanceResult): string {
  switch (instance.mode) {
    case "enhanced-mta":
      return "Enhanced MTA: MX rules not used";
    case "relay":
      return "relay: throughput is the relay's";
    default:
      return "legacy MTA with MX rules";
  }
}

function countPhrase(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
