/**
 * Recipient domain → site (docs/model.md#which-rule-applies): the domains of a catalog provider that share MX hosts
 * (each domain has its own MX list: the provider's `mx`, or its `domainMx` entry), else the domain
 * alone with its own name as MX host and one remote IP. The traffic's "other"
 * bucket is one site standing for many small domains, limited only by the MTA.
 */
import type { Provider, ProviderCatalog } from "../model/config.js";

export const OTHER = "other";

/** Connection timing for a site the catalog does not know (assumption, printed). */
export const UNKNOWN_SITE_TIMING = { connectSeconds: 1, tlsHandshakeSeconds: 1, secondsPerMessage: 1 };

export interface SiteInfo {
  key: string;
  provider: Provider | null;
  mx: string[];
  remoteIps: number;
  requiresTls: boolean;
  acceptance: number;
  connectSeconds: number;
  tlsHandshakeSeconds: number;
  secondsPerMessage: number;
  /** The "other" bucket: no rule lookup, limited by the MTA ceiling only. */
  isOther: boolean;
  /** A group of a provider's domains on their own MX hosts (domainMx), with remoteIps estimated. */
  ownMx?: boolean;
}

export type SiteResolver = (domain: string) => SiteInfo;

/** A domain's own MX hosts, lower-cased: its domainMx entry, else the provider's list. */
export function domainMxOf(p: Provider, domain: string): string[] {
  const own = Object.entries(p.domainMx ?? {}).find(([d]) => d.toLowerCase() === domain);
  return (own ? own[1] : p.mx).map((h) => h.toLowerCase());
}

/**
 * The provider's sites: its domains grouped by shared MX hosts (union-find over hosts). The group
 * of the domains on the provider's own `mx` keeps the provider's name and remoteIps; another group
 * is named provider:first-host, with one remote IP per MX host (an estimate, printed).
 */
function providerSites(p: Provider): Map<string, SiteInfo> {
  const domains = p.domains.map((d) => d.toLowerCase());
  const lists = domains.map((d) => domainMxOf(p, d));
  const parent = domains.map((_, k) => k);
  const root = (k: number): number => (parent[k] === k ? k : (parent[k] = root(parent[k]!)));
  const byHost = new Map<string, number>();
  lists.forEach((hosts, k) => {
    for (const h of hosts) {
      const seen = byHost.get(h);
      if (seen === undefined) byHost.set(h, k);
      else parent[root(k)] = root(seen);
    }
  });
  const main = new Set(p.mx.map((h) => h.toLowerCase()));
  const sites = new Map<string, SiteInfo>();
  const byRoot = new Map<number, SiteInfo>();
  domains.forEach((domain, k) => {
    let site = byRoot.get(root(k));
    if (!site) {
      const members = domains.filter((_, j) => root(j) === root(k));
      const isMain = members.some((_, j) => lists[domains.indexOf(members[j]!)]!.some((h) => main.has(h))) || p.mx.length === 0;
      const hosts = [...new Set(members.flatMap((d) => lists[domains.indexOf(d)]!))];
      const mx = isMain ? (p.mx.length > 0 ? p.mx : [p.domains[0] ?? p.name]) : lists[k]!;
      site = fromProvider(p, isMain ? p.name : `${p.name}:${mx[0]}`, mx, isMain ? p.remoteIps : hosts.length, isMain);
      byRoot.set(root(k), site);
    }
    sites.set(domain, site);
  });
  return sites;
}

function fromProvider(p: Provider, key: string, mx: string[], remoteIps: number, main: boolean): SiteInfo {
  return {
    key,
    provider: p,
    mx,
    ownMx: !main,
    remoteIps: Math.max(1, Math.floor(remoteIps)),
    requiresTls: p.requiresTls,
    acceptance: Math.min(1, Math.max(0, p.acceptance)),
    connectSeconds: Math.max(0, p.connectSeconds),
    tlsHandshakeSeconds: Math.max(0, p.tlsHandshakeSeconds),
    secondsPerMessage: Math.max(0, p.secondsPerMessage),
    isOther: false,
  };
}

function ownSite(domain: string, isOther: boolean): SiteInfo {
  return {
    key: domain,
    provider: null,
    mx: isOther ? [] : [domain],
    remoteIps: 1,
    requiresTls: false,
    acceptance: 1,
    ...UNKNOWN_SITE_TIMING,
    isOther,
  };
}

/** Builds a resolver over the catalog; the first provider listing a domain wins. */
export function siteResolver(catalog: ProviderCatalog): SiteResolver {
  const byDomain = new Map<string, Provider>();
  for (const p of catalog.providers) {
    for (const d of p.domains) {
      const key = d.toLowerCase();
      if (!byDomain.has(key)) byDomain.set(key, p);
    }
  }
  const ofProvider = new Map<Provider, Map<string, SiteInfo>>();
  const cache = new Map<string, SiteInfo>();
  return (domain) => {
    const key = domain.toLowerCase();
    let site = cache.get(key);
    if (!site) {
      const p = byDomain.get(key);
      if (p) {
        let sites = ofProvider.get(p);
        if (!sites) ofProvider.set(p, (sites = providerSites(p)));
        site = sites.get(key)!;
      } else site = ownSite(key, false);
      cache.set(key, site);
    }
    return site;
  };
}

/** The site of the traffic's "other" bucket. */
export function otherSite(): SiteInfo {
  return ownSite(OTHER, true);
}
