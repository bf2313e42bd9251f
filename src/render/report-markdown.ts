/**
 * The Markdown body shared by the check run summary, the sticky comment and `mx-guard diff --format
 * markdown`: verdict first, the delivery table, new/worsened findings, then collapsed details.
 */
import type { Review } from "../model/review.js";
import { assumptions, assumptionsMarkdown } from "./assumptions.js";
import { deliveryTableMarkdown } from "./delivery-table.js";
import { findingsListMarkdown } from "./findings-list.js";
import { changes, verdictLine } from "./headline.js";
import { siteTableMarkdown } from "./site-table.js";

export interface MarkdownParts {
  /** Extra block after the table (the sticky comment's chart). */
  afterTable?: string;
  /** Show suggestion blocks under new/worsened findings (off in the check summary: annotations carry them). */
  suggestions?: boolean;
}

function details(summary: string, body: string): string {
  return body ? [`<details><summary>${summary}</summary>`, "", body, "", "</details>"].join("\n") : "";
}

/** Collapsed sections: existing and fixed findings, the head's sites, the assumptions. */
export function detailSections(review: Review): string[] {
  // Configuration errors the base had too are shown up front (unreadableOnHead), not tucked away.
  const existing = review.findings.filter((finding) => finding.status === "existing" && finding.id !== "config-error");
  const fixed = review.findings.filter((finding) => finding.status === "fixed");
  return [
    existing.length > 0 ? details(`Existing findings, unchanged (${existing.length})`, findingsListMarkdown(existing)) : "",
    fixed.length > 0 ? details(`Fixed findings (${fixed.length})`, findingsListMarkdown(fixed)) : "",
    details("Sites on the head", siteTableMarkdown(review.head.report)),
    assumptionsMarkdown(assumptions(review.head.report, review.base.report)),
  ].filter((section) => section !== "");
}

/** Head configuration errors the base had as well: not a change, but the head still cannot be checked. */
export function unreadableOnHead(review: Review): Review["findings"] {
  return review.findings.filter((finding) => finding.id === "config-error" && finding.status === "existing");
}

export function reviewMarkdownBody(review: Review, parts: MarkdownParts = {}): string {
  const list = changes(review);
  const sections = [
    `**${verdictLine(review)}**`,
    deliveryTableMarkdown(review.head.report, review.base.report),
    parts.afterTable ?? "",
    list.length > 0 ? `#### New and worsened (${list.length})\n\n${findingsListMarkdown(list, parts.suggestions ?? false)}` : "",
    unreadableOnHead(review).length > 0
      ? `#### Configuration errors on the head, also on the base (${unreadableOnHead(review).length})\n\n${findingsListMarkdown(unreadableOnHead(review))}`
      : "",
    ...detailSections(review),
  ];
  return sections.filter((section) => section !== "").join("\n\n");
}
