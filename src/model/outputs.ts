/**
 * The shapes the core hands to every shell besides the review itself: the check run's text and the
 * review comments, kept structured so that the GitHub shell places a comment on diff lines first and
 * renders its body last (src/render/review-comments.ts renders it for the chosen lines).
 */

/** The check run's output text (Markdown). GitHub's own field names stay in src/github/. */
export interface CheckOutput {
  title: string;
  summary: string;
  /** Optional detail text. */
  text?: string;
}

/** The head-side lines a comment belongs to: startLine..line (startLine omitted on one line). */
export interface CommentAnchor {
  path: string;
  line: number;
  startLine?: number;
}

/** A fix as whole replacement lines for the anchor, with the lines it replaces (for narrowing). */
export interface CommentSuggestion {
  /** Replacement for every line of the anchor. */
  text: string;
  /** The anchor's current lines at the head, or null when the file text is not known. */
  replaces: string | null;
}

/** One review comment before placement: what it is about, its prose, and an optional fix. */
export interface ReviewComment {
  anchor: CommentAnchor;
  fingerprint: string;
  /** Markdown: the finding's headline and message, without the suggestion block or the marker. */
  prose: string;
  suggestion?: CommentSuggestion;
}
