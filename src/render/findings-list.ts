/** Findings as Markdown list items and plain text blocks. */
import type { Finding, FindingStatus, Magnitude } from "../model/findings.js";
import { escapeMd, fenceFor, fmtHours, fmtInt, location } from "./format.js";
import { oneLine } from "./plain-text.js";

/** A finding as reports show it: reviewed (with a status) or plain (from `simulate`). */
export type ShownFinding = Finding & { status?: FindingStatus; baseMagnitude?: Magnitude };

/** "deferred 0 → 120,000, expired 0 → 4,000, completion 5.5 h → expires" — only what changed. */
export function magnitudeChange(base: Magnitude | undefined, head: Magnitude | undefined, arrow = "→"): string {
  if (!base || !head) return "";
  const parts: string[] = [];
  if (base.deferred !== head.deferred) parts.push(`deferred ${fmtInt(base.deferred)} ${arrow} ${fmtInt(head.deferred)}`);
  if (base.expired !== head.expired) parts.push(`expired ${fmtInt(base.expired)} ${arrow} ${fmtInt(head.expired)}`);
  if (fmtHours(base.completionHours) !== fmtHours(head.completionHours)) {
    parts.push(`completion ${fmtHours(base.completionHours)} ${arrow} ${fmtHours(head.completionHours)}`);
  }
  return parts.join(", ");
}

/** One list item: `- **failure** · delivery-expiry · new · file:line (instance) — message`. */
export function findingItemMarkdown(finding: ShownFinding, withSuggestion = false): string {
  const where = `\`${location(finding.file, finding.line, finding.endLine).replace(/`/g, "'")}\``;
  const change = finding.status === "worsened" ? ` (${magnitudeChange(finding.baseMagnitude, finding.magnitude)})` : "";
  const head = `- **${finding.severity}** · \`${finding.id}\` ·${finding.status ? ` ${finding.status}${escapeMd(change)} ·` : ""} ${where} (${escapeMd(finding.instance)}): ${escapeMd(finding.message)}`;
  if (!withSuggestion || finding.suggestion === undefined) return head;
  const fence = fenceFor(finding.suggestion);
  const body = finding.suggestion.split("\n").map((line) => `  ${line}`);
  return [
    head,
    "",
    `  Suggested replacement for lines ${finding.line}–${finding.endLine}:`,
    "",
    `  ${fence}yaml`,
    ...body,
    `  ${fence}`,
  ].join("\n");
}

export function findingsListMarkdown(findings: readonly ShownFinding[], withSuggestion = false): string {
  return findings.map((finding) => findingItemMarkdown(finding, withSuggestion)).join("\n");
}

/** Plain text: `file:line  severity  id  [status]  (instance)` then the indented message and fix. */
export function findingText(finding: ShownFinding): string {
  const change = finding.status === "worsened" ? ` (${magnitudeChange(finding.baseMagnitude, finding.magnitude, "->")})` : "";
  const lines = [
    `  ${oneLine(location(finding.file, finding.line, finding.endLine))}  ${finding.severity}  ${finding.id}${finding.status ? `  [${finding.status}]${change}` : ""}  (${oneLine(finding.instance)})`,
    `    ${oneLine(finding.message)}`,
  ];
  if (finding.suggestion !== undefined) {
    lines.push(`    suggested replacement for lines ${finding.line}-${finding.endLine}:`);
    for (const line of finding.suggestion.split("\n")) lines.push(`      | ${line}`.trimEnd());
  }
  return lines.join("\n");
}
