/** `mx-guard simulate --format json` (docs/contract.md#json-output, without `conclusion` and `status`). */
import type { SimulationReport } from "../model/results.js";
import { findingJson, reportJson } from "./diff.js";

export function renderSimulateJson(report: SimulationReport): string {
  const json = { version: 1 as const, instances: reportJson(report), findings: report.findings.map(findingJson) };
  return `${JSON.stringify(json, null, 2)}\n`;
}
