/**
 * Recipient domain → site (SPEC §1.4, §2): a provider of the catalog when it lists the domain,
 * else the domain alone with its own name as MX host and one remote IP. The traffic's "other"
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
}

export type SiteResolver = (domain: string) => SiteInfo;

function fromProvider(p: Provider): SiteInfo {
  return {
    key: p.name,
    provider: p,
    mx: p.mx.length > 0 ? p.mx : [p.domains[0] ?? p.name],
    remoteIps: Math.max(1, Math.floor(p.remoteIps)),
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
  const cache = new Map<string, SiteInfo>();
  return (domain) => {
    const key = domain.toLowerCase();
    let site = cache.get(key);
    if (!site) {
      const p = byDomain.get(key);
      site = p ? fromProvider(p) : ownSite(key, false);
      cache.set(key, site);
    }
    return site;
  };
}

/** The site of the traffic's "other" bucket. */
export function otherSite(): SiteInfo {
  return ownSite(OTHER, true);
}
