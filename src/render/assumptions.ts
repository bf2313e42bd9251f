/** The assumptions a review relied on (printed in every report, docs/model.md), deduplicated, in first-seen order. */
import type { SimulationReport } from "../model/results.js";
import { escapeMd } from "./format.js";

export function assumptions(...reports: (SimulationReport | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const report of reports) {
    for (const instance of report?.instances ?? []) {
      for (const assumption of instance.assumptions) seen.add(assumption);
    }
  }
  return [...seen];
}

export function assumptionsMarkdown(list: readonly string[]): string {
  if (list.length === 0) return "";
  return [`<details><summary>Assumptions (${list.length})</summary>`, "", ...list.map((a) => `- ${escapeMd(a)}`), "", "</details>"].join(
    "\n",
  );
}
