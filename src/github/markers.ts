/**
 * Hidden HTML comments the App writes into what it posts, and reads back to know what it already
 * posted (the engine marks each inline comment body itself; the review-body marker is the record). Read back only from content the App itself authored (GraphQL `viewerDidAuthor`): a marker
 * alone proves nothing, since anyone can quote it.
 */
import { fingerprintMarker, parseFingerprintMarker } from "../render/review-comments.js";

/** Marker in a review's body: every fingerprint the review carries inline comments for. */
export function reviewMarker(fingerprints: string[]): string {
  return `<!-- mx-guard:review fingerprints=${fingerprints.map(encodeURIComponent).join(",")} -->`;
}

const REVIEW_MARKER = /<!-- mx-guard:review fingerprints=([^\s>]*) -->/g;

/** Fingerprints named by the review markers in `body`. */
export function readFingerprints(body: string): string[] {
  const found: string[] = [];
  for (const match of body.matchAll(REVIEW_MARKER)) {
    for (const part of (match[1] ?? "").split(",")) if (part) found.push(safeDecode(part));
  }
  return found;
}

/** A fingerprint as an inline comment's marker carries it (pr-history.ts reads it back so). */
export function markedFingerprint(fingerprint: string): string {
  return parseFingerprintMarker(fingerprintMarker(fingerprint)) ?? fingerprint;
}

/** Marker on a `comment: new` sticky comment: the head commit it reports on. */
export function headMarker(sha: string): string {
  return `<!-- mx-guard:head ${sha} -->`;
}

export function hasHeadMarker(body: string, sha: string): boolean {
  return body.includes(headMarker(sha));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
