/**
 * The pull request review: one per head commit, event COMMENT, with an inline comment for each new
 * finding whose anchor is inside the diff and whose fingerprint mx-guard has not commented on yet.
 * A finding that cannot be placed stays in the check run's summary and annotations only.
 */
import type { ReviewComment } from "../model/outputs.js";
import { reviewCommentBody, type SuggestionPlacement } from "../render/review-comments.js";
import { CHECK_NAME } from "./constants.js";
import { placeComment, type HunkLines, type Placement } from "./diff-lines.js";
import { reviewMarker } from "./markers.js";
import { normalizePath } from "./pull-request-files.js";
import { minimalWindow } from "./suggestion-window.js";
import { withOrigin } from "./origin.js";
import { postOnce, reviewBodies } from "./post-once.js";
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

/** Places each new comment on the diff first, then renders its body for the lines it got. */
export function planReview(comments: readonly ReviewComment[], hunks: Map<string, HunkLines>, posted: ReadonlySet<string>): ReviewPlan {
  const plan: ReviewPlan = { comments: [], fingerprints: [], outsideDiff: 0, alreadyPosted: 0 };
  const seen = new Set<string>();
  for (const comment of comments) {
    if (posted.has(comment.fingerprint)) {
      plan.alreadyPosted += 1;
      continue;
    }
    if (seen.has(comment.fingerprint)) continue;
    const path = normalizePath(comment.anchor.path);
    const placed = place(comment, hunks.get(path));
    if (!placed) {
      plan.outsideDiff += 1;
      continue;
    }
    if (plan.comments.length >= MAX_REVIEW_COMMENTS) continue;
    seen.add(comment.fingerprint);
    plan.fingerprints.push(comment.fingerprint);
    plan.comments.push({
      path,
      body: reviewCommentBody(comment, placed.suggestion),
      line: placed.at.line,
      side: "RIGHT",
      ...(placed.at.kind === "range" ? { start_line: placed.at.startLine, start_side: "RIGHT" as const } : {}),
    });
  }
  return plan;
}

/**
 * Where a comment goes and how its fix is shown: its own anchor when that fits in one hunk; else the
 * lines its suggestion really changes, when those fit; else its last line with the fix as plain
 * code; else nowhere.
 */
function place(comment: ReviewComment, hunks: HunkLines | undefined): { at: Placement; suggestion: SuggestionPlacement } | null {
  const { line, startLine } = comment.anchor;
  const at = placeComment(hunks, line, startLine);
  if (at && !(at.kind === "line" && at.narrowed)) return { at, suggestion: { kind: "anchor" } };
  const narrowed = narrowSuggestion(comment, hunks);
  if (narrowed) return narrowed;
  if (at) return { at, suggestion: { kind: "by-hand", startLine: startLine ?? line, line } };
  return null;
}

/** The suggestion cut down to the lines it changes, placed there when those lines are in one hunk. */
function narrowSuggestion(comment: ReviewComment, hunks: HunkLines | undefined): { at: Placement; suggestion: SuggestionPlacement } | null {
  const suggestion = comment.suggestion;
  if (suggestion === undefined || suggestion.replaces === null) return null;
  const first = comment.anchor.startLine ?? comment.anchor.line;
  const lineCount = suggestion.replaces.split("\n").length;
  const window = minimalWindow(suggestion.replaces, 1, lineCount, suggestion.text);
  if (!window) return null;
  const at = placeComment(hunks, first - 1 + window.line, first - 1 + window.startLine);
  if (!at || (at.kind === "line" && at.narrowed)) return null;
  return { at, suggestion: { kind: "window", replacement: window.replacement } };
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
    const body = withOrigin(gh, reviewBody(plan));
    const send = () =>
      gh.octokit.rest.pulls.createReview({
        owner: gh.owner,
        repo: gh.repo,
        pull_number: pull.number,
        commit_id: pull.headSha,
        event: "COMMENT",
        body,
        comments: plan.comments,
      });
    await postOnce(gh, "review", body, send, () => reviewBodies(gh, pull.number));
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
