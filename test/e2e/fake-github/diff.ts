/**
 * Line diff for the fake GitHub, made with jsdiff (`diff`): the unified-diff `patch` text GitHub
 * returns per file in `GET /pulls/{n}/files` (hunks only, no `---`/`+++` headers, 3 lines of
 * context, git's hunk headers, "\ No newline at end of file" markers), and the reverse: which
 * lines of a patch a review comment may sit on.
 */
import { applyPatch as jsdiffApply, parsePatch, structuredPatch, type StructuredPatchHunk } from "diff";

export interface SplitText {
  lines: string[];
  /** True when the text does not end with "\n" (and is not empty). */
  noFinalNewline: boolean;
}

export function splitLines(text: string): SplitText {
  if (text === "") return { lines: [], noFinalNewline: false };
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") {
    lines.pop();
    return { lines, noFinalNewline: false };
  }
  return { lines, noFinalNewline: true };
}

export interface PatchResult {
  patch: string;
  additions: number;
  deletions: number;
}

/**
 * Myers' diff slows down with the square of the edit length (two unrelated 5,000-line files take
 * seconds); past this many edited lines the file is shown as replaced whole, still a valid patch.
 */
const MAX_EDIT_LENGTH = 2_000;

/** GitHub-style patch (hunks only) from `oldText` to `newText`; "" when they are equal. */
export function unifiedPatch(oldText: string, newText: string, context = 3): PatchResult {
  if (oldText === newText) return { patch: "", additions: 0, deletions: 0 };
  const diffed = structuredPatch("", "", oldText, newText, undefined, undefined, { context, maxEditLength: MAX_EDIT_LENGTH });
  const hunks = diffed ? diffed.hunks : [replacedWhole(oldText, newText)];
  const lines = hunks.flatMap((hunk) => [hunkHeader(hunk), ...hunk.lines]);
  return {
    patch: lines.join("\n"),
    additions: lines.filter((line) => line.startsWith("+")).length,
    deletions: lines.filter((line) => line.startsWith("-")).length,
  };
}

/** One hunk deleting every old line and adding every new one (each side diffed against ""). */
function replacedWhole(oldText: string, newText: string): StructuredPatchHunk {
  const removed = oldText === "" ? [] : structuredPatch("", "", oldText, "", undefined, undefined, { context: 0 }).hunks;
  const added = newText === "" ? [] : structuredPatch("", "", "", newText, undefined, undefined, { context: 0 }).hunks;
  return {
    oldStart: 1,
    oldLines: removed[0]?.oldLines ?? 0,
    newStart: 1,
    newLines: added[0]?.newLines ?? 0,
    lines: [...(removed[0]?.lines ?? []), ...(added[0]?.lines ?? [])],
  };
}

/** git's header: ",1" left out, and an empty side named by the line before it (0 at the top). */
function hunkHeader(hunk: StructuredPatchHunk): string {
  const side = (start: number, count: number): string => (count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`);
  return `@@ -${side(hunk.oldStart, hunk.oldLines)} +${side(hunk.newStart, hunk.newLines)} @@`;
}

/** Lines a review comment may sit on: per side, line number → hunk index. */
export interface PatchLines {
  right: Map<number, number>;
  left: Map<number, number>;
  hunks: number;
}

/**
 * Reads a patch the way GitHub anchors review comments: RIGHT = added and context lines (head
 * numbering), LEFT = deleted and context lines (base numbering). Throws on a malformed hunk (jsdiff
 * checks the counts), so the fake never serves, or accepts comments against, a broken patch.
 */
export function patchLines(patch: string | undefined): PatchLines {
  const result: PatchLines = { right: new Map(), left: new Map(), hunks: 0 };
  if (!patch) return result;
  if (!patch.startsWith("@@ ")) throw new Error(`patch line 1 is not a hunk header: ${JSON.stringify(patch.split("\n")[0])}`);
  for (const hunk of parsePatch(patch).flatMap((file) => file.hunks)) {
    const index = result.hunks++;
    let oldNo = hunk.oldStart;
    let newNo = hunk.newStart;
    for (const line of hunk.lines) {
      if (line.startsWith(" ") || line.startsWith("-")) result.left.set(oldNo++, index);
      if (line.startsWith(" ") || line.startsWith("+")) result.right.set(newNo++, index);
    }
  }
  return result;
}

/** Applies a patch (as produced above) to `oldText` with jsdiff; used to prove patches are right. */
export function applyPatch(oldText: string, patch: string): string {
  if (patch === "") return oldText;
  const applied = jsdiffApply(oldText, patch);
  if (applied === false) throw new Error("the patch does not apply: a context or deleted line differs from the old text");
  return applied;
}
