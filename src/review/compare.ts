/**
 * Base vs head comparison of findings (docs/contract.md#review-statuses). Identity is the fingerprint, which never uses line
 * numbers, so moving a rule keeps its findings "existing".
 */
import type { Finding, Magnitude, ReviewedFinding } from "../model/findings.js";

/** Tolerance for hour comparisons, so float noise in completion times never reads as "worse". */
const HOURS_EPSILON = 1e-9;

/**
 * True when `head` is worse than `base`: more messages deferred or expired, a later completion, or a
 * completion that became null (messages now expire). A missing magnitude on either side compares as
 * "not grown" (a finding without a size cannot worsen).
 */
export function magnitudeGrew(base: Magnitude | undefined, head: Magnitude | undefined): boolean {
  if (!base || !head) return false;
  if (head.deferred > base.deferred) return true;
  if (head.expired > base.expired) return true;
  if (head.completionHours === null) return base.completionHours !== null;
  if (base.completionHours === null) return false;
  return head.completionHours > base.completionHours + HOURS_EPSILON;
}

/**
 * Gives every head finding a status (new / worsened / existing) and adds the base findings that are
 * gone from head with status `fixed`. Findings sharing a fingerprint are paired in order of appearance,
 * so two head findings against one base finding yield one `existing` and one `new`.
 */
export function compareFindings(base: readonly Finding[], head: readonly Finding[]): ReviewedFinding[] {
  const pending = new Map<string, Finding[]>();
  for (const finding of base) {
    const list = pending.get(finding.fingerprint);
    if (list) list.push(finding);
    else pending.set(finding.fingerprint, [finding]);
  }
  const out: ReviewedFinding[] = [];
  for (const finding of head) {
    const match = pending.get(finding.fingerprint)?.shift();
    if (!match) {
      out.push({ ...finding, status: "new" });
      continue;
    }
    const reviewed: ReviewedFinding = {
      ...finding,
      status: magnitudeGrew(match.magnitude, finding.magnitude) ? "worsened" : "existing",
    };
    if (match.magnitude) reviewed.baseMagnitude = match.magnitude;
    out.push(reviewed);
  }
  for (const finding of base) {
    const list = pending.get(finding.fingerprint);
    if (list && list[0] === finding) {
      list.shift();
      const fixed: ReviewedFinding = { ...finding, status: "fixed" };
      if (finding.magnitude) fixed.baseMagnitude = finding.magnitude;
      out.push(fixed);
    }
  }
  return out;
}
