/**
 * Rule-set hygiene (docs/model.md#findings): shadowed-rule, unreachable-quota and stale-mask.
 */
import { catalogVerifiedOn, isPlaceholderHost } from "../../catalog/index.js";
import type { MxRule, PublicIdRange } from "../../model/config.js";
import { firstItems, listed, quote } from "../../model/excerpt.js";
import type { Finding } from "../../model/findings.js";
import { compileNormalizedMask, isCatchAll, maskShape, normalizeHost, shapeCovers, type MaskShape } from "../mask.js";
import { matchingRules, rangeLabel } from "../rules.js";
import type { Provider } from "../../model/config.js";
import { remoteIpsLabel, type FindingContext } from "./context.js";
import { makeFinding, num, plural, posAnchor, ruleAnchor, where } from "./make.js";

/** Whether the union of `ranges` contains every publicId of `target` (null = all publicIds). */
export function rangesCover(ranges: readonly (PublicIdRange | null)[], target: PublicIdRange | null): boolean {
  if (ranges.some((r) => r === null)) return true;
  if (target === null) return false;
  const sorted = (ranges as PublicIdRange[]).slice().sort((a, b) => a.from - b.from);
  let reach = target.from - 1;
  for (const r of sorted) {
    if (r.from > reach + 1) break;
    reach = Math.max(reach, r.to);
    if (reach >= target.to) return true;
  }
  return reach >= target.to;
}

/**
 * Work allowed for the mask-coverage checks of one rule set, in dynamic-programming cells
 * (|outer| × |inner| per pair). Real rule sets use a tiny fraction of it; a hostile file of 1,000
 * long wildcard masks would otherwise need ~10^10 cells (10 minutes). Once spent, the remaining pairs
 * count as "not covered", which is the check's conservative answer: a shadowed-rule finding may be
 * missed, never invented.
 */
export const SHADOW_CHECK_CELLS = 10_000_000;

/**
 * For each rule (in file order), the earlier rules whose masks cover its mask, when together they
 * cover all its publicIds; empty when the rule can apply somewhere.
 */
export function shadowingRules(rules: readonly MxRule[]): MxRule[][] {
  const shapes: MaskShape[] = rules.map((r) => maskShape(r.mask));
  let cells = SHADOW_CHECK_CELLS;
  const covers = (outer: MaskShape, inner: MaskShape): boolean => {
    // Every comparison costs at least one cell, so n identical masks (n² / 2 pairs) stay within it too.
    if (cells <= 0) return false;
    cells--;
    if (outer.catchAll || outer.text === inner.text) return true;
    // shapeCovers' own cheap test first, so only pairs that need the table are charged.
    if (!outer.wild || !inner.text.startsWith(outer.head) || !inner.text.endsWith(outer.tail)) return false;
    const cost = (outer.text.length + 1) * (inner.text.length + 1);
    if (cost > cells) return false;
    cells -= cost;
    return shapeCovers(outer, inner);
  };
  // A covering mask's literal tail is a suffix of the covered mask: index masks by tail.
  const byTail = new Map<string, number[]>();
  for (const [i, shape] of shapes.entries()) byTail.set(shape.tail, [...(byTail.get(shape.tail) ?? []), i]);
  return rules.map((rule, k) => {
    const text = shapes[k]!.text;
    const candidates = new Set<number>();
    for (let cut = 0; cut <= text.length; cut++) for (const i of byTail.get(text.slice(cut)) ?? []) if (i < k) candidates.add(i);
    const before = [...candidates]
      .sort((a, b) => a - b)
      .filter((i) => covers(shapes[i]!, shapes[k]!))
      .map((i) => rules[i]!);
    return before.length > 0 &&
      rangesCover(
        before.map((r) => r.range),
        rule.range,
      )
      ? before
      : [];
  });
}

export function shadowedFindings(ctx: FindingContext): Finding[] {
  const rules = [...ctx.model.mxRules.rules].sort((a, b) => a.index - b.index);
  const shadows = shadowingRules(rules);
  const out: Finding[] = [];
  rules.forEach((rule, k) => {
    const by = shadows[k]!;
    if (by.length === 0) return;
    const names = listed(by, (r) => `${quote(r.mask)} (${where(r.span)}, ${rangeLabel(r.range)})`);
    out.push(
      makeFinding(ctx.model.name, {
        id: "shadowed-rule",
        anchor: ruleAnchor(rule),
        subject: [normalizeHost(rule.mask), rangeLabel(rule.range)],
        title: `Rule "${rule.mask}" can never apply`,
        message: `Rule "${rule.mask}" (${rangeLabel(rule.range)}) can never apply: the first matching rule wins, and ${names} already matches every MX host it matches. Move it above, or remove it.`,
        details: { mask: rule.mask, shadowedBy: firstItems(by).map((r) => r.mask), shadowedByCount: by.length },
      }),
    );
  });
  return out;
}

export function unreachableQuotaFindings(ctx: FindingContext): Finding[] {
  const byRule = new Map<number, { rule: MxRule; site: string; hourlyMax: number; hourly: number; remoteIps: string }>();
  for (const site of ctx.plan.sites) {
    for (const p of site.paths) {
      if (!p.rule || !p.numbers || p.numbers.limitedBy !== "connections" || byRule.has(p.rule.index)) continue;
      byRule.set(p.rule.index, {
        rule: p.rule,
        site: site.info.key,
        hourlyMax: p.numbers.perSlotConnections * 12,
        hourly: p.numbers.hourly,
        remoteIps: `${num(site.info.remoteIps)} remote IPs (${remoteIpsLabel(site)})`,
      });
    }
  }
  return [...byRule.values()].map(({ rule, site, hourlyMax, hourly, remoteIps }) =>
    makeFinding(ctx.model.name, {
      id: "unreachable-quota",
      anchor: rule.fieldPos.messagesPerHour ? posAnchor(rule.fieldPos.messagesPerHour) : ruleAnchor(rule),
      subject: [normalizeHost(rule.mask), rangeLabel(rule.range)],
      title: `messagesPerHour of "${rule.mask}" is never reached`,
      message:
        `Rule "${rule.mask}" allows ${num(hourly)} messages/hour, but for ${site} its ${plural(rule.maxConnections, "connection")} per path × ${remoteIps}, with assumed connection timings ` +
        `(${plural(rule.maxMessagesPerConnection, "message")} each), carry at most ${num(hourlyMax)} per hour: the connection limit binds first.`,
      details: {
        mask: rule.mask,
        site,
        messagesPerHour: rule.messagesPerHour,
        hourly,
        connectionHourly: hourlyMax,
        maxConnections: rule.maxConnections,
      },
    }),
  );
}

/** All hosts a mask could be meant for: catalog MX hosts, traffic domains and their own-site hosts. */
function knownHosts(ctx: FindingContext): string[] {
  const hosts = new Set<string>();
  for (const p of ctx.model.providers.providers) for (const h of catalogHosts(p)) hosts.add(normalizeHost(h));
  for (const d of ctx.model.traffic.deliveries) for (const v of d.domains) hosts.add(normalizeHost(v.domain));
  return [...hosts];
}

export function staleMaskFindings(ctx: FindingContext): Finding[] {
  const hosts = knownHosts(ctx);
  const suffixes = new Set<string>();
  for (const h of hosts) for (let k = 0; k <= h.length; k++) suffixes.add(h.slice(k));
  const out: Finding[] = [];
  for (const rule of ctx.model.mxRules.rules) {
    if (isCatchAll(rule.mask)) continue;
    const m = normalizeHost(rule.mask);
    const tail = m.startsWith("*") ? m.slice(1) : null;
    const simpleSuffix = tail !== null && !/[*?]/.test(tail);
    const matcher = compileNormalizedMask(rule.mask);
    // A host a mask matches ends with the mask's literal tail: most masks are settled by that alone.
    const matches = simpleSuffix ? suffixes.has(tail) : suffixes.has(maskShape(m).tail) && hosts.some(matcher);
    if (matches) continue;
    out.push(
      makeFinding(ctx.model.name, {
        id: "stale-mask",
        anchor: rule.fieldPos.mask ? posAnchor(rule.fieldPos.mask) : ruleAnchor(rule),
        subject: [m, rangeLabel(rule.range)],
        title: `Mask "${rule.mask}" matches no known MX host`,
        message: `Mask "${rule.mask}" matches no MX host in mx-guard's catalog (verified on ${catalogVerifiedOn()}) and no domain of the traffic plan. MX hosts change (e.g. Yahoo moved to *.am0.yahoodns.net): compare with the live records (mx-guard catalog --resolve), or add the provider in providers.yaml.`,
        details: { mask: rule.mask },
      }),
    );
  }
  return out;
}

function catalogHosts(p: Provider): string[] {
  return [...p.mx, ...Object.values(p.domainMx ?? {}).flat()];
}

/**
 * rule-not-first-mx: a rule that matches MX hosts of a provider this plan sends to, but none of the
 * planned domains' first MX host. The legacy MTA picks the rule on the domain's first MX, so this
 * rule throttles none of the planned traffic (e.g. a mask for alt1.gmail-smtp-in.l.google.com, or
 * for Yahoo's European MX when only yahoo.com is planned).
 */
export function notFirstMxFindings(ctx: FindingContext): Finding[] {
  const matching = matchingRules(ctx.model.mxRules.rules);
  const applied = new Set<MxRule>();
  const firstHosts: string[] = [];
  const providers = new Set<Provider>();
  for (const site of ctx.plan.sites) {
    if (site.info.isOther || site.streams.length === 0) continue;
    const host = site.info.mx[0] ?? site.info.key;
    firstHosts.push(host);
    for (const r of matching(host)) applied.add(r);
    if (site.info.provider) providers.add(site.info.provider);
  }
  const out: Finding[] = [];
  const reported = new Set<MxRule>();
  for (const p of providers) {
    // A placeholder host is no planned domain's MX by design: a rule for it is for tenants' own domains.
    for (const host of catalogHosts(p).filter((h) => !isPlaceholderHost(h))) {
      for (const rule of matching(host)) {
        if (applied.has(rule) || reported.has(rule) || isCatchAll(rule.mask)) continue;
        reported.add(rule);
        out.push(
          makeFinding(ctx.model.name, {
            id: "rule-not-first-mx",
            anchor: rule.fieldPos.mask ? posAnchor(rule.fieldPos.mask) : ruleAnchor(rule),
            subject: [normalizeHost(rule.mask), rangeLabel(rule.range)],
            title: `Rule "${rule.mask}" matches no planned domain's first MX host`,
            message:
              `Rule "${rule.mask}" matches ${host} (${p.name}), but the legacy MTA chooses the rule on each recipient domain's first MX host, ` +
              `and no domain of the traffic plan has a first MX it matches (first MX hosts here: ${[...new Set(firstHosts)].slice(0, 5).join(", ")}${firstHosts.length > 5 ? ", …" : ""}). ` +
              "It throttles none of the planned mail; check the mask, or add the domains it is meant for to the traffic plan.",
            details: { mask: rule.mask, host, provider: p.name },
          }),
        );
      }
    }
  }
  return out;
}
