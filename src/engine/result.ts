/**
 * What the front door returns to the shells: data, not one Markdown blob. The shells post or print
 * it; the GitHub shell places `comments` on diff lines before it renders their bodies.
 */
import type { Finding } from "../model/findings.js";
import type { CheckOutput, ReviewComment } from "../model/outputs.js";
import type { Conclusion, Review, SideResult } from "../model/review.js";
import type { CheckAnnotation } from "../render/channels.js";

/** `mx-guard simulate`: one side, its verdict, and the configuration errors that stop it. */
export interface SimulateResult {
  side: SideResult;
  conclusion: Conclusion;
  /** Findings whose id the policy fails on. */
  blocking: Finding[];
  configErrors: Finding[];
}

/** How many head findings have each status; `blocking` counts those that fail the check. */
export interface FindingCounts {
  new: number;
  worsened: number;
  existing: number;
  fixed: number;
  blocking: number;
}

/** A base-vs-head review with every output a shell posts. */
export interface ReviewResult {
  review: Review;
  conclusion: Conclusion;
  counts: FindingCounts;
  check: CheckOutput;
  annotations: CheckAnnotation[];
  /** New and worsened findings with a file and line, before placement on the diff. */
  comments: ReviewComment[];
  /** The sticky pull request comment (contains its marker). */
  sticky: string;
}
