/**
 * The work budget of one simulation, checked on the model before any work is done. The expensive
 * products (internal paths, and mask-match cells of the affinities' domain filters) are computed from
 * the counts alone; past a limit the run stops with a configuration error that names the product and
 * points at its largest factor, instead of running for minutes or exhausting memory. The limits sit
 * far above real Campaign set-ups (a few dozen publicIds, a few masks per IP) and keep one
 * simulation, fix search included, within seconds on a 2-core machine (docs/limits.md#work-budget).
 */
import type { InstanceModel } from "../model/config.js";
import type { ConfigIssue } from "../model/errors.js";
import type { SourcePos } from "../model/source.js";
import { isCatchAll, maskShape, normalizeHost } from "./mask.js";

export const WORK_LIMITS = {
  /** publicIds × recipient sites: the internal paths the plan builds. */
  paths: 100_000,
  /** domain masks of every IP × named recipient domains: the filter checks an affinity costs. */
  maskCells: 1_000_000,
  /**
   * (rule mask, host) pairs that need a full wildcard match: masks with a wildcard inside (not the
   * `*.example` / `mx.*` shapes, which are looked up) against every known MX host and domain that
   * ends with the mask's literal tail. 1,000 rules `*aaa…b*` × 1,000 hosts took 5 s of CPU.
   */
  ruleMaskChecks: 200_000,
} as const;

interface Factor {
  count: number;
  what: string;
  pos: SourcePos;
}

const fmt = (n: number): string => n.toLocaleString("en-US");

/** One issue per product over its limit, anchored on the larger factor; [] when the model fits. */
export function workBudgetIssues(model: InstanceModel): ConfigIssue[] {
  const ips = model.serverConf.affinities.flatMap((affinity) => affinity.ips);
  const domains = new Set(model.traffic.deliveries.flatMap((d) => d.domains.map((v) => v.domain)));
  const fallback: SourcePos = { file: model.traffic.file, line: 1, column: 1 };
  const busiest = [...model.traffic.deliveries].sort((a, b) => b.domains.length - a.domains.length)[0];
  const domainFactor: Factor = {
    count: domains.size,
    what: `${fmt(domains.size)} recipient domains`,
    pos: busiest ? (busiest.fieldPos.domains ?? busiest.span) : fallback,
  };
  const issues: ConfigIssue[] = [];

  const publicIds = new Set(ips.map((ip) => ip.publicId));
  const sites = domains.size + 1; // + the "other" bucket
  const paths = publicIds.size * sites;
  if (paths > WORK_LIMITS.paths) {
    const publicIdFactor: Factor = { count: publicIds.size, what: `${fmt(publicIds.size)} publicIds`, pos: ips[0]?.pos ?? fallback };
    issues.push(
      overrun("paths", `${publicIdFactor.what} × ${fmt(sites)} sites`, paths, WORK_LIMITS.paths, publicIdFactor, {
        ...domainFactor,
        count: sites,
      }),
    );
  }

  const masks = ips.reduce((sum, ip) => sum + masksOf(ip), 0);
  const cells = masks * domains.size;
  if (cells > WORK_LIMITS.maskCells) {
    const maskiest = [...ips].sort((a, b) => masksOf(b) - masksOf(a))[0];
    const maskFactor: Factor = {
      count: masks,
      what: `${fmt(masks)} includeDomains / excludeDomains masks`,
      pos: maskiest ? (maskiest.attrPos["excludeDomains"] ?? maskiest.attrPos["includeDomains"] ?? maskiest.pos) : fallback,
    };
    issues.push(
      overrun("mask checks", `${maskFactor.what} × ${domainFactor.what}`, cells, WORK_LIMITS.maskCells, maskFactor, domainFactor),
    );
  }
  const rules = ruleMaskIssue(model, fallback);
  if (rules) issues.push(rules);
  return issues;
}

/** Masks the rule lookup cannot find through a host's suffixes: each is matched against every host ending with its literal tail. */
function ruleMaskIssue(model: InstanceModel, fallback: SourcePos): ConfigIssue | null {
  const byTail = new Map<string, number>();
  const full = model.mxRules.rules.filter((rule) => {
    const m = normalizeHost(rule.mask);
    if (isCatchAll(m) || !/[*?]/.test(m)) return false;
    if (m.startsWith("*") && !/[*?]/.test(m.slice(1))) return false;
    if (m.endsWith("*") && !/[*?]/.test(m.slice(0, -1))) return false;
    const tail = maskShape(m).tail;
    byTail.set(tail, (byTail.get(tail) ?? 0) + 1);
    return true;
  });
  if (full.length === 0) return null;
  const hosts = new Set<string>();
  for (const p of model.providers.providers)
    for (const h of [...p.mx, ...Object.values(p.domainMx ?? {}).flat()]) hosts.add(normalizeHost(h));
  for (const d of model.traffic.deliveries) for (const v of d.domains) hosts.add(normalizeHost(v.domain));
  let checks = 0;
  for (const host of hosts) for (let cut = 0; cut <= host.length; cut++) checks += byTail.get(host.slice(cut)) ?? 0;
  if (checks <= WORK_LIMITS.ruleMaskChecks) return null;
  const first = full[0]!;
  const rulesFactor: Factor = {
    count: full.length,
    what: `${fmt(full.length)} MX rules with wildcards inside their masks`,
    pos: first.fieldPos.mask ?? first.span ?? fallback,
  };
  const hostsFactor: Factor = { count: hosts.size, what: `${fmt(hosts.size)} known MX hosts and recipient domains`, pos: rulesFactor.pos };
  return overrun("rule mask checks", `${rulesFactor.what} × ${hostsFactor.what}`, checks, WORK_LIMITS.ruleMaskChecks, rulesFactor, {
    ...hostsFactor,
    count: 0,
  });
}

function masksOf(ip: { includeDomains: string[] | null; excludeDomains: string[] }): number {
  return (ip.includeDomains?.length ?? 0) + ip.excludeDomains.length;
}

function overrun(product: string, formula: string, value: number, limit: number, a: Factor, b: Factor): ConfigIssue {
  const largest = a.count >= b.count ? a : b;
  return {
    ...largest.pos,
    found: `${fmt(value)} ${product}`,
    expected: `at most ${fmt(limit)} ${product}`,
    message: `the configuration is too large to simulate within mx-guard's work budget: ${formula} = ${fmt(value)} ${product}; at most ${fmt(limit)} are simulated (the largest factor is here)`,
  };
}
