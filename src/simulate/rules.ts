/**
 * Rule lookup (docs/model.md#which-rule-applies): the first rule in file order whose mask matches the MX host and whose
 * range contains the publicId (null range = every publicId).
 */
import type { MxRule, PublicIdRange } from "../model/config.js";
import { compileNormalizedMask, maskShape, normalizeHost } from "./mask.js";

export function rangeContains(range: PublicIdRange | null, publicId: number): boolean {
  return range === null || (publicId >= range.from && publicId <= range.to);
}

export function rangeLabel(range: PublicIdRange | null): string {
  if (range === null) return "all publicIds";
  return range.from === range.to ? `publicId ${range.from}` : `publicIds ${range.from}-${range.to}`;
}

/**
 * Returns a lookup that matches each host against the masks once, then filters by range. Masks
 * of the common `*literal` shape are found through the host's suffixes instead of one by one.
 */
export function ruleLookup(rules: readonly MxRule[]): (host: string, publicId: number) => MxRule | null {
  const matching = matchingRules(rules);
  return (host, publicId) => matching(host).find((r) => rangeContains(r.range, publicId)) ?? null;
}

/** Every rule whose mask matches a host, in file order (cached per host). */
export function matchingRules(rules: readonly MxRule[]): (host: string) => readonly MxRule[] {
  const bySuffix = new Map<string, number[]>();
  // Other masks by their literal tail (after the last wildcard): a host they match ends with it.
  const byTail = new Map<string, number[]>();
  rules.forEach((r, k) => {
    const m = normalizeHost(r.mask);
    const tail = m.slice(1);
    if (m.startsWith("*") && !/[*?]/.test(tail)) bySuffix.set(tail, [...(bySuffix.get(tail) ?? []), k]);
    else {
      const literal = maskShape(m).tail;
      byTail.set(literal, [...(byTail.get(literal) ?? []), k]);
    }
  });
  const matchers = rules.map((r) => compileNormalizedMask(r.mask));
  const byHost = new Map<string, MxRule[]>();
  return (host) => {
    let matching = byHost.get(host);
    if (!matching) {
      const h = normalizeHost(host);
      const hits: number[] = [];
      for (let cut = 0; cut <= h.length; cut++) {
        const end = h.slice(cut);
        hits.push(...(bySuffix.get(end) ?? []));
        for (const k of byTail.get(end) ?? []) if (matchers[k]!(h)) hits.push(k);
      }
      matching = hits.sort((a, b) => a - b).map((k) => rules[k]!);
      byHost.set(host, matching);
    }
    return matching;
  };
}
