/**
 * Text of `mx-guard catalog`: the built-in provider catalog, its comparison with live DNS, and the
 * providers.yaml that `--write` saves.
 */
import type { Provider } from "../model/config.js";

/** The catalog's remoteIps, always with the word that says what it is. */
export const remoteIpsText = (n: number): string => `${n} (estimate)`;

export function renderCatalogText(providers: readonly Provider[]): string {
  const lines: string[] = [];
  for (const p of providers) {
    lines.push(`${p.name} (${p.domains.join(", ") || "no recipient domain"})`);
    lines.push(`  MX:          ${p.mx.join(", ")}`);
    lines.push(`  remote IPs:  ${remoteIpsText(p.remoteIps)}`);
    lines.push(`  requiresTls: ${p.requiresTls}${p.recommendsTls ? " (TLS recommended: plaintext gets a tls-recommended notice)" : ""}`);
    lines.push(`  verified on: ${p.verifiedOn ?? "unknown"}${p.source ? ` (${p.source})` : ""}`);
    lines.push("");
  }
  return lines.join("\n");
}

export interface CatalogComparisonView {
  provider: Provider;
  live: { domains: { domain: string; mx: string[]; error?: string }[]; ips: string[] };
  liveMx: string[];
  missing: string[];
  added: string[];
  firstHostChanged: { domain: string; live: string }[];
  same: boolean;
}

export function renderCatalogComparison(comparisons: readonly CatalogComparisonView[], date: string): string {
  const lines: string[] = [`Live MX records resolved on ${date}, next to mx-guard's catalog:`, ""];
  for (const c of comparisons) {
    const p = c.provider;
    lines.push(`${p.name} (${p.domains.join(", ")}): ${c.same ? "same as the catalog" : "differs from the catalog"}`);
    lines.push(`  catalog MX:  ${p.mx.join(", ")} (verified on ${p.verifiedOn ?? "unknown"})`);
    lines.push(`  live MX:     ${c.liveMx.join(", ") || "none resolved"}`);
    lines.push(
      `  remote IPs:  catalog ${remoteIpsText(p.remoteIps)}, live ${c.live.ips.length} distinct IPv4 address${c.live.ips.length === 1 ? "" : "es"}${c.live.ips.length > 0 ? ` (${c.live.ips.join(", ")})` : ""}`,
    );
    for (const d of c.live.domains) {
      if (d.error) lines.push(`  ${d.domain}: not resolved (${d.error})`);
    }
    for (const host of c.added) lines.push(`  + ${host} (live, not in the catalog)`);
    for (const host of c.missing) lines.push(`  - ${host} (in the catalog, not returned by DNS)`);
    for (const d of c.firstHostChanged)
      lines.push(`  ! ${d.domain}: first MX host is ${d.live} (the host MX rule masks are matched against)`);
    lines.push("");
  }
  const differing = comparisons.filter((c) => !c.same).length;
  lines.push(
    differing === 0
      ? "Every provider matches the catalog."
      : `${differing} of ${comparisons.length} providers differ: write the live values as overrides with --write campaign/providers.yaml.`,
  );
  return `${lines.join("\n")}\n`;
}

export function renderProvidersYaml(
  overrides: readonly { name: string; mx: string[]; remoteIps: number; verifiedOn: string; source: string }[],
  date: string,
): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [
    `# Live MX hosts written by \`mx-guard catalog --resolve --write\` on ${date}; they override the built-in catalog.`,
    "# remoteIps is the number of distinct IPv4 addresses DNS returned at that moment (providers rotate them).",
    "providers:",
  ];
  for (const o of overrides) {
    lines.push(
      `  ${o.name}:`,
      `    mx: [${o.mx.map(q).join(", ")}]`,
      `    remoteIps: ${o.remoteIps}`,
      `    verifiedOn: ${q(o.verifiedOn)}`,
      `    source: ${q(o.source)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
