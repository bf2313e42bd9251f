/**
 * Which lines of a pull request a review comment may sit on. GitHub rejects a whole review when one
 * comment is outside the diff (422), so anchors are checked against the `patch` of each file first:
 * a RIGHT-side line is commentable when it is inside a hunk (added or context line), and a
 * multi-line comment must stay within one hunk.
 */

/** RIGHT-side line number → index of the hunk that shows it, for one file. */
export type HunkLines = Map<number, number>;

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** Parses a unified-diff `patch` as the pull request files API returns it (no file headers). */
export function parsePatch(patch: string | undefined | null): HunkLines {
  const lines: HunkLines = new Map();
  if (!patch) return lines;
  let hunk = -1;
  let right = 0;
  for (const text of patch.split("\n")) {
    const header = HUNK_HEADER.exec(text);
    if (header) {
      hunk += 1;
      right = Number(header[1]);
      continue;
    }
    if (hunk < 0) continue;
    const kind = text[0];
    if (kind === "+" || kind === " ") {
      lines.set(right, hunk);
      right += 1;
    }
    // "-" lines exist on the LEFT side only; "\ No newline at end of file" and blanks are not lines.
  }
  return lines;
}

export type Placement = { kind: "range"; startLine: number; line: number } | { kind: "line"; line: number; narrowed: boolean };

/**
 * Where a comment anchored on `startLine..line` can go: the whole range when it lies in one hunk,
 * else the single `line` when that is in the diff (`narrowed`), else nowhere (null).
 */
export function placeComment(hunks: HunkLines | undefined, line: number, startLine?: number): Placement | null {
  if (!hunks) return null;
  const lastHunk = hunks.get(line);
  if (startLine === undefined || startLine === line) {
    return lastHunk === undefined ? null : { kind: "line", line, narrowed: false };
  }
  if (startLine < line && lastHunk !== undefined) {
    let sameHunk = true;
    for (let n = startLine; n <= line; n++) {
      if (hunks.get(n) !== lastHunk) {
        sameHunk = false;
        break;
      }
    }
    if (sameHunk) return { kind: "range", startLine, line };
  }
  return lastHunk === undefined ? null : { kind: "line", line, narrowed: true };
}
