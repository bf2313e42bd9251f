/**
 * Shrinks a suggestion to the lines it really changes. The engine anchors a fix on a whole item
 * (e.g. an MX rule, lines 4–12) while the pull request usually changed one of its lines, and GitHub
 * shows only 3 lines of context around a change: the full range rarely fits in one hunk, the
 * trimmed one usually does, and it stays a one-click suggestion.
 */

export interface SuggestionWindow {
  startLine: number;
  line: number;
  replacement: string;
}

/**
 * The smallest line range of `fileText` (within startLine..line) that `suggestion` changes, with
 * its replacement. Null when the suggestion changes nothing or the lines are not in the file.
 */
export function minimalWindow(fileText: string, startLine: number, line: number, suggestion: string): SuggestionWindow | null {
  const fileLines = fileText.split("\n");
  if (startLine < 1 || line < startLine || line > fileLines.length) return null;
  const orig = fileLines.slice(startLine - 1, line);
  const sug = suggestion.replace(/\n$/, "").split("\n");
  const n = orig.length;
  const m = sug.length;
  let p = 0;
  while (p < n && p < m && orig[p] === sug[p]) p++;
  let q = 0;
  while (q < n - p && q < m - p && orig[n - 1 - q] === sug[m - 1 - q]) q++;
  if (p === n && p === m) return null;
  let from = p;
  let to = n - q; // exclusive, in orig
  let replacement = sug.slice(p, m - q);
  if (to === from) {
    // A pure insertion: keep one neighbouring line so the suggestion has a line to sit on.
    if (from > 0) {
      from -= 1;
      replacement = [orig[from] ?? "", ...replacement];
    } else {
      replacement = [...replacement, orig[to] ?? ""];
      to += 1;
    }
  }
  return { startLine: startLine + from, line: startLine + to - 1, replacement: replacement.join("\n") };
}
