/** `mx-guard diff` output: text, Markdown and JSON (docs/contract.md#json-output, with `conclusion` and per-finding `status`). */
import type { Review } from "../model/review.js";
import type { ReviewedFinding } from "../model/findings.js";
import type { DeliveryResult, InstanceResult, SimulationReport } from "../model/results.js";
import { assumptions } from "./assumptions.js";
import { deliveryTableText } from "./delivery-table.js";
import { escapeMd } from "./format.js";
import { findingText, type ShownFinding } from "./findings-list.js";
import { changes, productHeading, verdictLine } from "./headline.js";
import { neutraliseTerminal, oneLine } from "./plain-text.js";
import { reviewMarkdownBody, unreadableOnHead } from "./report-markdown.js";
import { isBlocking } from "../review/verdict.js";
import { compareDisplayed } from "../model/finding-order.js";
import { siteTableText } from "./simulate-tables.js";

/** Plain text for a terminal: no colours, no Markdown, ASCII arrows. */
export function renderDiffText(review: Review): string {
  const list = changes(review);
  const existing = review.findings.filter((finding) => finding.status === "existing" && finding.id !== "config-error");
  const fixed = review.findings.filter((finding) => finding.status === "fixed");
  const out = [productHeading(review), verdictLine(review), "", deliveryTableText(review.head.report, review.base.report)];
  const group = (label: string, findings: ReviewedFinding[]) => {
    if (findings.length === 0) return;
    out.push("", `${label} (${findings.length}):`, ...findings.map(findingText));
  };
  group("New and worsened findings", list);
  group("Configuration errors on the head, also on the base", unreadableOnHead(review));
  group("Existing findings", existing);
  group("Fixed findings", fixed);
  // The head's sites, as the Markdown report has them (collapsed there).
  for (const instance of review.head.report.instances)
    if (instance.sites.length > 0) out.push("", `Sites on the head: ${siteTableText(instance)}`);
  const used = assumptions(review.head.report, review.base.report);
  if (used.length > 0) out.push("", "Assumptions:", ...used.map((a) => `  - ${oneLine(a)}`));
  return neutraliseTerminal(`${out.join("\n")}\n`);
}

/** The full Markdown report (never truncated, suggestions shown). */
export function renderDiffMarkdown(review: Review): string {
  return `## ${escapeMd(productHeading(review))}\n\n${reviewMarkdownBody(review, { suggestions: true })}\n`;
}

function siteJson(site: InstanceResult["sites"][number]) {
  return {
    site: site.site,
    domains: site.domains,
    mx: site.mx,
    rule: site.rule ? { mask: site.rule.mask, file: site.rule.file, line: site.rule.line } : null,
    ...(site.catchAll ? { catchAll: site.catchAll } : {}),
    publicIds: site.publicIds,
    hourlyCapacity: site.hourlyCapacity,
    slotCapacity: site.slotCapacity,
    limitedBy: site.limitedBy,
    tls: site.tls,
  };
}

function deliveryJson(delivery: DeliveryResult, base: DeliveryResult | undefined, withBase: boolean) {
  return {
    name: delivery.name,
    recipients: delivery.recipients,
    sent: delivery.sent,
    deferred: delivery.deferred,
    expired: delivery.expired,
    refusedTls: delivery.refusedTls,
    completionHours: delivery.completionHours,
    pacedHours: delivery.pacedHours,
    deadlineHours: delivery.deadlineHours ?? null,
    domains: delivery.domains.map((d) => ({
      domain: d.domain,
      site: d.site,
      recipients: d.recipients,
      sent: d.sent,
      deferred: d.deferred,
      expired: d.expired,
      refusedTls: d.refusedTls,
      completionHours: d.completionHours,
      pacedHours: d.pacedHours,
    })),
    ...(withBase
      ? {
          base: base
            ? {
                recipients: base.recipients,
                sent: base.sent,
                deferred: base.deferred,
                expired: base.expired,
                refusedTls: base.refusedTls,
                completionHours: base.completionHours,
                pacedHours: base.pacedHours,
                deadlineHours: base.deadlineHours ?? null,
              }
            : null,
        }
      : {}),
  };
}

export function findingJson(finding: ShownFinding) {
  return {
    id: finding.id,
    severity: finding.severity,
    ...(finding.status ? { status: finding.status } : {}),
    instance: finding.instance,
    file: finding.file,
    line: finding.line,
    endLine: finding.endLine,
    message: finding.message,
    fingerprint: finding.fingerprint,
    ...(finding.suggestion !== undefined ? { suggestion: finding.suggestion } : {}),
    title: finding.title,
    ...(finding.magnitude ? { magnitude: finding.magnitude } : {}),
    ...(finding.baseMagnitude ? { baseMagnitude: finding.baseMagnitude } : {}),
    ...(finding.details ? { details: finding.details } : {}),
  };
}

/** The JSON of docs/contract.md#json-output for a head report; with `base`, each delivery carries its base numbers (extra field). */
export function reportJson(head: SimulationReport, base?: SimulationReport) {
  return head.instances.map((instance) => {
    const before = base?.instances.find((candidate) => candidate.name === instance.name);
    return {
      name: instance.name,
      mode: instance.mode,
      simulated: instance.simulated,
      sites: instance.sites.map(siteJson),
      deliveries: instance.deliveries.map((d) =>
        deliveryJson(
          d,
          before?.deliveries.find((candidate) => candidate.name === d.name),
          base !== undefined,
        ),
      ),
      assumptions: instance.assumptions,
    };
  });
}

/** `{ version: 1, conclusion, instances, findings }` with a status on every finding (fixed ones included). */
export function renderDiffJson(review: Review): string {
  const json = {
    version: 1 as const,
    conclusion: review.conclusion,
    instances: reportJson(review.head.report, review.base.report),
    findings: [...review.findings]
      .sort(compareDisplayed)
      .map((finding) => ({ ...findingJson(finding), blocking: isBlocking(finding, review.policy) })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
