/** The pull request verdict (docs/contract.md#verdict). */
import type { Policy } from "../model/config.js";
import { isChange, type ReviewedFinding } from "../model/findings.js";
import type { Conclusion } from "../model/review.js";

/**
 * A configuration error on the head side: the head cannot be checked, so the gate fails closed —
 * whether or not the base had the same error, and whatever failOn lists (docs/contract.md).
 */
export function isHeadConfigError(finding: ReviewedFinding): boolean {
  return finding.id === "config-error" && finding.status !== "fixed";
}

/**
 * True for a finding that makes the check fail under `policy`: a head configuration error, or a new
 * or worsened finding whose id is in failOn.
 */
export function isBlocking(finding: ReviewedFinding, policy: Pick<Policy, "failOn">): boolean {
  if (isHeadConfigError(finding)) return true;
  return isChange(finding) && policy.failOn.includes(finding.id);
}

/** The head configuration errors of a review: when there is any, nothing on the head was checked. */
export function headConfigErrors(findings: readonly ReviewedFinding[]): ReviewedFinding[] {
  return findings.filter(isHeadConfigError);
}

/** `failure` when a finding blocks (see isBlocking), else `success`. */
export function verdict(findings: readonly ReviewedFinding[], policy: Pick<Policy, "failOn">): Conclusion {
  return findings.some((finding) => isBlocking(finding, policy)) ? "failure" : "success";
}
