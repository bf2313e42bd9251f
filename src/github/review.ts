/**
 * The pull request review: one per head commit, event COMMENT, with an inline comment for each new
 * finding whose anchor is inside the diff and whose fingerprint mx-guard has not commented on yet.
 * A finding that cannot be placed stays in the check run's summary and annotations only.
 */
import type { AnchoredComment } from "../engine/api.js";
import { cutMiddle } from "../render/truncate.js";
import { CHECK_NAME } from "./constants.js";
import { placeComment, type HunkLines, type Placement } from "./diff-lines.js";
import { reviewMarker } from "./markers.js";
import { normalizePath } from "./pull-request-files.js";
import { minimalWindow, replaceSuggestion } from "./suggestion-window.js";
import type { GitHub, PullTarget } from "./types.js";

/** GitHub documents no maximum; very large reviews are reported to fail. The rest wait for a later push. */
export const MAX_REVIEW_COMMENTS = 50;

export interface ReviewCommentInput {
  path: string;
  body: string;
  line: number;
  side: "RIGHT";
  start_line?: number;
  start_side?: "RIGHT";
}

export interface ReviewPlan {
  comments: ReviewCommentInput[];
  fingerprints: string[];
  /** Anchored comments outside the diff (left to the summary and annotations). */
  outsideDiff: number;
  /** Comments skipped because mx-guard already commented on their fingerprint. */
  alreadyPosted: number;
}

/** What the engine knows that the plan needs to shrink a suggestion (head file texts, fixes). */
export interface SuggestionSource {
  fileText(path: string): string | null | undefined;
  suggestion(fingerprint: string): string | undefined;
}

export const NO_SUGGESTIONS: SuggestionSource = { fileText: () => undefined, suggestion: () => undefined };

export function planReview(
  anchored: AnchoredComment[],
  hunks: Map<string, HunkLines>,
  posted: ReadonlySet<string>,
  source: SuggestionSource = NO_SUGGESTIONS,
): ReviewPlan {
  const plan: ReviewPlan = { comments: [], fingerprints: [], outsideDiff: 0, alreadyPosted: 0 };
  const seen = new Set<string>();
  for (const comment of anchored) {
    if (posted.has(comment.fingerprint)) {
      plan.alreadyPosted += 1;
      continue;
    }
    if (seen.has(comment.fingerprint)) continue;
    const path = normalizePath(comment.path);
    const placed = place(comment, hunks.get(path), source);
    if (!placed) {
      plan.outsideDiff += 1;
      continue;
    }
    if (plan.comments.length >= MAX_REVIEW_COMMENTS) continue;
    seen.add(comment.fingerprint);
    plan.fingerprints.push(comment.fingerprint);
    plan.comments.push({
      path,
      body: cutMiddle(placed.body),
      line: placed.at.line,
      side: "RIGHT",
      ...(placed.at.kind === "range" ? { start_line: placed.at.startLine, start_side: "RIGHT" as const } : {}),
    });
  }
  return plan;
}

/**
 * Where a comment goes and with which body: its own anchor when that fits in one hunk; else the
 * lines its suggestion really changes, when those fit; else its last line with the suggestion shown
 * as plain code; else nowhere.
 */
function place(comment: AnchoredComment, hunks: HunkLines | undefined, source: SuggestionSource): { at: Placement; body: string } | null {
  const at = placeComment(hunks, comment.line, comment.startLine);
  if (at && !(at.kind === "line" && at.narrowed)) return { at, body: comment.body };
  const shrunk = shrinkSuggestion(comment, hunks, source);
  if (shrunk) return shrunk;
  if (at) return { at, body: narrowedBody(comment) };
  return null;
}

function shrinkSuggestion(comment: AnchoredComment, hunks: HunkLines | undefined, source: SuggestionSource): { at: Placement; body: string } | null {
  const suggestion = source.suggestion(comment.fingerprint);
  const text = source.fileText(normalizePath(comment.path));
  if (suggestion === undefined || typeof text !== "string") return null;
  const window = minimalWindow(text, comment.startLine ?? comment.line, comment.line, suggestion);
  if (!window) return null;
  const at = placeComment(hunks, window.line, window.startLine);
  if (!at || (at.kind === "line" && at.narrowed)) return null;
  const body = replaceSuggestion(comment.body, suggestion, window.replacement);
  return body === null ? null : { at, body };
}

/**
 * The anchor spans lines that are not all in one hunk, so the comment sits on its last line only.
 * A suggestion block would then replace that one line: it is shown as plain code instead.
 */
function narrowedBody(comment: AnchoredComment): string {
  const plain = comment.body.replace(/^(\s*(?:`{3,}|~{3,}))suggestion[^\n]*$/gm, "$1");
  if (plain === comment.body) return comment.body;
  return `${plain}\n\n_The fix covers lines ${comment.startLine}–${comment.line}, which are not all part of this diff: apply it by hand._`;
}

export function reviewBody(plan: ReviewPlan): string {
  const n = plan.comments.length;
  const lines = [
    `**${CHECK_NAME}** left ${n} comment${n === 1 ? "" : "s"} on changed lines. The **${CHECK_NAME}** check has the full report` +
      (plan.outsideDiff > 0 ? `, including ${plan.outsideDiff} finding${plan.outsideDiff === 1 ? "" : "s"} on lines outside this diff.` : "."),
    "",
    reviewMarker(plan.fingerprints),
  ];
  return lines.join("\n");
}

export type ReviewOutcome = "posted" | "nothing-new" | "rejected";

/** Posts the planned review. A 422 (GitHub refused an anchor) is logged, not retried. */
export async function postReview(gh: GitHub, pull: PullTarget, plan: ReviewPlan): Promise<ReviewOutcome> {
  if (plan.comments.length === 0) return "nothing-new";
  try {
    await gh.octokit.rest.pulls.createReview({
      owner: gh.owner,
      repo: gh.repo,
      pull_number: pull.number,
      commit_id: pull.headSha,
      event: "COMMENT",
      body: reviewBody(plan),
      comments: plan.comments,
    });
    return "posted";
  } catch (error) {
    if ((error as { status?: unknown }).status !== 422) throw error;
    gh.log.warn(
      { pull: pull.number, comments: plan.comments.length, message: (error as Error).message },
      "GitHub rejected the review (422); the findings stay in the check run",
    );
    return "rejected";
  }
}
