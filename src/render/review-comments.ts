/**
 * Inline review comments, one per new or worsened finding with an anchor (docs/contract.md). The
 * comments leave the core structured (model/outputs.ts); the GitHub shell chooses the diff lines and
 * then asks `reviewCommentBody` for the body that fits them.
 */
import { isChange, type ReviewedFinding } from "../model/findings.js";
import type { CommentSuggestion, ReviewComment } from "../model/outputs.js";
import type { Review } from "../model/review.js";
import { magnitudeChange } from "./findings-list.js";
import { escapeMd, fenceFor } from "./format.js";
import { cutMiddle, MAX_BODY_CHARS } from "./truncate.js";

/** The hidden marker the app uses to skip comments it already posted on the PR. */
export function fingerprintMarker(fingerprint: string): string {
  return `<!-- mx-guard:fp=${fingerprint.replace(/[^A-Za-z0-9_.:-]/g, "")} -->`;
}

/** Reads the fingerprint back from a posted comment body (null when the body is not ours). */
export function parseFingerprintMarker(body: string): string | null {
  const match = /<!-- mx-guard:fp=([A-Za-z0-9_.:-]+) -->/.exec(body);
  return match ? match[1]! : null;
}

/**
 * How the fix is shown once the comment is placed: a one-click suggestion of the anchor's lines
 * (`anchor`), of a narrower window of them (`window`, with the window's replacement lines), or as
 * plain code to apply by hand when the comment could only be placed on the anchor's last line.
 */
export type SuggestionPlacement =
  | { kind: "anchor" }
  | { kind: "window"; replacement: string }
  | { kind: "by-hand"; startLine: number; line: number }
  /** A file-level comment (the finding's lines are outside the diff): where it is, the fix as plain code. */
  | { kind: "file"; startLine: number; line: number };

export function reviewCommentBody(comment: ReviewComment, placement: SuggestionPlacement = { kind: "anchor" }): string {
  const lines = [comment.prose];
  if (placement.kind === "file") {
    const where = placement.startLine < placement.line ? `lines ${placement.startLine}–${placement.line}` : `line ${placement.line}`;
    lines.push("", `_On ${where} of this file, which this diff does not show._`);
  }
  const suggestion = comment.suggestion;
  if (suggestion !== undefined) {
    const text = placement.kind === "window" ? placement.replacement : suggestion.text;
    const fence = fenceFor(text);
    const plain = placement.kind === "by-hand" || placement.kind === "file";
    lines.push("", `${fence}${plain ? "" : "suggestion"}`, text, fence);
    if (placement.kind === "by-hand") {
      lines.push(
        "",
        `_The fix covers lines ${placement.startLine}–${placement.line}, which are not all part of this diff: apply it by hand._`,
      );
    }
  }
  const marker = fingerprintMarker(comment.fingerprint);
  const body = cutMiddle(lines.join("\n"), MAX_BODY_CHARS - marker.length - 2);
  return `${body}\n\n${marker}`;
}

/** The finding's headline and message as Markdown, without a suggestion block. */
function prose(finding: ReviewedFinding): string {
  const change = finding.status === "worsened" ? magnitudeChange(finding.baseMagnitude, finding.magnitude) : "";
  return [
    `**mx-guard** · **${finding.severity}** · \`${finding.id}\` · ${finding.status}${change ? ` (${escapeMd(change)})` : ""}`,
    "",
    escapeMd(finding.message),
  ].join("\n");
}

/** The head lines startLine..line of `text`, or null when they are not all there. */
function linesOf(text: string | null | undefined, startLine: number, line: number): string | null {
  if (typeof text !== "string") return null;
  const lines = text.split("\n");
  if (startLine < 1 || line > lines.length) return null;
  return lines.slice(startLine - 1, line).join("\n");
}

/**
 * New and worsened findings that have a file and a line, in review order. `line` is the last line,
 * `startLine` the first (omitted on one line): a suggestion replaces exactly startLine..line.
 */
export function reviewComments(review: Review): ReviewComment[] {
  const out: ReviewComment[] = [];
  for (const finding of review.findings) {
    if (!isChange(finding) || !finding.file || finding.line < 1) continue;
    const end = Math.max(finding.line, finding.endLine);
    const comment: ReviewComment = {
      anchor: { path: finding.file, line: end, ...(end > finding.line ? { startLine: finding.line } : {}) },
      fingerprint: finding.fingerprint,
      prose: prose(finding),
    };
    if (finding.suggestion !== undefined) {
      const suggestion: CommentSuggestion = {
        text: finding.suggestion,
        replaces: linesOf(review.head.files[finding.file], finding.line, end),
      };
      comment.suggestion = suggestion;
    }
    out.push(comment);
  }
  return out;
}

/** Each comment with the body it gets when placed on its own anchor (the report of record). */
export function renderReviewComments(review: Review) {
  return reviewComments(review).map((comment) => ({
    path: comment.anchor.path,
    line: comment.anchor.line,
    body: reviewCommentBody(comment),
    fingerprint: comment.fingerprint,
    ...(comment.anchor.startLine !== undefined ? { startLine: comment.anchor.startLine } : {}),
  }));
}
