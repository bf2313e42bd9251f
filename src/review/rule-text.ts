/**
 * Rewrites one MX rule's lines of mx-rules.yaml (or .json) with new values, touching nothing else:
 * indentation, comments, key order, quoting and "1,200"-style number formatting are kept. The result is
 * the replacement text for the rule's lines line..endLine — a GitHub suggestion.
 */
import type { MxRuleKey } from "../model/config.js";
import { groupDigits } from "../model/format.js";

/** New values by key, for an MX rule (MxRuleKey) or a traffic delivery (its keys as written). */
export type RuleEdit = Partial<Record<MxRuleKey | (string & {}), string | number>>;

/** Lines of a text, without their line endings. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** Index of a `#` comment that starts outside quotes (YAML: preceded by whitespace or at column 0). */
export function commentStart(line: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === "\\" && quote === '"') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return i;
  }
  return -1;
}

interface ValueToken {
  start: number;
  end: number;
  /** The quote character around the value, or "". */
  quote: string;
  /** The value without quotes. */
  content: string;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Finds `key:` on a line (plain, single- or double-quoted key) and the value token after it (empty when none). */
export function findValue(line: string, key: string, flow: boolean): ValueToken | null {
  const code = withoutComment(line);
  const pattern = new RegExp(`(^|[\\s{,])(?:-\\s+)?(["']?)${escapeRegex(key)}\\2\\s*:(?=\\s|$|["'\\d\\[{])`, "g");
  const match = pattern.exec(code);
  if (!match) return null;
  return tokenAt(code, skipBlanks(code, match.index + match[0].length), flow);
}

/** The value token of a plain or quoted scalar starting at or after `from` on `line`. */
function tokenFrom(line: string, from: number, flow: boolean): ValueToken | null {
  const code = withoutComment(line);
  const i = skipBlanks(code, from);
  return i >= code.length ? null : tokenAt(code, i, flow);
}

function withoutComment(line: string): string {
  const limit = commentStart(line);
  return limit === -1 ? line : line.slice(0, limit);
}

function skipBlanks(code: string, from: number): number {
  let i = from;
  while (i < code.length && (code[i] === " " || code[i] === "\t")) i++;
  return i;
}

/** The quoted or plain scalar that starts at `i` (a flow collection also ends it at `,` or `}`). */
function tokenAt(code: string, i: number, flow: boolean): ValueToken {
  const first = code[i];
  if (first === '"' || first === "'") {
    let j = i + 1;
    while (j < code.length && code[j] !== first) j += code[j] === "\\" && first === '"' ? 2 : 1;
    return { start: i, end: Math.min(j + 1, code.length), quote: first, content: code.slice(i + 1, j) };
  }
  let j = i;
  while (j < code.length && !(flow && (code[j] === "," || code[j] === "}"))) j++;
  while (j > i && /\s/.test(code[j - 1]!)) j--;
  return { start: i, end: j, quote: "", content: code.slice(i, j) };
}

function indentOf(line: string): number {
  return line.search(/\S/);
}

/** The next line that is neither blank nor only a comment, after index i. */
function nextContentLine(lines: string[], i: number): number {
  for (let j = i + 1; j < lines.length; j++) {
    const text = lines[j]!.trim();
    if (text !== "" && !text.startsWith("#")) return j;
  }
  return -1;
}

/**
 * Where the value of `key` sits when it is not on the key's line: `key:` with the value on the next,
 * deeper-indented line, or the explicit-key form `? key` followed by a `: value` line.
 */
function valueBelow(
  lines: string[],
  i: number,
  key: string,
  flow: boolean,
  emptyValue: boolean,
): { index: number; token: ValueToken } | null {
  const line = lines[i]!;
  const explicit = new RegExp(`^\\s*(?:-\\s+)?\\?\\s+(["']?)${escapeRegex(key)}\\1\\s*$`).test(
    line.slice(0, commentStart(line) === -1 ? line.length : commentStart(line)),
  );
  if (!emptyValue && !explicit) return null;
  const j = nextContentLine(lines, i);
  if (j === -1) return null;
  const next = lines[j]!;
  if (explicit) {
    const colon = /^(\s*):(?=\s|$)/.exec(next);
    if (!colon) return null;
    const token = tokenFrom(next, colon[0].length, flow);
    return token ? { index: j, token } : null;
  }
  // A deeper-indented scalar continues the key; a new `other:` key would not.
  if (indentOf(next) <= indentOf(line.replace(/^(\s*)-\s+/, "$1  ")) || /^\s*["']?[A-Za-z_][\w-]*["']?\s*:(\s|$)/.test(next)) return null;
  const token = tokenFrom(next, 0, flow);
  return token ? { index: j, token } : null;
}

/** Writes `value` the way `like` was written: thousands separators kept ("1,200"), underscores kept. */
export function formatLike(like: string, value: string | number): string {
  if (typeof value !== "number") return value;
  if (like.includes(",")) return groupDigits(value, ",");
  if (/\d_\d/.test(like)) return groupDigits(value, "_");
  return String(value);
}

function isFlowStyle(lines: string[]): boolean {
  return /^\s*(?:-\s*)?[{[]/.test(lines[0] ?? "");
}

function keyIndent(lines: string[]): string {
  for (const line of lines.slice(1)) {
    const m = /^(\s*)["']?[A-Za-z_][\w-]*["']?\s*:/.exec(line);
    if (m && commentStart(line) !== 0) return m[1]!;
  }
  const first = /^(\s*-\s+)/.exec(lines[0] ?? "");
  return first ? " ".repeat(first[1]!.length) : "";
}

function keysQuoted(lines: string[]): boolean {
  return lines.some((line) => /^\s*(?:-\s+)?"[A-Za-z_][\w-]*"\s*:/.test(line) || /[{,]\s*"[A-Za-z_][\w-]*"\s*:/.test(line));
}

/**
 * The rule's lines (1-based, inclusive) of `fileText` with `edit` applied, joined with "\n"; null when
 * the lines are out of range or a key could not be placed.
 */
export function editRuleText(fileText: string, span: { line: number; endLine: number }, edit: RuleEdit): string | null {
  const all = splitLines(fileText);
  if (span.line < 1 || span.endLine < span.line || span.endLine > all.length) return null;
  const lines = all.slice(span.line - 1, span.endLine);
  const flow = isFlowStyle(lines) || /^\s*[{[]/.test(fileText);
  for (const [key, value] of Object.entries(edit)) {
    if (value === undefined) continue;
    let done = false;
    for (let i = 0; i < lines.length && !done; i++) {
      const line = lines[i]!;
      if (commentStart(line) === line.search(/\S/) && line.trim().startsWith("#")) continue;
      const inline = findValue(line, key, flow);
      const below = valueBelow(lines, i, key, flow, inline !== null && inline.content === "" && inline.quote === "");
      if (!inline && !below) continue;
      const at = below ?? { index: i, token: inline! };
      const token = at.token;
      const target = lines[at.index]!;
      const quote = token.quote || (typeof value === "string" && flow ? '"' : "");
      const text = `${quote}${formatLike(token.content, value)}${quote}`;
      lines[at.index] = target.slice(0, token.start) + text + target.slice(token.end);
      done = true;
    }
    if (done) continue;
    const quoted = keysQuoted(lines);
    const keyText = quoted ? `"${key}"` : key;
    const valueText = typeof value === "string" && quoted ? `"${value}"` : String(value);
    if (flow) {
      for (let i = lines.length - 1; i >= 0 && !done; i--) {
        const line = lines[i]!;
        const limit = commentStart(line);
        const close = (limit === -1 ? line : line.slice(0, limit)).lastIndexOf("}");
        if (close === -1) continue;
        const before = line.slice(0, close).replace(/\s+$/, "");
        lines[i] = `${before}, ${keyText}: ${valueText}${line.slice(before.length)}`;
        done = true;
      }
      if (!done) return null;
    } else {
      let last = lines.length - 1;
      while (last > 0 && (lines[last]!.trim() === "" || lines[last]!.trim().startsWith("#"))) last--;
      lines.splice(last + 1, 0, `${keyIndent(lines)}${keyText}: ${valueText}`);
    }
  }
  return lines.join("\n");
}

/** `fileText` with lines line..endLine replaced by `replacement` (how GitHub applies a suggestion). */
export function applySuggestion(fileText: string, line: number, endLine: number, replacement: string): string {
  const eol = fileText.includes("\r\n") ? "\r\n" : "\n";
  const all = splitLines(fileText);
  all.splice(line - 1, endLine - line + 1, ...splitLines(replacement));
  return all.join(eol);
}
