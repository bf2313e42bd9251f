/**
 * MX masks (SPEC §2, research §2.2 and §5): `*` is any run of characters including dots (possibly
 * empty), `?` exactly one character, case-insensitive, a trailing dot on hosts is ignored.
 * Matching is iterative (two pointers with one backtrack point), so no mask can blow up.
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

/** Wildcard match of a normalized mask against a normalized host, linear in practice. */
export function wildcardMatch(mask: string, host: string): boolean {
  let m = 0;
  let h = 0;
  let starM = -1;
  let starH = 0;
  while (h < host.length) {
    const c = mask.charCodeAt(m);
    if (m < mask.length && (c === 63 /* ? */ || c === host.charCodeAt(h))) {
      m++;
      h++;
    } else if (m < mask.length && c === 42 /* * */) {
      starM = m++;
      starH = h;
    } else if (starM >= 0) {
      m = starM + 1;
      h = ++starH;
    } else {
      return false;
    }
  }
  while (m < mask.length && mask.charCodeAt(m) === 42) m++;
  return m === mask.length;
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
  else matcher = (host) => wildcardMatch(m, host);
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
