/**
 * What the core hands the shells: one simulated side, and a base-vs-head review (docs/contract.md).
 */
import type { InstanceModel, Policy } from "./config.js";
import type { ReviewedFinding } from "./findings.js";
import type { SimulationReport } from "./results.js";

/** One side (base or head, or a plain `simulate`) parsed and simulated. */
export interface SideResult {
  report: SimulationReport;
  /** Models of the instances that parsed; an instance with config errors has none. */
  models: InstanceModel[];
  /** The file texts that were read, by path (for suggestions that replace lines). */
  files: Record<string, string | null>;
}

export type Conclusion = "success" | "failure";

/** A base-vs-head review, before rendering. */
export interface Review {
  conclusion: Conclusion;
  /** Head findings with status new / worsened / existing, and base findings with status fixed. */
  findings: ReviewedFinding[];
  base: SideResult;
  head: SideResult;
  policy: Policy;
}
