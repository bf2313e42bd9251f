/**
 * Line diff for the fake GitHub: an LCS on lines (after trimming the common head and tail) turned
 * into the unified-diff `patch` text GitHub returns per file in `GET /pulls/{n}/files` (hunks only,
 * no `---`/`+++` headers, 3 lines of context, "\ No newline at end of file" markers), and the
 * reverse: which lines of a patch a review comment may sit on.
 */

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

type Op = { kind: " " | "-" | "+"; text: string; oldNo: number; newNo: number };

/** Above this many LCS cells the middle part is treated as replaced wholesale (still a valid diff). */
const MAX_CELLS = 25_000_000;

/** Edit script old → new: equal, deleted and added lines with their 1-based numbers (0 when absent). */
export function diffLines(oldLines: string[], newLines: string[]): Op[] {
  let head = 0;
  while (head < oldLines.length && head < newLines.length && oldLines[head] === newLines[head]) head++;
  let tail = 0;
  while (
    tail < oldLines.length - head &&
    tail < newLines.length - head &&
    oldLines[oldLines.length - 1 - tail] === newLines[newLines.length - 1 - tail]
  ) {
    tail++;
  }
  const a = oldLines.slice(head, oldLines.length - tail);
  const b = newLines.slice(head, newLines.length - tail);
  const ops: Op[] = [];
  for (let i = 0; i < head; i++) ops.push({ kind: " ", text: oldLines[i] ?? "", oldNo: i + 1, newNo: i + 1 });
  const middle = lcsScript(a, b);
  let o = head;
  let n = head;
  for (const step of middle) {
    if (step.kind === " ") {
      o++;
      n++;
      ops.push({ kind: " ", text: step.text, oldNo: o, newNo: n });
    } else if (step.kind === "-") {
      o++;
      ops.push({ kind: "-", text: step.text, oldNo: o, newNo: 0 });
    } else {
      n++;
      ops.push({ kind: "+", text: step.text, oldNo: 0, newNo: n });
    }
  }
  for (let i = 0; i < tail; i++) {
    o++;
    n++;
    ops.push({ kind: " ", text: oldLines[o - 1] ?? "", oldNo: o, newNo: n });
  }
  return ops;
}

function lcsScript(a: string[], b: string[]): { kind: " " | "-" | "+"; text: string }[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_CELLS) {
    return [...a.map((text) => ({ kind: "-" as const, text })), ...b.map((text) => ({ kind: "+" as const, text }))];
  }
  // lengths[i][j] = LCS of a[i..] and b[j..], row-major in one typed array.
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0);
    }
  }
  const out: { kind: " " | "-" | "+"; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ kind: " ", text: a[i] ?? "" });
      i++;
      j++;
    } else if ((lengths[(i + 1) * width + j] ?? 0) >= (lengths[i * width + j + 1] ?? 0)) {
      out.push({ kind: "-", text: a[i] ?? "" });
      i++;
    } else {
      out.push({ kind: "+", text: b[j] ?? "" });
      j++;
    }
  }
  while (i < n) out.push({ kind: "-", text: a[i++] ?? "" });
  while (j < m) out.push({ kind: "+", text: b[j++] ?? "" });
  return out;
}

export interface PatchResult {
  patch: string;
  additions: number;
  deletions: number;
}

/** GitHub-style patch (hunks only) from `oldText` to `newText`; "" when they are equal. */
export function unifiedPatch(oldText: string, newText: string, context = 3): PatchResult {
  const before = splitLines(oldText);
  const after = splitLines(newText);
  // A change of the final newline alone changes the last line, as in git.
  const oldLines = [...before.lines];
  const newLines = [...after.lines];
  const oldMarked = markLast(oldLines, before.noFinalNewline);
  const newMarked = markLast(newLines, after.noFinalNewline);
  const ops = diffLines(oldMarked, newMarked);
  const changed = ops.map((op, index) => (op.kind === " " ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return { patch: "", additions: 0, deletions: 0 };

  // Group changes whose context windows touch into hunks.
  const groups: { from: number; to: number }[] = [];
  for (const index of changed) {
    const from = Math.max(0, index - context);
    const to = Math.min(ops.length - 1, index + context);
    const last = groups[groups.length - 1];
    if (last && from <= last.to + 1) last.to = Math.max(last.to, to);
    else groups.push({ from, to });
  }

  const out: string[] = [];
  let additions = 0;
  let deletions = 0;
  for (const group of groups) {
    const slice = ops.slice(group.from, group.to + 1);
    const oldCount = slice.filter((op) => op.kind !== "+").length;
    const newCount = slice.filter((op) => op.kind !== "-").length;
    const oldStart = oldCount === 0 ? previousNumber(ops, group.from, "old") : (slice.find((op) => op.kind !== "+")?.oldNo ?? 0);
    const newStart = newCount === 0 ? previousNumber(ops, group.from, "new") : (slice.find((op) => op.kind !== "-")?.newNo ?? 0);
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
    for (const op of slice) {
      if (op.kind === "+") additions++;
      if (op.kind === "-") deletions++;
      const { text, noNewline } = unmark(op.text);
      out.push(`${op.kind}${text}`);
      if (noNewline) out.push("\\ No newline at end of file");
    }
  }
  return { patch: out.join("\n"), additions, deletions };
}

const NO_EOL = "\u0000mx-guard-e2e:no-eol";

function markLast(lines: string[], noFinalNewline: boolean): string[] {
  if (noFinalNewline && lines.length > 0) lines[lines.length - 1] = `${lines[lines.length - 1]}${NO_EOL}`;
  return lines;
}

function unmark(text: string): { text: string; noNewline: boolean } {
  return text.endsWith(NO_EOL) ? { text: text.slice(0, -NO_EOL.length), noNewline: true } : { text, noNewline: false };
}

/** For an empty side of a hunk, git names the line before it (0 at the top of the file). */
function previousNumber(ops: Op[], index: number, side: "old" | "new"): number {
  for (let i = index - 1; i >= 0; i--) {
    const op = ops[i];
    if (!op) continue;
    const no = side === "old" ? op.oldNo : op.newNo;
    if (no > 0) return no;
  }
  return 0;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** Lines a review comment may sit on: per side, line number → hunk index. */
export interface PatchLines {
  right: Map<number, number>;
  left: Map<number, number>;
  hunks: number;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Parses a patch the way GitHub anchors review comments: RIGHT = added and context lines (head
 * numbering), LEFT = deleted and context lines (base numbering). Throws on a malformed hunk, so the
 * fake never serves (or accepts comments against) a patch whose counts do not add up.
 */
export function patchLines(patch: string | undefined): PatchLines {
  const result: PatchLines = { right: new Map(), left: new Map(), hunks: 0 };
  if (!patch) return result;
  const rows = patch.split("\n");
  let index = 0;
  while (index < rows.length) {
    const header = HUNK.exec(rows[index] ?? "");
    if (!header) throw new Error(`patch line ${index + 1} is not a hunk header: ${JSON.stringify(rows[index])}`);
    const hunk = result.hunks++;
    let oldNo = Number(header[1]);
    let newNo = Number(header[3]);
    let oldLeft = header[2] === undefined ? 1 : Number(header[2]);
    let newLeft = header[4] === undefined ? 1 : Number(header[4]);
    index++;
    while (oldLeft > 0 || newLeft > 0) {
      const row = rows[index];
      if (row === undefined) throw new Error(`hunk ${hunk + 1} ends early`);
      const kind = row[0];
      if (kind === " ") {
        result.left.set(oldNo++, hunk);
        result.right.set(newNo++, hunk);
        oldLeft--;
        newLeft--;
      } else if (kind === "-") {
        result.left.set(oldNo++, hunk);
        oldLeft--;
      } else if (kind === "+") {
        result.right.set(newNo++, hunk);
        newLeft--;
      } else if (kind !== "\\") {
        throw new Error(`hunk ${hunk + 1}: unexpected line ${JSON.stringify(row)}`);
      }
      index++;
      if (oldLeft < 0 || newLeft < 0) throw new Error(`hunk ${hunk + 1}: more lines than its header says`);
    }
    while (rows[index]?.startsWith("\\")) index++;
  }
  return result;
}

/** Applies a patch (as produced above) to `oldText`; used to prove patches are right. */
export function applyPatch(oldText: string, patch: string): string {
  if (patch === "") return oldText;
  const before = splitLines(oldText);
  const source = before.lines;
  const out: string[] = [];
  let cursor = 0; // 0-based index into source
  let newNoEol = false;
  const rows = patch.split("\n");
  let index = 0;
  while (index < rows.length) {
    const header = HUNK.exec(rows[index] ?? "");
    if (!header) throw new Error(`bad hunk header ${JSON.stringify(rows[index])}`);
    const oldStart = Number(header[1]);
    const oldCount = header[2] === undefined ? 1 : Number(header[2]);
    const startIndex = oldCount === 0 ? oldStart : oldStart - 1;
    while (cursor < startIndex) out.push(source[cursor++] ?? "");
    index++;
    while (index < rows.length && !HUNK.test(rows[index] ?? "")) {
      const row = rows[index] ?? "";
      const next = rows[index + 1];
      const lastInFile = next !== undefined && next.startsWith("\\");
      if (row.startsWith(" ")) {
        if (source[cursor] !== row.slice(1)) throw new Error(`context mismatch at old line ${cursor + 1}`);
        out.push(row.slice(1));
        cursor++;
        if (lastInFile) newNoEol = true;
      } else if (row.startsWith("-")) {
        if (source[cursor] !== row.slice(1)) throw new Error(`deletion mismatch at old line ${cursor + 1}`);
        cursor++;
      } else if (row.startsWith("+")) {
        out.push(row.slice(1));
        newNoEol = lastInFile;
      }
      index++;
    }
  }
  while (cursor < source.length) out.push(source[cursor++] ?? "");
  if (cursor === source.length && before.noFinalNewline && out.length > 0 && out[out.length - 1] === source[source.length - 1]) {
    // The untouched last line keeps its missing newline unless a hunk covered it.
    if (!patchTouchesEnd(patch, source.length)) newNoEol = true;
  }
  if (out.length === 0) return "";
  return out.join("\n") + (newNoEol ? "" : "\n");
}

function patchTouchesEnd(patch: string, oldLength: number): boolean {
  const lines = patchLines(patch);
  return lines.left.has(oldLength);
}
