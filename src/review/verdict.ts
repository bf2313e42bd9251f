/** The pull request verdict (docs/contract.md#verdict). */
import type { Policy } from "../model/config.js";
import { isChange, type ReviewedFinding } from "../model/findings.js";
import type { Conclusion } from "../model/review.js";

/** True for a finding that makes the check fail under `policy`: new or worsened, id in failOn. */
export function isBlocking(finding: ReviewedFinding, policy: Pick<Policy, "failOn">): boolean {
  return isChange(finding) && policy.failOn.includes(finding.id);
}

/** `failure` when a new or worsened finding has an id listed in policy.failOn, else `success`. */
export function verdict(findings: readonly ReviewedFinding[], policy: Pick<Policy, "failOn">): Conclusion {
  return findings.some((finding) => isBlocking(finding, policy)) ? "failure" : "success";
}
