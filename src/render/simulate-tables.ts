/**
 * The detail tables of `mx-guard simulate` in plain text: one table per delivery (per domain) and
 * one of the sites with their binding limit. The Markdown variants live in site-table.ts.
 */
import type { InstanceResult } from "../model/results.js";
import { fmtHours, fmtInt } from "./format.js";
import { oneLine } from "./plain-text.js";
import { simulatedHourly, siteRuleLabel } from "./site-table.js";

/** Left-aligned text columns, right-aligned number columns, two spaces apart. */
export function textTable(header: string[], cells: string[][], numericColumns: number[]): string {
  const rows = cells.map((row) => row.map(oneLine));
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (numericColumns.includes(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

export function deliveryDomainTablesText(instance: InstanceResult): string[] {
  return instance.deliveries.map((delivery) => {
    const deadline = delivery.deadlineHours == null ? "" : `, deadline ${fmtHours(delivery.deadlineHours)}`;
    // Refused for TLS is its own outcome (a TLS setting to fix), shown only when it happens.
    const tls = (delivery.refusedTls ?? 0) > 0;
    const refused = tls ? `, refused for TLS ${fmtInt(delivery.refusedTls)}` : "";
    const title =
      `${instance.name} / ${delivery.name}: ${fmtInt(delivery.recipients)} recipients, sent ${fmtInt(delivery.sent)}, ` +
      `deferred ${fmtInt(delivery.deferred)}${refused}, expired ${fmtInt(delivery.expired)}, completion ${fmtHours(delivery.completionHours)}${deadline}`;
    const rows = delivery.domains.map((domain) => [
      domain.domain,
      domain.site,
      fmtInt(domain.recipients),
      fmtInt(domain.sent),
      fmtInt(domain.deferred),
      ...(tls ? [fmtInt(domain.refusedTls)] : []),
      fmtInt(domain.expired),
      fmtHours(domain.completionHours),
    ]);
    const header = ["Domain", "Site", "Recipients", "Sent", "Deferred", ...(tls ? ["Refused (TLS)"] : []), "Expired", "Completion"];
    return `${title}\n${textTable(header, rows, tls ? [2, 3, 4, 5, 6, 7] : [2, 3, 4, 5, 6])}`;
  });
}

export function siteTableText(instance: InstanceResult): string {
  const rows = instance.sites.map((site) => [
    site.site,
    siteRuleLabel(site),
    site.publicIds.join(",") || "-",
    fmtInt(simulatedHourly(site)),
    fmtInt(site.slotCapacity),
    site.limitedBy,
    site.tls,
  ]);
  return `${instance.name} / sites:\n${textTable(["Site", "Rule", "publicIds", "Per hour", "Per 5 min", "Limited by", "TLS"], rows, [3, 4])}`;
}
