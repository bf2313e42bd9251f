/**
 * Mapping keys counted while the YAML parser's tokens go by, before any document is composed: a file
 * with more keys, or one mapping with more keys, than any file within the count limits can have is
 * refused at the first key over the bound (docs/limits.md#counts-and-sizes). Composing a 4 MB file
 * costs seconds and hundreds of MB; counting its tokens up to the bound costs almost nothing.
 */
import type { CST, LineCounter } from "yaml";
import type { ConfigIssue } from "../../model/errors.js";
import { formatLimit } from "../limits.js";

/** The most keys a file of one kind can have while every count is within its limit (see each parser). */
export interface KeyBounds {
  /** Keys in the whole file. */
  total: number;
  /** Keys in any one mapping. */
  perMapping: number;
  /** How `total` is made up, e.g. "1,000 MX rules × 10 keys + 5". */
  totalWhy: string;
  /** Which mapping may be the largest, e.g. "the named recipient domains". */
  perMappingWhy: string;
  /** The file's kind, e.g. "mx-rules.yaml". */
  kind: string;
}

export interface KeysOverCap {
  bounds: KeyBounds;
  over: "total" | "mapping";
  /** Offset of the first key over the bound. */
  offset: number;
  /** Keys in the whole file: counted up to the refusal, estimated after it. */
  total: number;
}

/** The lexer's mark before a plain scalar (its text follows as the next lexeme). */
const SCALAR_MARK = "\u001f";
const KEY_INDICATOR = /:(?=[\s,]|$)/g;

export class KeyCounter {
  private total = 0;
  /** A `? key` was counted and its `:` is still to come. */
  private explicitKey = false;
  private keyStart = 0;

  constructor(private readonly bounds: KeyBounds) {}

  /** Called with each lexeme, its offset and the parser's stack after it; the bound exceeded, if one is. */
  next(lexeme: string, offset: number, stack: readonly CST.Token[]): "total" | "mapping" | null {
    if (lexeme === SCALAR_MARK || lexeme[0] === '"' || lexeme[0] === "'") {
      this.keyStart = offset;
      return null;
    }
    if (lexeme === "?") {
      this.keyStart = offset;
      this.explicitKey = true;
      this.total++;
    } else if (lexeme === ":") {
      if (this.explicitKey) this.explicitKey = false;
      else this.total++;
    } else return null;
    if (this.total > this.bounds.total) return "total";
    return mappingSize(stack) > this.bounds.perMapping ? "mapping" : null;
  }

  /**
   * The refusal. The keys after it are estimated on the raw text (a ":" before a space, a comma or
   * the end of a line): lexing the rest of a 4 MB file would cost as much again as the bound saves.
   */
  finish(over: "total" | "mapping", text: string, from: number): KeysOverCap {
    const rest = text.slice(from).match(KEY_INDICATOR)?.length ?? 0;
    return { bounds: this.bounds, over, offset: this.keyStart, total: this.total + rest };
  }
}

/** Entries so far of the innermost mapping being read (a flow collection counts its entries). */
function mappingSize(stack: readonly CST.Token[]): number {
  for (let i = stack.length - 1; i >= 0; i--) {
    const token = stack[i]!;
    if (token.type === "block-map" || token.type === "flow-collection") return token.items.length;
  }
  return 0;
}

export function keysIssue(cap: KeysOverCap, lineCounter: LineCounter, file: string): ConfigIssue {
  const { line, col } = lineCounter.linePos(cap.offset);
  const { bounds } = cap;
  const keys = `about ${formatLimit(cap.total)} mapping keys`;
  if (cap.over === "total") {
    return {
      file,
      line,
      column: Math.max(1, col),
      found: keys,
      expected: `at most ${formatLimit(bounds.total)} mapping keys`,
      message: `too many keys: ${keys} in all, while a ${bounds.kind} within mx-guard's limits has at most ${formatLimit(bounds.total)} (${bounds.totalWhy}); this is the first key over that`,
    };
  }
  return {
    file,
    line,
    column: Math.max(1, col),
    found: `a mapping of more than ${formatLimit(bounds.perMapping)} keys (${keys} in the file)`,
    expected: `at most ${formatLimit(bounds.perMapping)} keys in one mapping`,
    message: `too many keys in one mapping: this is key ${formatLimit(bounds.perMapping + 1)} of its mapping (${keys} in the file), while the largest mapping of a ${bounds.kind} within mx-guard's limits (${bounds.perMappingWhy}) has ${formatLimit(bounds.perMapping)}`,
  };
}
