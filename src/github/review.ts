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

/**
 * Inline comments per review. GitHub documents no maximum, but larger reviews trip its abuse
 * detection ("You have triggered an abuse detection mechanism"); reviewdog stops at 30 for that
 * reason. The findings past it are listed in the review's body instead.
 */
export const MAX_REVIEW_COMMENTS = 30;
/** Findings past MAX_REVIEW_COMMENTS listed one per line in the body; the check run has all of them. */
const MAX_LISTED = 100;

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
  /** Placeable findings past MAX_REVIEW_COMMENTS: listed in the review body, not commented inline. */
  listed: { path: string; line: number; headline: string }[];
}

/** Places each new comment on the diff first, then renders its body for the lines it got. */
export function planReview(comments: readonly ReviewComment[], hunks: Map<string, HunkLines>, posted: ReadonlySet<string>): ReviewPlan {
  const plan: ReviewPlan = { comments: [], fingerprints: [], outsideDiff: 0, alreadyPosted: 0, listed: [] };
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
    seen.add(comment.fingerprint);
    plan.fingerprints.push(comment.fingerprint);
    if (plan.comments.length >= MAX_REVIEW_COMMENTS) {
      plan.listed.push({ path, line: placed.at.line, headline: headline(comment.prose) });
      continue;
    }
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
  if (comment.suggestion === undefined && startLine !== undefined && hunks) {
    // A finding on a whole rule whose last line is outside the diff: comment on the last of its
    // lines the diff shows (usually the changed one), rather than not at all.
    for (let n = line - 1; n >= startLine; n--) {
      if (hunks.has(n)) return { at: { kind: "line", line: n, narrowed: true }, suggestion: { kind: "anchor" } };
    }
  }
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

/** The first line of a comment's prose, without Markdown emphasis, for a one-line list entry. */
function headline(prose: string): string {
  const first = prose.split("\n").find((line) => line.trim() !== "") ?? "";
  return first.replace(/[*_`]/g, "").trim().slice(0, 200);
}

export function reviewBody(plan: ReviewPlan): string {
  const n = plan.comments.length;
  const lines = [
    `**${CHECK_NAME}** left ${n} comment${n === 1 ? "" : "s"} on changed lines. The **${CHECK_NAME}** check has the full report` +
      (plan.outsideDiff > 0
        ? `, including ${plan.outsideDiff} finding${plan.outsideDiff === 1 ? "" : "s"} on lines outside this diff.`
        : "."),
  ];
  if (plan.listed.length > 0) {
    const more = plan.listed.length;
    lines.push(
      "",
      `${more} more finding${more === 1 ? "" : "s"} on changed lines (one review carries at most ${MAX_REVIEW_COMMENTS} comments):`,
      "",
    );
    for (const item of plan.listed.slice(0, MAX_LISTED)) lines.push(`- \`${item.path}:${item.line}\`: ${item.headline}`);
    if (more > MAX_LISTED) lines.push(`- … and ${more - MAX_LISTED} more in the check run.`);
  }
  lines.push("", reviewMarker(plan.fingerprints));
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
