/**
 * Maps a value path (as zod reports it, e.g. ["rules", 2, "tls"]) back to the YAML node and its
 * 1-based line:column. Aliases are followed, so a value reached through `*name` still has a place.
 */
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair } from "yaml";
import type { SourceSpan } from "../../model/source.js";
import type { YamlSource } from "./read.js";

export type YamlPath = readonly (string | number)[];

interface Located {
  /** The deepest node reached (the whole document when nothing matched). */
  node: Node | null;
  /** The key node of the last matched mapping entry, if the last step was a mapping key. */
  key: Node | null;
  /** How many path segments were matched. */
  depth: number;
}

export function locate(src: YamlSource, path: YamlPath): Located {
  const doc = src.doc;
  if (!doc) return { node: null, key: null, depth: 0 };
  let node = resolve(src, doc.contents as Node | null);
  let key: Node | null = null;
  let depth = 0;
  for (const segment of path) {
    const next = step(src, node, segment);
    if (!next) break;
    node = next.node;
    key = next.key;
    depth++;
  }
  return { node, key, depth };
}

function step(src: YamlSource, node: Node | null, segment: string | number): { node: Node | null; key: Node | null } | null {
  if (isMap(node)) {
    const pair = findPair(node.items as Pair<unknown, unknown>[], segment);
    return pair ? { node: resolve(src, pair.value as Node | null), key: pair.key as Node } : null;
  }
  if (isSeq(node)) {
    const index = typeof segment === "number" ? segment : Number(segment);
    const item = Number.isInteger(index) ? node.items[index] : undefined;
    return item === undefined ? null : { node: resolve(src, item as Node | null), key: null };
  }
  return null;
}

/**
 * Each mapping's pairs by key text, built once: positioning N issues in one mapping stays linear
 * (a scan per issue made 20,000 unknown keys quadratic). The first pair of a key wins, as in a scan.
 */
const pairIndexes = new WeakMap<object, Map<string, Pair<unknown, unknown>>>();

export function findPair(pairs: Pair<unknown, unknown>[], name: string | number): Pair<unknown, unknown> | undefined {
  let index = pairIndexes.get(pairs);
  if (!index || index.size > pairs.length) {
    index = new Map();
    for (const pair of pairs) {
      const text = keyText(pair.key);
      if (!index.has(text)) index.set(text, pair);
    }
    pairIndexes.set(pairs, index);
  }
  return index.get(String(name));
}

export function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function resolve(src: YamlSource, node: Node | null): Node | null {
  let current = node;
  for (let hops = 0; isAlias(current) && src.doc && hops < 100; hops++) current = (current.resolve(src.doc) as Node | undefined) ?? null;
  return current;
}

const NOWHERE = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** Span of the value at `path`; for an empty value (`key:`), the key; for a missing key, the nearest parent. */
export function spanAt(src: YamlSource, path: YamlPath): SourceSpan {
  const { node, key } = locate(src, path);
  const value = nodeSpan(src, node);
  if (value && !(value.line === value.endLine && value.column === value.endColumn)) return value;
  return nodeSpan(src, key) ?? value ?? { file: src.file, ...NOWHERE };
}

/** Span of the key of the mapping entry at `path` (e.g. for an unknown or duplicate key). */
export function keySpanAt(src: YamlSource, path: YamlPath): SourceSpan {
  const { key, depth } = locate(src, path);
  if (key && depth === path.length) return nodeSpan(src, key)!;
  return spanAt(src, path);
}

/** Whether the mapping at `path` has the key written (used to record defaulted keys). */
export function hasKey(src: YamlSource, path: YamlPath, name: string): boolean {
  const value = valueAt(src.value, path);
  return value !== null && typeof value === "object" && Object.hasOwn(value, name);
}

/** The plain value at `path` (undefined when absent). */
export function valueAt(root: unknown, path: YamlPath): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    // Own properties only: a key named __proto__ or constructor is the user's, never Object.prototype's.
    if (!Object.hasOwn(value, String(segment))) return undefined;
    value = (value as Record<string, unknown>)[String(segment)];
  }
  return value;
}

export function nodeSpan(src: YamlSource, node: Node | null | undefined): SourceSpan | null {
  const range = node?.range;
  if (!range || !src.lineCounter) return null;
  const start = src.lineCounter.linePos(range[0]);
  let end = range[1];
  while (end > range[0] && /\s/.test(src.text[end - 1] ?? "")) end--;
  const stop = src.lineCounter.linePos(end);
  return { file: src.file, line: start.line, column: start.col, endLine: stop.line, endColumn: stop.col };
}
