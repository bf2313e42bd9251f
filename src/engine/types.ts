/**
 * The contract between the pure core and the shells (CLI, GitHub App). A shell gathers files into
 * FileMaps, calls the engine, and posts or prints what comes back.
 */
import type { InstanceModel, Policy } from "../model/config.js";
import type { Finding, ReviewedFinding } from "../model/findings.js";
import type { SimulationReport } from "../model/results.js";

/** One side (base or head) simulated: the report plus the models, needed to compute verified fixes. */
export interface Run {
  report: SimulationReport;
  /** Models of the instances that parsed; an instance with config errors has none. */
  models: InstanceModel[];
  /** The file texts that were read, by path (for suggestions that replace lines). */
  files: Record<string, string | null>;
}

export type Conclusion = "success" | "failure";

/** A base-vs-head review (SPEC §7), before rendering. */
export interface Review {
  conclusion: Conclusion;
  /** Head findings with status new / worsened / existing, and base findings with status fixed. */
  findings: ReviewedFinding[];
  base: Run;
  head: Run;
  policy: Policy;
}

export type { Finding, ReviewedFinding };
