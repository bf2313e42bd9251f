/**
 * The engine the shells use: the pure core behind the `Engine` interface (src/engine/api.ts).
 */
import type { Engine } from "./api.js";
import { runSide, watchedPaths } from "./run.js";
import { review } from "../review/review.js";
import {
  renderAnnotations,
  renderCheckOutput,
  renderReviewComments,
  renderStickyComment,
} from "../render/index.js";

export const defaultEngine: Engine = {
  runSide,
  review: (base, head, policy) => review(base, head, policy),
  renderCheckOutput,
  renderStickyComment,
  renderReviewComments,
  renderAnnotations,
  watchedPaths,
};
