/**
 * Findings (SPEC §6) and their review statuses (SPEC §7).
 */
import type { FindingId } from "./config.js";

export type { FindingId } from "./config.js";

export type Severity = "failure" | "warning" | "notice";

export const DEFAULT_SEVERITY: Record<FindingId, Severity> = {
  "config-error": "failure",
  "delivery-expiry": "failure",
  "deadline-miss": "failure",
  "quota-deferral": "warning",
  "tls-required": "failure",
  "tls-downgrade": "warning",
  "no-path": "failure",
  "affinity-missing": "failure",
  "no-rule": "warning",
  "shadowed-rule": "warning",
  "unreachable-quota": "notice",
  "stale-mask": "notice",
  "helo-conflict": "warning",
  "mx-rules-unused": "notice",
  "rule-not-first-mx": "notice",
  "emta-validity": "notice",
};

export const FINDING_IDS = Object.keys(DEFAULT_SEVERITY) as FindingId[];

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

export interface ReviewedFinding extends Finding {
  status: FindingStatus;
  /** The base-side magnitude, when the finding existed on the base. */
  baseMagnitude?: Magnitude;
}
