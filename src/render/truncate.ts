import { groupDigits } from "../model/format.js";

/** Size limits of GitHub's API (docs/github-app.md#github-limits), and truncation that cuts the middle
 * so a report keeps both its verdict at the top and its end. */

/**
 * Issue and review comment bodies: GitHub counts characters (65,536). JavaScript's `length` counts
 * UTF-16 units, never fewer than characters, so staying one under with it is always accepted.
 */
export const MAX_BODY_CHARS = 65_535;
/**
 * Check run output summary and text: GitHub counts UTF-8 bytes ("summary exceeds a maximum bytesize
 * of 65535"), so a report with `→ · –` has fewer characters to spend than a comment.
 */
export const MAX_CHECK_TEXT_BYTES = 65_535;
/** Annotation message and raw_details: 64 KB (bytes). */
export const MAX_ANNOTATION_BYTES = 65_535;
/** Annotation title: characters. */
export const MAX_TITLE_CHARS = 255;

/** At most `max` characters, with "…" at the end when cut. */
export function truncateChars(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** At most `maxBytes` UTF-8 bytes, never splitting a character; "…" at the end when cut. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength("…", "utf8");
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, "utf8");
    if (bytes + size > budget) break;
    bytes += size;
    end += ch.length;
  }
  return `${text.slice(0, end)}…`;
}

/** How a text limit is counted: characters (comment bodies) or UTF-8 bytes (check run texts). */
export type TextUnit = "characters" | "bytes";

/** The size of `text` in `unit`. */
export function measure(text: string, unit: TextUnit): number {
  return unit === "bytes" ? Buffer.byteLength(text, "utf8") : text.length;
}

/** The notice inserted where the middle was cut. */
export function cutNotice(cutLines: number, cutSize: number, unit: TextUnit = "characters"): string {
  const limitName = unit === "bytes" ? `${groupDigits(MAX_CHECK_TEXT_BYTES)}-byte` : `${groupDigits(MAX_BODY_CHARS)}-character`;
  return (
    `> **Cut:** ${groupDigits(cutLines)} lines (${groupDigits(cutSize)} ${unit}) were cut from the ` +
    `middle of this report to stay under GitHub's ${limitName} limit. Run \`mx-guard diff\` locally for the full report.`
  );
}

/** `cutMiddle` with a budget in UTF-8 bytes: for check run summaries and texts. */
export function cutMiddleBytes(text: string, maxBytes: number = MAX_CHECK_TEXT_BYTES): string {
  return cutMiddle(text, maxBytes, "bytes");
}

/**
 * Keeps `text` under `max` (characters, or UTF-8 bytes with `unit: "bytes"`) by cutting whole lines from the middle and putting a notice
 * there. An open code fence or <details> in the kept head is closed before the notice, so the notice
 * and the kept tail render normally.
 */
export function cutMiddle(text: string, max: number = MAX_BODY_CHARS, unit: TextUnit = "characters"): string {
  const size = (part: string): number => measure(part, unit);
  const total = size(text);
  if (total <= max) return text;
  const lines = text.split("\n");
  const reserve = size(cutNotice(lines.length, total, unit)) + 64;
  const half = Math.floor((max - reserve) / 2);
  const head: string[] = [];
  let headChars = 0;
  for (const line of lines) {
    if (headChars + size(line) + 1 > half) break;
    head.push(line);
    headChars += size(line) + 1;
  }
  const tail: string[] = [];
  let tailChars = 0;
  for (let i = lines.length - 1; i >= head.length; i--) {
    const line = lines[i]!;
    if (tailChars + size(line) + 1 > half) break;
    tail.unshift(line);
    tailChars += size(line) + 1;
  }
  const closers: string[] = [];
  let fence: string | null = null;
  let openDetails = 0;
  for (const line of head) {
    const m = /^\s*(`{3,})/.exec(line);
    if (m) fence = fence === null ? m[1]! : m[1]!.length >= fence.length ? null : fence;
    if (fence === null) {
      openDetails += (line.match(/<details>/g) ?? []).length;
      openDetails -= (line.match(/<\/details>/g) ?? []).length;
    }
  }
  if (fence !== null) closers.push(fence);
  for (let i = 0; i < openDetails; i++) closers.push("", "</details>");
  // A tail that starts inside a fence would render as code: drop tail lines up to that fence's end.
  let tailFence: string | null = null;
  for (const line of tail) {
    const m = /^\s*(`{3,})/.exec(line);
    if (m) tailFence = tailFence === null ? m[1]! : null;
  }
  let tailStart = 0;
  if (tailFence !== null) {
    const close = tail.findIndex((line) => /^\s*`{3,}/.test(line));
    tailStart = close + 1;
  }
  const keptTail = tail.slice(tailStart);
  const cutLines = lines.length - head.length - keptTail.length;
  const cutSize = Math.max(0, total - headChars - keptTail.reduce((sum, line) => sum + size(line) + 1, 0));
  const out = [...head, ...closers, "", cutNotice(cutLines, cutSize, unit), "", ...keptTail].join("\n");
  if (size(out) <= max) return out;
  return unit === "bytes" ? truncateUtf8(out, max) : `${out.slice(0, max - 1)}…`;
}
