/** Deterministic order of findings in reviews and reports (docs/contract.md#order). */
import type { Finding, ReviewedFinding, Severity } from "./findings.js";

export const SEVERITY_RANK: Record<Severity, number> = { failure: 0, warning: 1, notice: 2 };
const STATUS_RANK: Record<ReviewedFinding["status"], number> = { new: 0, worsened: 1, existing: 2, fixed: 3 };

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where a finding sits: severity, file, line, id. */
function comparePlace(a: Finding, b: Finding): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || compareText(a.file, b.file) || a.line - b.line || compareText(a.id, b.id);
}

/** Ties between findings at the same place: fingerprint, then message. */
function compareIdentity(a: Finding, b: Finding): number {
  return compareText(a.fingerprint, b.fingerprint) || compareText(a.message, b.message);
}

/** Report order of plain findings: severity, file, line, id, then fingerprint and message. */
export function compareFindingOrder(a: Finding, b: Finding): number {
  return comparePlace(a, b) || compareIdentity(a, b);
}

/** Deterministic review order: severity, file, line, id, status, then fingerprint and message. */
export function compareReviewed(a: ReviewedFinding, b: ReviewedFinding): number {
  return comparePlace(a, b) || STATUS_RANK[a.status] - STATUS_RANK[b.status] || compareIdentity(a, b);
}

export function sortFindings<T extends ReviewedFinding>(findings: readonly T[]): T[] {
  return [...findings].sort(compareReviewed);
}

const GROUP_RANK: Record<ReviewedFinding["status"], number> = { new: 0, worsened: 0, existing: 1, fixed: 2 };

/**
 * The order every output shows a review in: the changes (new and worsened) first, then the existing
 * findings, then the fixed ones, each group in review order.
 */
export function compareDisplayed(a: ReviewedFinding, b: ReviewedFinding): number {
  return GROUP_RANK[a.status] - GROUP_RANK[b.status] || compareReviewed(a, b);
}
