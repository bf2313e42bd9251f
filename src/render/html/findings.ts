/** Findings in the HTML report: severity, id, status, file:line, instance, the message and the suggested lines. */
import { magnitudeChange, type ShownFinding } from "../findings-list.js";
import { fmtInt, location } from "../format.js";
import { html } from "./escape.js";

/** Findings shown at most over the whole page (the rest is counted). */
export const MAX_HTML_FINDINGS = 500;

function findingItem(finding: ShownFinding): string {
  const change = finding.status === "worsened" ? magnitudeChange(finding.baseMagnitude, finding.magnitude) : "";
  const status = finding.status ? ` <span class="status status-${finding.status}">${finding.status}</span>` : "";
  const suggestion =
    finding.suggestion === undefined
      ? ""
      : `\n<details><summary>Suggested replacement for lines ${finding.line}–${finding.endLine}</summary><pre>${html(finding.suggestion)}</pre></details>`;
  return [
    `<li class="finding severity-${finding.severity}">`,
    `<div class="finding-head"><span class="badge">${finding.severity}</span> <code>${html(finding.id)}</code>${status}${change ? ` <span class="change">(${html(change)})</span>` : ""} <code class="where">${html(location(finding.file, finding.line, finding.endLine))}</code> <span class="instance">(${html(finding.instance)})</span></div>`,
    `<p>${html(finding.message)}</p>${suggestion}`,
    "</li>",
  ].join("\n");
}

export interface FindingGroup {
  title: string;
  findings: readonly ShownFinding[];
}

/** The groups in order; empty groups are left out; past MAX_HTML_FINDINGS the rest is counted, not shown. */
export function findingsHtml(groups: readonly FindingGroup[]): string {
  let budget = MAX_HTML_FINDINGS;
  let hidden = 0;
  const out: string[] = [];
  for (const group of groups) {
    if (group.findings.length === 0) continue;
    const shown = group.findings.slice(0, Math.max(0, budget));
    budget -= shown.length;
    hidden += group.findings.length - shown.length;
    out.push(`<h3>${html(group.title)} (${fmtInt(group.findings.length)})</h3>`);
    if (shown.length > 0) out.push(`<ul class="findings">\n${shown.map(findingItem).join("\n")}\n</ul>`);
  }
  if (out.length === 0) return "<p>No findings.</p>";
  if (hidden > 0)
    out.push(
      `<p class="note">${fmtInt(hidden)} more findings not shown; run <code>mx-guard</code> with <code>--format text</code> for all of them.</p>`,
    );
  return out.join("\n");
}
