import type { SimulationReport } from "../model/results.js";

/**
 * `mx-guard simulate --format json` (SPEC §9). Field names are the stable contract; the hourly
 * chart series is left out to keep the document small (it is in the sticky comment instead).
 */
export function renderSimulateJson(report: SimulationReport): string {
  const document = {
    version: report.version,
    instances: report.instances.map((instance) => ({
      ...instance,
      sites: instance.sites.map(({ hourly: _hourly, ...site }) => site),
    })),
    findings: report.findings,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
