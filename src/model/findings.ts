/**
 * Findings (docs/contract.md#findings) and their review statuses (docs/contract.md#review-statuses).
 */
import { FINDINGS, type FindingId, type Severity } from "./catalogue.js";

export { FINDING_IDS, FINDINGS, type FindingId, type Severity } from "./catalogue.js";

/** A finding id's default severity, from the catalogue. */
export function defaultSeverity(id: FindingId): Severity {
  return FINDINGS[id].severity;
}

/** Size of a finding, compared between base and head to tell "worsened" from "existing". */
export interface Magnitude {
  deferred: number;
  expired: number;
  /** Hours; null when messages expire (treated as worse than any number). */
  completionHours: number | null;
}

export interface Finding {
  id: FindingId;
  severity: Severity;
  instance: string;
  file: string;
  line: number;
  endLine: number;
  column?: number;
  /** The sentence shown to the user, with the arithmetic (rule, numbers, assumption). */
  message: string;
  /**
   * Stable identity across unrelated edits: built from the id, instance and the *semantic* subject
   * (rule mask + range, delivery name, domain, IP address…), never from line numbers.
   */
  fingerprint: string;
  /** Replacement text for lines line..endLine (a one-click fix), when one can be computed. */
  suggestion?: string;
  magnitude?: Magnitude;
  /** Short title for annotations and SARIF (≤ 255 characters). */
  title: string;
  /** Machine-readable details (numbers used in the message), shown as raw details. */
  details?: Record<string, unknown>;
}

export type FindingStatus = "new" | "worsened" | "existing" | "fixed";

/** New or worsened: what a review reports as a change, and what can block the merge. */
export function isChange(finding: { status: FindingStatus }): boolean {
  return finding.status === "new" || finding.status === "worsened";
}

export interface ReviewedFinding extends Finding {
  status: FindingStatus;
  /** The base-side magnitude, when the finding existed on the base. */
  baseMagnitude?: Magnitude;
}
