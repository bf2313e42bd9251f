/** Inline review comments, one per new or worsened finding with an anchor (SPEC §8). */
import type { AnchoredComment } from "../engine/api.js";
import type { Review } from "../engine/types.js";
import type { ReviewedFinding } from "../model/findings.js";
import { escapeMd, fenceFor } from "./format.js";
import { magnitudeChange } from "./findings-list.js";
import { isChange } from "./headline.js";
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

export function reviewCommentBody(finding: ReviewedFinding): string {
  const change = finding.status === "worsened" ? magnitudeChange(finding.baseMagnitude, finding.magnitude) : "";
  const lines = [
    `**mx-guard** · **${finding.severity}** · \`${finding.id}\` · ${finding.status}${change ? ` (${escapeMd(change)})` : ""}`,
    "",
    escapeMd(finding.message),
  ];
  if (finding.suggestion !== undefined) {
    const fence = fenceFor(finding.suggestion);
    lines.push("", `${fence}suggestion`, finding.suggestion, fence);
  }
  const marker = fingerprintMarker(finding.fingerprint);
  const body = cutMiddle(lines.join("\n"), MAX_BODY_CHARS - marker.length - 2);
  return `${body}\n\n${marker}`;
}

/**
 * New and worsened findings that have a file and a line, in review order. `line` is the last line,
 * `startLine` the first (omitted on one line): a suggestion replaces exactly startLine..line.
 */
export function renderReviewComments(review: Review): AnchoredComment[] {
  const out: AnchoredComment[] = [];
  for (const finding of review.findings) {
    if (!isChange(finding) || !finding.file || finding.line < 1) continue;
    const end = Math.max(finding.line, finding.endLine);
    const comment: AnchoredComment = { path: finding.file, line: end, body: reviewCommentBody(finding), fingerprint: finding.fingerprint };
    if (end > finding.line) comment.startLine = finding.line;
    out.push(comment);
  }
  return out;
}
