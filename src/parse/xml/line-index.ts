import type { SourcePos } from "../../model/source.js";

/**
 * Turns string offsets into 1-based line/column positions. Line breaks are LF, CRLF and lone CR;
 * columns count UTF-16 code units, and a leading byte-order mark does not count.
 */
export class LineIndex {
  private readonly starts: number[];

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  at(offset: number): SourcePos {
    // Binary search for the last line start ≤ offset.
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: Math.max(1, offset - this.starts[lo]! + 1) };
  }
}
