import { groupDigits } from "../model/format.js";

/** Size limits of GitHub's API (docs/github-app.md#github-limits), and truncation that cuts the middle
 * so a report keeps both its verdict at the top and its end. */

/** Check run output summary/text, issue and review comment bodies: characters. */
export const MAX_BODY_CHARS = 65_535;
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

/** The notice inserted where the middle was cut. */
export function cutNotice(cutLines: number, cutChars: number): string {
  return (
    `> **Cut:** ${groupDigits(cutLines)} lines (${groupDigits(cutChars)} characters) were cut from the ` +
    "middle of this report to stay under GitHub's 65,535-character limit. Run `mx-guard diff` locally for the full report."
  );
}

/**
 * Keeps `text` under `max` characters by cutting whole lines from the middle and putting a notice
 * there. An open code fence or <details> in the kept head is closed before the notice, so the notice
 * and the kept tail render normally.
 */
export function cutMiddle(text: string, max: number = MAX_BODY_CHARS): string {
  if (text.length <= max) return text;
  const lines = text.split("\n");
  const reserve = cutNotice(lines.length, text.length).length + 64;
  const half = Math.floor((max - reserve) / 2);
  const head: string[] = [];
  let headChars = 0;
  for (const line of lines) {
    if (headChars + line.length + 1 > half) break;
    head.push(line);
    headChars += line.length + 1;
  }
  const tail: string[] = [];
  let tailChars = 0;
  for (let i = lines.length - 1; i >= head.length; i--) {
    const line = lines[i]!;
    if (tailChars + line.length + 1 > half) break;
    tail.unshift(line);
    tailChars += line.length + 1;
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
  const cutChars = Math.max(0, text.length - headChars - keptTail.reduce((sum, line) => sum + line.length + 1, 0));
  const out = [...head, ...closers, "", cutNotice(cutLines, cutChars), "", ...keptTail].join("\n");
  return out.length <= max ? out : `${out.slice(0, max - 1)}…`;
}
