/**
 * `mx-guard catalog --resolve`: the built-in catalog next to live DNS answers. Pure: the CLI resolves
 * the names (src/cli/catalog.ts) and hands the answers in; this compares them.
 */
import type { Provider } from "../model/config.js";
import { isPlaceholderHost } from "../catalog/index.js";
import { builtinCatalog } from "../parse/providers.js";

/** What DNS said for one recipient domain: its MX hosts by preference, or why there are none. */
export interface LiveDomain {
  domain: string;
  mx: string[];
  error?: string;
}

/** Live answers for one provider: per domain, and the IPv4 addresses of every MX host seen. */
export interface LiveProvider {
  name: string;
  domains: LiveDomain[];
  /** Distinct IPv4 addresses over the provider's live MX hosts. */
  ips: string[];
}

export interface ProviderComparison {
  provider: Provider;
  live: LiveProvider;
  /** Live MX hosts over all domains, lowest preference first, each once. */
  liveMx: string[];
  /** Catalog hosts DNS no longer returns (placeholders excluded). */
  missing: string[];
  /** Live hosts the catalog does not list. */
  added: string[];
  /** Domains whose first MX host is not the catalog's first host (the one the simulation matches rules against). */
  firstHostChanged: { domain: string; live: string }[];
  same: boolean;
}

// Placeholder hosts (tenant.…) are never "missing" and are kept when live values are written.
export { isPlaceholderHost };

export function builtinProviders(): Provider[] {
  return builtinCatalog().providers;
}

export function compareProvider(provider: Provider, live: LiveProvider): ProviderComparison {
  const liveMx = [...new Set(live.domains.flatMap((d) => d.mx))];
  const catalogHosts = provider.mx.filter((h) => !isPlaceholderHost(h));
  const resolved = live.domains.some((d) => d.mx.length > 0);
  const missing = resolved ? catalogHosts.filter((h) => !liveMx.includes(h)) : [];
  const added = liveMx.filter((h) => !provider.mx.includes(h));
  const firstHostChanged = live.domains
    .filter((d) => d.mx.length > 0 && d.mx[0] !== provider.mx[0] && !provider.mx.includes(d.mx[0]!))
    .map((d) => ({ domain: d.domain, live: d.mx[0]! }));
  const same =
    resolved && missing.length === 0 && added.length === 0 && firstHostChanged.length === 0 && live.domains.every((d) => !d.error);
  return { provider, live, liveMx, missing, added, firstHostChanged, same };
}

/** Live values as providers.yaml overrides: mx (placeholders kept) and remoteIps, dated. */
export function liveOverrides(
  comparisons: ProviderComparison[],
  date: string,
): { name: string; mx: string[]; remoteIps: number; verifiedOn: string; source: string }[] {
  return comparisons
    .filter((c) => c.liveMx.length > 0)
    .map((c) => ({
      name: c.provider.name,
      mx: [...c.liveMx, ...c.provider.mx.filter(isPlaceholderHost)],
      remoteIps: Math.max(1, c.live.ips.length),
      verifiedOn: date,
      source: `live DNS (mx-guard catalog --resolve): MX of ${c.live.domains
        .filter((d) => d.mx.length > 0)
        .map((d) => d.domain)
        .join(", ")}; remoteIps = distinct IPv4 addresses of those hosts at that moment`,
    }));
}
