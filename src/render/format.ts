/** Deterministic, locale-independent formatting shared by every renderer. */
import { groupDigits } from "../model/format.js";

/** 1234567 → "1,234,567"; null (not simulated: Enhanced MTA, relay) → "—". */
export function fmtInt(n: number | null): string {
  if (n === null) return "—";
  return groupDigits(Math.round(n));
}

/** Hours with one decimal ("5.5 h"); null (messages expire) → "expires"; undefined → "—". */
export function fmtHours(hours: number | null | undefined): string {
  if (hours === undefined) return "—";
  if (hours === null) return "expires";
  const rounded = Math.round(hours * 10) / 10;
  return `${groupDigits(Math.trunc(rounded))}${rounded % 1 === 0 ? "" : `.${Math.round((rounded % 1) * 10)}`} h`;
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${fmtInt(n)} ${n === 1 ? singular : pluralForm}`;
}

/**
 * Control characters (line endings aside) and bidirectional overrides: invisible, and able to make a
 * line read differently. Markdown and HTML output drop them.
 */
export const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A zero-width space as an entity: it breaks a mention, reference or autolink and renders as nothing. */
const BREAK = "&#8203;";

/**
 * Escapes text for inline Markdown (list items, paragraphs): emphasis, code, links, HTML, tables,
 * every line ending (a lone CR too), and what GitHub would turn into a ping or a link on the
 * author's behalf: @user and @org/team mentions, #123 and owner/repo#123 references, bare URLs.
 */
export function escapeMd(text: string): string {
  return text
    .replace(/[\\`*_[\]|~]/g, (ch) => `\\${ch}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r\n|[\r\n\u2028\u2029]/g, " ")
    .replace(INVISIBLE, "")
    .replace(/#(?=\d)/g, `#${BREAK}`)
    .replace(/@(?=[A-Za-z0-9_-])/g, `@${BREAK}`)
    .replace(/\b([A-Za-z][A-Za-z0-9+.-]*):(?=\/\/)/g, `$1${BREAK}:`)
    .replace(/\bwww\./gi, (match) => `${match.slice(0, 3)}${BREAK}.`);
}

/** A code span that survives any backticks inside `text`. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fence (``` or longer) that no line of `body` can close early. */
export function fenceFor(body: string): string {
  const longest = Math.max(0, ...(body.match(/`{3,}/g) ?? []).map((run) => run.length));
  return "`".repeat(Math.max(3, longest + 1));
}

/** Location "file:line" or "file:line-endLine". */
export function location(file: string, line: number, endLine: number): string {
  if (!file) return "(no file)";
  if (line < 1) return file;
  return endLine > line ? `${file}:${line}-${endLine}` : `${file}:${line}`;
}
