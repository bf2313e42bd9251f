/**
 * `mx-guard domains`: a traffic.yaml `domains:` block from counted recipient domains — the top N as
 * shares of the delivery, grouped under comments by the catalog's providers, the rest left to the
 * "other" bucket (README.md#the-command-line).
 */
import type { Provider } from "../model/config.js";
import { groupDigits } from "../model/format.js";

export interface DomainMixInput {
  /** Every domain tracked, with its count (any order). */
  counts: Iterable<[string, number]>;
  /** Valid addresses read, counted or not. */
  total: number;
  top: number;
  providers: readonly Provider[];
  /** The export's name, for the header comment. */
  label: string;
  /** When domains had to be dropped to keep memory bounded: the largest count dropped (a listed count may be that much low). */
  maxDropped: number;
}

const INDENT = "    ";
const NOT_IN_CATALOG = "not in the catalog";

/** A share in percent, rounded down to two decimals so the listed shares never add up to more than 100%. */
function percent(count: number, total: number): string {
  const hundredths = Math.floor((count * 10000) / total);
  return `${(hundredths / 100).toFixed(2).replace(/\.?0+$/, "")}%`;
}

export function renderDomainMix(input: DomainMixInput): string {
  const { total, top, label } = input;
  if (total === 0) return `${INDENT}# ${label}: no e-mail address found, so there is no domain mix to print.\n`;
  const providerOf = new Map<string, string>();
  for (const provider of input.providers) for (const domain of provider.domains) providerOf.set(domain, provider.name);

  const sorted = [...input.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const listed = sorted.slice(0, top).filter(([, count]) => Math.floor((count * 10000) / total) > 0);
  const listedTotal = listed.reduce((sum, [, count]) => sum + count, 0);
  const distinct = sorted.length;

  const groups = new Map<string, [string, number][]>();
  for (const entry of listed) {
    const name = providerOf.get(entry[0]) ?? NOT_IN_CATALOG;
    groups.set(name, [...(groups.get(name) ?? []), entry]);
  }
  const ordered = [...groups].sort(([a, ea], [b, eb]) => {
    if (a === NOT_IN_CATALOG || b === NOT_IN_CATALOG) return a === NOT_IN_CATALOG ? 1 : -1;
    return sum(eb) - sum(ea) || (a < b ? -1 : 1);
  });

  const lines = [
    `${INDENT}# ${groupDigits(total)} addresses in ${label}, ${groupDigits(distinct)} distinct domains${input.maxDropped > 0 ? " or more" : ""}.`,
    `${INDENT}# Paste under a delivery of traffic.yaml, with recipients: "${groupDigits(total)}" (or the size of the send, the shares stay).`,
    `${INDENT}# The ${listed.length} largest domains carry ${percent(listedTotal, total)}; the rest goes to "other". Shares are rounded down.`,
  ];
  if (input.maxDropped > 0) {
    lines.push(
      `${INDENT}# Counts are exact up to a bound on distinct domains: past it the smallest were dropped (at most ${groupDigits(input.maxDropped)} each),`,
      `${INDENT}# so a listed share may be low by up to ${percent(input.maxDropped, total)}.`,
    );
  }
  lines.push(`${INDENT}domains:`);
  for (const [name, entries] of ordered) {
    lines.push(`${INDENT}  # ${name}: ${percent(sum(entries), total)}`);
    for (const [domain, count] of entries) lines.push(`${INDENT}  ${yamlKey(domain)}: ${percent(count, total)}`);
  }
  const rest = total - listedTotal;
  lines.push(
    `${INDENT}  # other: ${percent(rest, total)} (${groupDigits(rest)} addresses in ${groupDigits(Math.max(0, distinct - listed.length))}${input.maxDropped > 0 ? "+" : ""} other domains)`,
  );
  return `${lines.join("\n")}\n`;
}

function sum(entries: [string, number][]): number {
  return entries.reduce((total, [, count]) => total + count, 0);
}

/** Domains are plain YAML keys unless they contain something YAML would read otherwise. */
function yamlKey(domain: string): string {
  return /^[a-z0-9][a-z0-9.-]*$/.test(domain) ? domain : JSON.stringify(domain);
}
