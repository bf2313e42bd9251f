/**
 * Plain text that is safe to print in a terminal or a CI log, whatever a pull request put into
 * delivery names, masks, domains or heloHosts: control characters are shown as \uXXXX escapes, and
 * no line can start a GitHub workflow command (`::error::…`, legacy `##[…]`). See docs/contract.md.
 */

/** C0 and C1 controls, DEL, line/paragraph separators and bidirectional overrides. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_WITH_LINE_BREAKS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** One field on one line: every control character, line breaks included, becomes a \uXXXX escape. */
export function oneLine(text: string): string {
  return text.replace(UNSAFE_WITH_LINE_BREAKS, escapeChar);
}

/**
 * A whole text report made safe for terminals and CI logs: controls other than the line feed and
 * tab escaped, and a line that would begin a workflow command gets a space inside its marker.
 */
export function neutraliseTerminal(text: string): string {
  return text
    .replace(UNSAFE, escapeChar)
    .split("\n")
    .map((line) => line.replace(/^(\s*):(?=:)/, "$1: ").replace(/^(\s*)#(?=#\[)/, "$1# "))
    .join("\n");
}
