/**
 * MX masks (docs/model.md#which-rule-applies): `*` is any run of characters including dots (possibly
 * empty), `?` exactly one character, case-insensitive, a trailing dot on hosts is ignored.
 * Matching is linear in the host's length (wildcardMatch), so no mask can blow up.
 */

export type HostMatcher = (host: string) => boolean;

/** Lower-cases and drops one trailing dot ("Gmail-SMTP-in.l.google.com." → "gmail-smtp-in.l.google.com"). */
export function normalizeHost(host: string): string {
  const lower = host.trim().toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

function hasWildcard(text: string): boolean {
  return text.includes("*") || text.includes("?");
}

/** True when the mask is made of `*` only: the catch-all rule. */
export function isCatchAll(mask: string): boolean {
  const m = normalizeHost(mask);
  return m.length > 0 && /^\*+$/.test(m);
}

/**
 * Wildcard match of a normalized mask against a normalized host in linear time: the mask is cut at
 * its `*`s; the first and last pieces must sit at the host's ends, and each middle piece is placed at
 * its leftmost occurrence after the previous one (leftmost placement never loses a match). Pieces
 * without `?` are found with indexOf, pieces with `?` with a bit-parallel scan prepared once per mask.
 */
export function wildcardMatch(mask: string, host: string): boolean {
  return piecewiseMatcher(mask)(host);
}

/** The matcher of one mask, with its pieces and their scan tables built once. */
function piecewiseMatcher(mask: string): HostMatcher {
  const pieces = mask.split("*");
  if (pieces.length === 1) return (host) => mask.length === host.length && pieceAt(mask, host, 0);
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const middle = pieces
    .slice(1, -1)
    .filter((piece) => piece !== "")
    .map(pieceFinder);
  return (host) => {
    const end = host.length - last.length;
    if (first.length > end || !pieceAt(first, host, 0) || !pieceAt(last, host, end)) return false;
    let from = first.length;
    for (const find of middle) {
      const after = find(host, from, end);
      if (after < 0) return false;
      from = after;
    }
    return true;
  };
}

/** Does `piece` (literal text and `?`) match `host` at `at`? */
function pieceAt(piece: string, host: string, at: number): boolean {
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i);
    if (c !== 63 /* ? */ && c !== host.charCodeAt(at + i)) return false;
  }
  return true;
}

/** Finds the leftmost occurrence of a piece in host[from, end); answers where it ends, or -1. */
type PieceFinder = (host: string, from: number, end: number) => number;

function pieceFinder(piece: string): PieceFinder {
  if (!piece.includes("?")) {
    return (host, from, end) => {
      const at = host.indexOf(piece, from);
      return at >= 0 && at + piece.length <= end ? at + piece.length : -1;
    };
  }
  return shiftAnd(piece);
}

/**
 * Shift-And over 32-bit words: bit j of the state says "piece[0..j] ends here". One pass over the
 * host, ceil(|piece| / 32) words per character; the character tables are built here, once.
 */
function shiftAnd(piece: string): PieceFinder {
  const words = Math.ceil(piece.length / 32);
  const any = new Uint32Array(words);
  for (let j = 0; j < piece.length; j++) {
    if (piece.charCodeAt(j) === 63) any[j >>> 5]! |= 1 << (j & 31);
  }
  const byChar = new Map<number, Uint32Array>();
  for (let j = 0; j < piece.length; j++) {
    const c = piece.charCodeAt(j);
    if (c === 63) continue;
    let bits = byChar.get(c);
    if (!bits) {
      bits = Uint32Array.from(any);
      byChar.set(c, bits);
    }
    bits[j >>> 5]! |= 1 << (j & 31);
  }
  const lastWord = (piece.length - 1) >>> 5;
  const lastBit = 1 << ((piece.length - 1) & 31);
  const state = new Uint32Array(words);
  return (host, from, end) => {
    state.fill(0);
    for (let i = from; i < end; i++) {
      const bits = byChar.get(host.charCodeAt(i)) ?? any;
      let carry = 1;
      for (let w = 0; w < words; w++) {
        const next = (state[w]! >>> 31) & 1;
        state[w] = ((state[w]! << 1) | carry) & bits[w]!;
        carry = next;
      }
      if (state[lastWord]! & lastBit) return i + 1;
    }
    return -1;
  };
}

const compiled = new Map<string, HostMatcher>();

/** Like compileMask, for hosts already passed through normalizeHost (hot loops normalize once). */
export function compileNormalizedMask(mask: string): HostMatcher {
  const cached = compiled.get(mask);
  if (cached) return cached;
  const m = normalizeHost(mask);
  let matcher: HostMatcher;
  const body = m.slice(1);
  const head = m.slice(0, -1);
  if (isCatchAll(m)) matcher = () => true;
  else if (!hasWildcard(m)) matcher = (host) => host === m;
  else if (m.startsWith("*") && !hasWildcard(body)) matcher = (host) => host.endsWith(body);
  else if (m.endsWith("*") && !hasWildcard(head)) matcher = (host) => host.startsWith(head);
  else matcher = piecewiseMatcher(m);
  if (compiled.size > 50_000) compiled.clear();
  compiled.set(mask, matcher);
  return matcher;
}

/** Compiles a mask into a host predicate; common shapes (`*.x`, `x*`, literal) get a fast path. */
export function compileMask(mask: string): HostMatcher {
  const matcher = compileNormalizedMask(mask);
  return (host) => matcher(normalizeHost(host));
}

/** A mask prepared for coverage checks: normalized text and its literal head and tail. */
export interface MaskShape {
  text: string;
  catchAll: boolean;
  wild: boolean;
  /** Literal text before the first wildcard and after the last one. */
  head: string;
  tail: string;
}

export function maskShape(mask: string): MaskShape {
  const text = normalizeHost(mask);
  const first = text.search(/[*?]/);
  let last = text.length - 1;
  while (last >= 0 && text[last] !== "*" && text[last] !== "?") last--;
  return {
    text,
    catchAll: isCatchAll(text),
    wild: first >= 0,
    head: first < 0 ? text : text.slice(0, first),
    tail: first < 0 ? text : text.slice(last + 1),
  };
}

/**
 * Conservative "every host matched by `inner` is matched by `outer`": true only when outer's
 * pattern can be aligned on inner's pattern, with inner's `*` absorbed by outer's `*` and inner's
 * `?` by outer's `?` or `*`. A true answer is always right; some real coverings answer false.
 */
export function maskCovers(outer: string, inner: string): boolean {
  return shapeCovers(maskShape(outer), maskShape(inner));
}

export function shapeCovers(outer: MaskShape, inner: MaskShape): boolean {
  const a = outer.text;
  const b = inner.text;
  if (outer.catchAll || a === b) return true;
  if (!outer.wild || !b.startsWith(outer.head) || !b.endsWith(outer.tail)) return false;
  // dp[j] = a[i..] covers b[j..], computed from the end of a backwards.
  let next = new Uint8Array(b.length + 1);
  next[b.length] = 1;
  for (let i = a.length - 1; i >= 0; i--) {
    const cur = new Uint8Array(b.length + 1);
    const c = a[i];
    for (let j = b.length; j >= 0; j--) {
      if (c === "*") cur[j] = next[j] || (j < b.length && cur[j + 1]) ? 1 : 0;
      else if (j === b.length) cur[j] = 0;
      else if (c === "?") cur[j] = b[j] !== "*" && next[j + 1] ? 1 : 0;
      else cur[j] = b[j] === c && next[j + 1] ? 1 : 0;
    }
    next = cur;
  }
  return next[0] === 1;
}
