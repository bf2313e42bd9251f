/** The verdict in words: the check title, the sticky headline, the first line of every report. */
import { FINDING_IDS, FINDINGS, type FindingId } from "../model/catalogue.js";
import { isChange, type ReviewedFinding } from "../model/findings.js";
import type { Review } from "../model/review.js";
import { SEVERITY_RANK } from "../model/finding-order.js";
import { headConfigErrors, isBlocking } from "../review/verdict.js";
import { fmtInt, plural } from "./format.js";

export function changes(review: Review): ReviewedFinding[] {
  return review.findings.filter(isChange);
}

/** The title of a review whose head cannot be parsed: the gate fails closed. */
export const UNCHECKED_TITLE = "MX Guard could not check this change";

/** True when head makes nothing worse: the reports stay one line long. */
export function isQuiet(review: Review): boolean {
  return review.conclusion === "success" && changes(review).length === 0;
}

/** Distinct ids of the changes, blocking ones first, then by severity and catalogue order. */
function changedIds(review: Review): FindingId[] {
  const list = changes(review);
  const ids = [...new Set(list.map((finding) => finding.id))];
  const rank = (id: FindingId) => {
    const blocking = list.some((finding) => finding.id === id && isBlocking(finding, review.policy)) ? 0 : 1;
    const severity = Math.min(...list.filter((f) => f.id === id).map((f) => SEVERITY_RANK[f.severity]));
    return [blocking, severity, FINDING_IDS.indexOf(id)] as const;
  };
  return ids.sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2];
  });
}

function countPhrase(list: readonly ReviewedFinding[], noun: string): string {
  const added = list.filter((finding) => finding.status === "new").length;
  const worse = list.length - added;
  if (worse === 0) return `${fmtInt(added)} new ${added === 1 ? noun : `${noun}s`}`;
  if (added === 0) return `${fmtInt(worse)} worsened ${worse === 1 ? noun : `${noun}s`}`;
  return `${fmtInt(added)} new and ${fmtInt(worse)} worsened ${noun}s`;
}

/**
 * "2 new problems: deliveries would expire" (counting the blocking findings) / "No blocking change;
 * 1 new finding: TLS weakened" / "No change for the worse".
 */
export function reviewTitle(review: Review): string {
  const unreadable = headConfigErrors(review.findings);
  if (unreadable.length > 0) return `${UNCHECKED_TITLE}: ${plural(unreadable.length, "configuration error")} on the head`;
  const all = changes(review);
  if (all.length === 0) return "No change for the worse";
  const blocking = all.filter((finding) => isBlocking(finding, review.policy));
  const shown = review.conclusion === "failure" && blocking.length > 0 ? blocking : all;
  const ids = changedIds(review).filter((id) => shown.some((finding) => finding.id === id));
  const phrases = ids.slice(0, 2).map((id) => FINDINGS[id].phrase);
  const what = `${phrases.join(", ")}${ids.length > 2 ? " and more" : ""}`;
  if (shown === blocking) return `${countPhrase(blocking, "problem")}: ${what}`;
  return `No blocking change; ${countPhrase(all, "finding")}: ${what}`;
}

/** The title after the product name: "MX Guard: 2 new problems…", but "MX Guard could not check…" once. */
export function productHeading(review: Review): string {
  const title = reviewTitle(review);
  return title.startsWith("MX Guard ") ? title : `MX Guard: ${title}`;
}

/** One sentence: the verdict and why. */
export function verdictLine(review: Review): string {
  const list = changes(review);
  const blocking = list.filter((finding) => isBlocking(finding, review.policy));
  const unreadable = headConfigErrors(review.findings);
  if (unreadable.length > 0) {
    return `Fails: the head's Campaign configuration cannot be read or validated (${plural(unreadable.length, "configuration error")}), so nothing on it was checked.`;
  }
  if (review.conclusion === "failure") {
    const ids = [...new Set(blocking.map((finding) => finding.id))].join(", ");
    return `Fails: ${plural(blocking.length, "new or worsened finding")} with an id listed in failOn (${ids}).`;
  }
  if (list.length > 0) {
    return `Passes: ${plural(list.length, "new or worsened finding")}, none with an id listed in failOn.`;
  }
  return "Passes: the head makes nothing worse than the base.";
}

/** The one line a quiet report consists of. */
export function quietLine(review: Review): string {
  const head = review.head.report;
  const deliveries = head.instances.reduce((sum, instance) => sum + instance.deliveries.length, 0);
  const existing = review.findings.filter((finding) => finding.status === "existing").length;
  const fixed = review.findings.filter((finding) => finding.status === "fixed").length;
  const parts = [`${plural(deliveries, "delivery", "deliveries")} on ${plural(head.instances.length, "instance")} simulated`];
  if (existing > 0) parts.push(`${plural(existing, "existing finding")} unchanged`);
  if (fixed > 0) parts.push(`${plural(fixed, "finding")} fixed`);
  return `No change for the worse: ${parts.join("; ")}.`;
}
