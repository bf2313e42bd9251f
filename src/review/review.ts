/**
 * review(base, head, policy) = compare + the comparison's own findings + verified fixes + verdict (docs/contract.md#verdict).
 */
import type { Policy } from "../model/config.js";
import type { Finding } from "../model/findings.js";
import type { Review, SideResult } from "../model/review.js";
import { compareFindings } from "./compare.js";
import { sortFindings } from "../model/finding-order.js";
import { simulateInstance } from "../simulate/index.js";
import { computeFixes, type FixOptions, type SimulateFn } from "./fixes.js";
import { ipWarmups } from "./ip-warmup.js";
import { quotaRaises } from "./quota-raise.js";
import { ruleChanges } from "./rule-change.js";
import { syncedRuleEdits } from "./synced-rule-edit.js";
import { tlsDowngrades } from "./tls-downgrade.js";
import { verdict } from "./verdict.js";

export interface ReviewOptions extends Partial<Omit<FixOptions, "simulate">> {
  /** The simulation used to verify fixes (default: simulateInstance); null computes no fix. */
  simulate?: SimulateFn | null;
}

/**
 * Head findings plus the findings only a comparison can produce (the catalogue's `source: "review"`
 * rows): tls-downgrade, quota-raise, rule-change, ip-warmup, adobe-sync-edit.
 */
export function headFindings(base: SideResult, head: SideResult, policy: Pick<Policy, "maxRaise">): Finding[] {
  return [
    ...head.report.findings,
    ...tlsDowngrades(base, head),
    ...quotaRaises(base, head, policy),
    ...ruleChanges(base, head),
    ...ipWarmups(base, head),
    ...syncedRuleEdits(base, head),
  ];
}

/** Compare base and head, add tls-downgrade findings, compute verified fixes, decide the verdict. */
export function review(base: SideResult, head: SideResult, policy: Policy, options: ReviewOptions = {}): Review {
  const compared = compareFindings(base.report.findings, headFindings(base, head, policy));
  const { simulate = simulateInstance, ...limits } = options;
  const fixed = simulate ? computeFixes(compared, head, { maxRaise: policy.maxRaise, ...limits, base, simulate }) : compared;
  const findings = sortFindings(fixed);
  return { conclusion: verdict(findings, policy), findings, base, head, policy };
}
