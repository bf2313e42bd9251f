/**
 * `mx-guard catalog [--resolve [--write FILE]]`: prints the built-in provider catalog, or resolves
 * every provider's recipient domains live (MX, then the IPv4 addresses of each MX host) and prints
 * them next to the catalog. DNS goes through an injectable resolver so tests never touch the network.
 */
import { Resolver } from "node:dns/promises";
import { writeFile } from "node:fs/promises";
import { builtinProviders, compareProvider, liveOverrides, parseProviders, type LiveDomain, type LiveProvider } from "../engine/index.js";
import { ConfigError } from "../model/errors.js";
import { renderCatalogComparison, renderCatalogText, renderProvidersYaml } from "../render/catalog.js";
import type { CliOptions } from "./args.js";
import type { Output } from "./output.js";

/** The two lookups the command makes (node:dns/promises' Resolver has both). */
export interface DnsResolver {
  resolveMx(domain: string): Promise<{ exchange: string; priority: number }[]>;
  resolve4(host: string): Promise<string[]>;
}

export interface CatalogDeps {
  resolver?: DnsResolver;
  /** Today as YYYY-MM-DD (tests fix it). */
  today?: () => string;
}

export function systemResolver(): DnsResolver {
  return new Resolver({ timeout: 5000, tries: 2 });
}

/** Exit 0 when the live records match the catalog (or without --resolve), 1 when they differ. */
export async function catalogCommand(options: CliOptions, out: Output, deps: CatalogDeps = {}): Promise<number> {
  const providers = builtinProviders();
  if (!options.resolve) {
    out.stdout(renderCatalogText(providers));
    return 0;
  }
  const resolver = deps.resolver ?? systemResolver();
  const today = deps.today?.() ?? new Date().toISOString().slice(0, 10);
  const withDomains = providers.filter((p) => p.domains.length > 0);
  const live = await Promise.all(withDomains.map((p) => resolveProvider(resolver, p.name, p.domains)));
  const comparisons = withDomains.map((p, i) => compareProvider(p, live[i]!));
  out.stdout(renderCatalogComparison(comparisons, today));
  if (options.write) {
    const overrides = liveOverrides(comparisons, today);
    const text = renderProvidersYaml(overrides, today);
    // What is written must read back as a valid providers.yaml: check before touching the file.
    const parsed = parseProviders(text, options.write);
    if (!parsed.ok) throw new ConfigError(parsed.errors);
    await writeFile(options.write, text);
    out.stderr(`mx-guard: wrote the live values of ${overrides.length} providers to ${options.write}\n`);
  }
  return comparisons.every((c) => c.same) ? 0 : 1;
}

async function resolveProvider(resolver: DnsResolver, name: string, domains: string[]): Promise<LiveProvider> {
  const answers: LiveDomain[] = await Promise.all(
    domains.map(async (domain) => {
      try {
        const records = await resolver.resolveMx(domain);
        const mx = records
          .slice()
          .sort((a, b) => a.priority - b.priority || a.exchange.localeCompare(b.exchange))
          .map((r) => r.exchange.toLowerCase().replace(/\.$/, ""))
          .filter((host) => host !== "");
        return { domain, mx: [...new Set(mx)] };
      } catch (error) {
        return { domain, mx: [], error: dnsError(error) };
      }
    }),
  );
  const hosts = [...new Set(answers.flatMap((a) => a.mx))];
  const ips = new Set<string>();
  await Promise.all(
    hosts.map(async (host) => {
      try {
        for (const ip of await resolver.resolve4(host)) ips.add(ip);
      } catch {
        // A host without an A record adds no address; its MX entry is still reported.
      }
    }),
  );
  return { name, domains: answers, ips: [...ips].sort() };
}

function dnsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code}` : (error as Error).message;
}
