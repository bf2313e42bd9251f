/**
 * The HTML deliveries table: counts, the paced bound and the modelled completion, base → head in a review.
 * A "Refused (TLS)" column appears when some delivery has messages refused for TLS, as in the text and
 * Markdown tables.
 */
import type { DeliveryResult, SimulationReport } from "../../model/results.js";
import {
  anyRefusedTls,
  type CellStyle,
  compareCell,
  type DeliveryRow,
  deliveryRows,
  moreIsWorse,
  severalInstances,
  worseHours,
} from "../delivery-table.js";
import { fmtHours, fmtInt } from "../format.js";
import { html } from "./escape.js";

/** Rows shown at most (a plan with more deliveries is cut, and says so). */
export const MAX_DELIVERY_ROWS = 200;
/** Domains shown per delivery at most, and over the whole page. */
export const MAX_DOMAIN_ROWS = 50;
export const MAX_DOMAIN_ROWS_TOTAL = 2_000;

const STYLE: CellStyle = { arrow: "→", escape: html, emphasize: (text) => `<strong class="worse">${text}</strong>` };

/** The paced bound: null means the domain has no quota at all, not that it expires. */
function fmtPaced(hours: number | null): string {
  return hours === null ? "no quota" : fmtHours(hours);
}

function worsePaced(base: number | null, head: number | null): boolean {
  return head !== null && (base === null || head > base);
}

/** The head misses its deadline (completion after it, or messages expire). */
function late(row: DeliveryRow): boolean {
  const head = row.head;
  return head !== null && head.deadlineHours !== null && (head.completionHours === null || head.completionHours > head.deadlineHours);
}

function cells(row: DeliveryRow, multi: boolean, tls: boolean): string[] {
  const instance = multi ? [html(row.instance)] : [];
  if (row.delivery === null)
    return [...instance, "—", `<span class="note">${html(row.note ?? "—")}</span>`, "", "", "", ...(tls ? [""] : []), "", "", ""];
  const note = row.base === null && row.head !== null ? "new" : row.note;
  const never = () => false;
  return [
    ...instance,
    `${html(row.delivery)}${note ? ` <span class="note">(${html(note)})</span>` : ""}`,
    compareCell(row, (m) => m.recipients, fmtInt, never, STYLE),
    compareCell(
      row,
      (m) => m.sent,
      fmtInt,
      (a, b) => b < a,
      STYLE,
    ),
    compareCell(row, (m) => m.deferred, fmtInt, moreIsWorse, STYLE),
    ...(tls ? [compareCell(row, (m) => m.refusedTls, fmtInt, moreIsWorse, STYLE)] : []),
    compareCell(row, (m) => m.expired, fmtInt, moreIsWorse, STYLE),
    compareCell(row, (m) => m.pacedHours, fmtPaced, worsePaced, STYLE),
    compareCell(row, (m) => m.completionHours, fmtHours, worseHours, STYLE),
    `${compareCell(
      row,
      (m) => m.deadlineHours,
      (h) => (h === null ? "none" : fmtHours(h)),
      never,
      STYLE,
    )}${late(row) ? ' <span class="late">missed</span>' : ""}`,
  ];
}

export function deliveriesTableHtml(head: SimulationReport, base?: SimulationReport): string {
  const rows = deliveryRows(head, base);
  if (rows.length === 0) return "<p>No instance simulated.</p>";
  const multi = severalInstances(rows);
  const label = base ? " (base → head)" : "";
  const tls = anyRefusedTls(rows);
  const header = [
    ...(multi ? ["Instance"] : []),
    "Delivery",
    "Recipients",
    "Sent",
    "Deferred",
    ...(tls ? ["Refused (TLS)"] : []),
    "Expired",
    `Paced${label}`,
    `Completion, modelled${label}`,
    "Deadline",
  ];
  const shown = rows.slice(0, MAX_DELIVERY_ROWS);
  const body = shown.map(
    (row) =>
      `<tr>${cells(row, multi, tls)
        .map((cell, i) => `<td${i >= (multi ? 2 : 1) ? ' class="num"' : ""}>${cell}</td>`)
        .join("")}</tr>`,
  );
  const cut =
    rows.length > shown.length
      ? `<p class="note">${fmtInt(rows.length - shown.length)} more rows not shown; run <code>mx-guard</code> with <code>--format text</code> for all of them.</p>`
      : "";
  return [
    '<table class="deliveries">',
    `<thead><tr>${header.map((h) => `<th>${html(h)}</th>`).join("")}</tr></thead>`,
    `<tbody>${body.join("\n")}</tbody>`,
    "</table>",
    cut,
  ].join("\n");
}

function domainTable(delivery: DeliveryResult): string {
  const shown = delivery.domains.slice(0, MAX_DOMAIN_ROWS);
  const tls = (delivery.refusedTls ?? 0) > 0;
  const refused = (d: DeliveryResult["domains"][number]) => (tls ? `<td class="num">${fmtInt(d.refusedTls)}</td>` : "");
  const rows = shown.map(
    (d) =>
      `<tr><td>${html(d.domain)}</td><td>${html(d.site)}</td><td class="num">${fmtInt(d.recipients)}</td><td class="num">${fmtInt(d.sent)}</td><td class="num">${fmtInt(d.deferred)}</td>${refused(d)}<td class="num">${fmtInt(d.expired)}</td><td class="num">${fmtPaced(d.pacedHours)}</td><td class="num">${fmtHours(d.completionHours)}</td></tr>`,
  );
  const cut =
    delivery.domains.length > shown.length
      ? `<p class="note">${fmtInt(delivery.domains.length - shown.length)} more domains not shown.</p>`
      : "";
  return [
    `<table class="domains"><thead><tr><th>Domain</th><th>Site</th><th>Recipients</th><th>Sent</th><th>Deferred</th>${tls ? "<th>Refused (TLS)</th>" : ""}<th>Expired</th><th>Paced</th><th>Completion, modelled</th></tr></thead>`,
    `<tbody>${rows.join("\n")}</tbody></table>`,
    cut,
  ].join("\n");
}

/** Each simulated delivery's domains (the head's, or the one side of `simulate`), collapsed. */
export function domainDetailsHtml(report: SimulationReport): string {
  const out: string[] = [];
  let count = 0;
  let domains = 0;
  for (const instance of report.instances) {
    if (!instance.simulated) continue;
    for (const delivery of instance.deliveries) {
      if (count++ >= MAX_DELIVERY_ROWS || domains >= MAX_DOMAIN_ROWS_TOTAL) break;
      domains += Math.min(delivery.domains.length, MAX_DOMAIN_ROWS);
      out.push(
        `<details class="domains"><summary>${html(instance.name)} / ${html(delivery.name)}: ${fmtInt(delivery.recipients)} recipients by domain</summary>\n${domainTable(delivery)}\n</details>`,
      );
    }
  }
  return out.join("\n");
}
