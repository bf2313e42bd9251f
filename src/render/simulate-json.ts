/** `mx-guard simulate --format json` (docs/contract.md#json-output, without `status`). */
import { compareFindingOrder } from "../model/finding-order.js";
import type { Finding } from "../model/findings.js";
import type { Conclusion } from "../model/review.js";
import type { SimulationReport } from "../model/results.js";
import { findingJson, reportJson } from "./diff.js";

/** `blocking`: the findings that make the verdict fail (policy failOn, configuration errors). */
export function renderSimulateJson(report: SimulationReport, conclusion: Conclusion, blocking: readonly Finding[]): string {
  const fails = new Set(blocking);
  const json = {
    version: 1 as const,
    conclusion,
    instances: reportJson(report),
    findings: [...report.findings].sort(compareFindingOrder).map((finding) => ({ ...findingJson(finding), blocking: fails.has(finding) })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
