/**
 * The engine's entry points, as the shells (CLI, GitHub App) call them. Implementations live in
 * src/engine/run.ts (simulate one side), src/review/ (compare, fixes) and src/render/ (reports).
 * The GitHub App receives an Engine so its tests can also drive it with hand-made reviews.
 */
import type { Policy } from "../model/config.js";
import type { FileMap } from "../io/file-source.js";
import type { Review, Run } from "./types.js";

/** A review comment anchored on file lines (RIGHT side of the diff), before diff filtering. */
export interface AnchoredComment {
  path: string;
  /** Last line of the anchor. */
  line: number;
  /** First line when the anchor spans several lines (omit when equal to line). */
  startLine?: number;
  body: string;
  fingerprint: string;
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  title: string;
  message: string;
  raw_details?: string;
}

export interface CheckOutput {
  title: string;
  /** ≤ 65,535 characters. */
  summary: string;
  /** ≤ 65,535 characters; optional detail text. */
  text?: string;
}

export interface Engine {
  /** Parse and simulate one side. Never throws on bad input: config errors become findings. */
  runSide(files: FileMap, policy: Policy): Run;
  /** Compare base and head, compute verified fixes, decide the verdict. */
  review(base: Run, head: Run, policy: Policy): Review;
  renderCheckOutput(review: Review): CheckOutput;
  /** Sticky PR comment body, containing STICKY_MARKER; ≤ 65,535 characters. */
  renderStickyComment(review: Review): string;
  /** One comment per new/worsened finding that has an anchor; the shell drops those outside the diff. */
  renderReviewComments(review: Review): AnchoredComment[];
  renderAnnotations(review: Review): CheckAnnotation[];
  /** Every repository path the policy's instances read (to decide whether a PR touches Campaign files). */
  watchedPaths(policy: Policy): string[];
}

/** Hidden marker that identifies mx-guard's sticky comment. */
export const STICKY_MARKER = "<!-- mx-guard:sticky -->";
