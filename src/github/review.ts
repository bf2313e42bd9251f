/**
 * The pull request review: one per head commit, event COMMENT, with an inline comment for each new
 * finding whose anchor is inside the diff and whose fingerprint mx-guard has not commented on yet.
 * A finding on a changed file but outside its hunks gets a file-level comment (`subject_type: file`,
 * posted right after the review: a review's own comments cannot be file-level). A finding on a file
 * the pull request does not change stays in the check run's summary and annotations only.
 */
import type { ReviewComment } from "../model/outputs.js";
import { reviewCommentBody, type SuggestionPlacement } from "../render/review-comments.js";
import { CHECK_NAME } from "./constants.js";
import { placeComment, type HunkLines, type Placement } from "./diff-lines.js";
import { reviewMarker } from "./markers.js";
import { normalizePath } from "./pull-request-files.js";
import { minimalWindow } from "./suggestion-window.js";
import { withOrigin } from "./origin.js";
import { postOnce, reviewBodies, reviewCommentBodies } from "./post-once.js";
import type { GitHub, PullTarget } from "./types.js";

/**
 * Inline comments per review. GitHub documents no maximum, but larger reviews trip its abuse
 * detection ("You have triggered an abuse detection mechanism"); reviewdog stops at 30 for that
 * reason. The findings past it are listed in the review's body instead.
 */
export const MAX_REVIEW_COMMENTS = 30;
/** Findings past MAX_REVIEW_COMMENTS listed one per line in the body; the check run has all of them. */
const MAX_LISTED = 100;
/** File-level comments per review: each is its own POST (GitHub's content-creation limits); reviewdog stops at 10. */
const MAX_FILE_COMMENTS = 10;

export interface ReviewCommentInput {
  path: string;
  body: string;
  line: number;
  side: "RIGHT";
  start_line?: number;
  start_side?: "RIGHT";
}

export interface FileCommentInput {
  path: string;
  body: string;
  subject_type: "file";
}

export interface ListedFinding {
  path: string;
  line: number;
  headline: string;
  /** "line": past MAX_REVIEW_COMMENTS; "file": outside the hunks, past MAX_FILE_COMMENTS. */
  over: "line" | "file";
}

export interface ReviewPlan {
  comments: ReviewCommentInput[];
  /** File-level comments for findings on changed files outside their hunks. */
  fileComments: FileCommentInput[];
  fingerprints: string[];
  /** Anchored comments on files the pull request does not change (left to the summary and annotations). */
  outsideDiff: number;
  /** Comments skipped because mx-guard already commented on their fingerprint. */
  alreadyPosted: number;
  /** Findings past the caps: listed in the review body, not commented. */
  listed: ListedFinding[];
}

/** Places each new comment on the diff first, then renders its body for the lines it got. */
export function planReview(comments: readonly ReviewComment[], hunks: Map<string, HunkLines>, posted: ReadonlySet<string>): ReviewPlan {
  const plan: ReviewPlan = { comments: [], fileComments: [], fingerprints: [], outsideDiff: 0, alreadyPosted: 0, listed: [] };
  const seen = new Set<string>();
  for (const comment of comments) {
    if (posted.has(comment.fingerprint)) {
      plan.alreadyPosted += 1;
      continue;
    }
    if (seen.has(comment.fingerprint)) continue;
    const path = normalizePath(comment.anchor.path);
    const fileHunks = hunks.get(path);
    const placed = place(comment, fileHunks);
    if (!placed && !fileHunks) {
      plan.outsideDiff += 1;
      continue;
    }
    seen.add(comment.fingerprint);
    plan.fingerprints.push(comment.fingerprint);
    if (!placed) {
      // A changed file, but the finding's lines are not in its hunks: a file-level comment.
      const { line, startLine } = comment.anchor;
      if (plan.fileComments.length >= MAX_FILE_COMMENTS) {
        plan.listed.push({ path, line, headline: headline(comment.prose), over: "file" });
        continue;
      }
      const body = reviewCommentBody(comment, { kind: "file", startLine: startLine ?? line, line });
      plan.fileComments.push({ path, body, subject_type: "file" });
      continue;
    }
    if (plan.comments.length >= MAX_REVIEW_COMMENTS) {
      plan.listed.push({ path, line: placed.at.line, headline: headline(comment.prose), over: "line" });
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

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

export function reviewBody(plan: ReviewPlan): string {
  const n = plan.comments.length;
  const files = plan.fileComments.length;
  const lines = [
    `**${CHECK_NAME}** left ${plural(n, "comment")} on changed lines` +
      (files > 0 ? ` and ${plural(files, "file-level comment")} on findings outside the diff's lines` : "") +
      `. The **${CHECK_NAME}** check has the full report` +
      (plan.outsideDiff > 0 ? `, including ${plural(plan.outsideDiff, "finding")} on files this pull request does not change.` : "."),
  ];
  let listedSoFar = 0;
  for (const over of ["line", "file"] as const) {
    const items = plan.listed.filter((item) => item.over === over);
    if (items.length === 0) continue;
    lines.push(
      "",
      over === "line"
        ? `${plural(items.length, "more finding")} on changed lines (one review carries at most ${MAX_REVIEW_COMMENTS} comments):`
        : `${plural(items.length, "more finding")} outside the diff's lines (at most ${MAX_FILE_COMMENTS} file-level comments per review):`,
      "",
    );
    const room = Math.max(0, MAX_LISTED - listedSoFar);
    for (const item of items.slice(0, room)) lines.push(`- \`${item.path}:${item.line}\`: ${item.headline}`);
    if (items.length > room) lines.push(`- … and ${items.length - room} more in the check run.`);
    listedSoFar += Math.min(items.length, room);
  }
  lines.push("", reviewMarker(plan.fingerprints));
  return lines.join("\n");
}

export type ReviewOutcome = "posted" | "nothing-new" | "rejected";

/**
 * Posts the planned review, then its file-level comments. A 422 (GitHub refused an anchor) is
 * logged, not retried; a file-level comment that fails is logged and the others are still posted.
 */
export async function postReview(gh: GitHub, pull: PullTarget, plan: ReviewPlan): Promise<ReviewOutcome> {
  if (plan.comments.length === 0 && plan.fileComments.length === 0) return "nothing-new";
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
    await postFileComments(gh, pull, plan.fileComments);
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

async function postFileComments(gh: GitHub, pull: PullTarget, comments: FileCommentInput[]): Promise<void> {
  for (const comment of comments) {
    const body = withOrigin(gh, comment.body);
    const send = () =>
      gh.octokit.rest.pulls.createReviewComment({
        owner: gh.owner,
        repo: gh.repo,
        pull_number: pull.number,
        commit_id: pull.headSha,
        path: comment.path,
        subject_type: "file",
        body,
      });
    try {
      await postOnce(gh, "file-level comment", body, send, () => reviewCommentBodies(gh, pull.number));
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status !== 422 && status !== 403) throw error;
      gh.log.warn(
        { pull: pull.number, path: comment.path, status, message: (error as Error).message },
        "GitHub refused a file-level comment; the finding stays in the check run",
      );
    }
  }
}
