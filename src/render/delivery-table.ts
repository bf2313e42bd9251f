/**
 * The per-instance, per-delivery comparison table (base → head: completion, deferred, expired). A
 * "Refused (TLS)" column appears when some delivery has messages refused for TLS: its own outcome, never
 * folded into the quota deferrals.
 */
import type { DeliveryResult, InstanceResult, SimulationReport } from "../model/results.js";
import { escapeMd, fmtHours, fmtInt } from "./format.js";
import { oneLine } from "./plain-text.js";

export interface DeliveryMetrics {
  completionHours: number | null;
  deferred: number;
  expired: number;
  /** Shown by the HTML report only. */
  recipients: number;
  sent: number;
  pacedHours: number | null;
  deadlineHours: number | null;
  refusedTls: number;
}

export interface DeliveryRow {
  instance: string;
  /** null for an instance without deliveries or without a quota simulation (see note). */
  delivery: string | null;
  /** Absent side: undefined when the whole report is absent (simulate), null when this row is missing there. */
  base: DeliveryMetrics | null | undefined;
  head: DeliveryMetrics | null;
  note?: string;
}

function metrics(delivery: DeliveryResult): DeliveryMetrics {
  return {
    completionHours: delivery.completionHours,
    deferred: delivery.deferred ?? 0,
    expired: delivery.expired ?? 0,
    recipients: delivery.recipients,
    sent: delivery.sent ?? 0,
    pacedHours: delivery.pacedHours,
    deadlineHours: delivery.deadlineHours ?? null,
    refusedTls: delivery.refusedTls ?? 0,
  };
}

function instanceNote(instance: InstanceResult): string | undefined {
  if (instance.mode === "enhanced-mta") return "Enhanced MTA: MX rules not used, no quota simulation";
  if (instance.mode === "relay") return "relay: throughput is the relay's, no quota simulation";
  if (instance.deliveries.length === 0) return "no deliveries planned";
  return undefined;
}

/** Rows in head order; deliveries and instances that only exist on the base come last in each group. */
export function deliveryRows(head: SimulationReport, base?: SimulationReport): DeliveryRow[] {
  const rows: DeliveryRow[] = [];
  const baseSide = (value: DeliveryMetrics | null) => (base ? value : undefined);
  for (const instance of head.instances) {
    const before = base?.instances.find((candidate) => candidate.name === instance.name);
    const note = instanceNote(instance);
    if (note) {
      rows.push({ instance: instance.name, delivery: null, base: undefined, head: null, note });
    }
    // Not simulated: nothing is known about its deliveries, the note says why.
    if (instance.simulated === false) continue;
    for (const delivery of instance.deliveries) {
      const match = before?.deliveries.find((candidate) => candidate.name === delivery.name);
      rows.push({
        instance: instance.name,
        delivery: delivery.name,
        base: baseSide(match ? metrics(match) : null),
        head: metrics(delivery),
      });
    }
    for (const delivery of before?.deliveries ?? []) {
      if (instance.deliveries.some((candidate) => candidate.name === delivery.name)) continue;
      rows.push({ instance: instance.name, delivery: delivery.name, base: metrics(delivery), head: null, note: "removed" });
    }
  }
  for (const instance of base?.instances ?? []) {
    if (head.instances.some((candidate) => candidate.name === instance.name)) continue;
    rows.push({ instance: instance.name, delivery: null, base: undefined, head: null, note: "instance removed" });
  }
  return rows;
}

export function worseHours(base: number | null, head: number | null): boolean {
  if (head === null) return base !== null;
  return base !== null && head > base;
}

/** For counts of deferred, refused or expired messages: a higher head count is worse. */
export const moreIsWorse = (base: number, head: number): boolean => head > base;

export interface CellStyle {
  arrow: string;
  /** Escapes a plain value for the output format. */
  escape: (text: string) => string;
  /** Marks a head value that is worse than the base. */
  emphasize: (text: string) => string;
}

export interface TableCells {
  instance: string;
  delivery: string;
  completion: string;
  deferred: string;
  refusedTls: string;
  expired: string;
}

export function compareCell<T>(
  row: DeliveryRow,
  pick: (m: DeliveryMetrics) => T,
  fmt: (value: T) => string,
  worse: (b: T, h: T) => boolean,
  style: CellStyle,
): string {
  if (row.head === null) return row.base ? `${style.escape(fmt(pick(row.base)))} ${style.arrow} —` : "—";
  const head = pick(row.head);
  const h = style.escape(fmt(head));
  if (!row.base) return h;
  const base = pick(row.base);
  const b = style.escape(fmt(base));
  if (b === h) return h;
  return `${b} ${style.arrow} ${worse(base, head) ? style.emphasize(h) : h}`;
}

export function rowCells(row: DeliveryRow, style: CellStyle): TableCells {
  let note = row.note;
  if (row.base === null && row.head !== null) note = "new";
  const delivery = style.escape(`${row.delivery ?? "—"}${note && row.delivery !== null ? ` (${note})` : ""}`);
  if (row.delivery === null) {
    return {
      instance: style.escape(row.instance),
      delivery: "—",
      completion: style.escape(row.note ?? "—"),
      deferred: "—",
      refusedTls: "—",
      expired: "—",
    };
  }
  return {
    instance: style.escape(row.instance),
    delivery,
    completion: compareCell(row, (m) => m.completionHours, fmtHours, worseHours, style),
    deferred: compareCell(row, (m) => m.deferred, fmtInt, moreIsWorse, style),
    refusedTls: compareCell(row, (m) => m.refusedTls, fmtInt, moreIsWorse, style),
    expired: compareCell(row, (m) => m.expired, fmtInt, moreIsWorse, style),
  };
}

/** Whether the rows span several instances (the tables then show an instance column). */
export const severalInstances = (rows: readonly DeliveryRow[]): boolean => new Set(rows.map((row) => row.instance)).size > 1;

/** Whether any row, on either side, has messages refused for TLS. */
export const anyRefusedTls = (rows: readonly DeliveryRow[]): boolean =>
  rows.some((row) => (row.head?.refusedTls ?? 0) > 0 || (row.base?.refusedTls ?? 0) > 0);

const MD_STYLE: CellStyle = { arrow: "→", escape: escapeMd, emphasize: (text) => `**${text}**` };

/** Markdown table; the instance column only when there are several instances. */
export function deliveryTableMarkdown(head: SimulationReport, base?: SimulationReport): string {
  const rows = deliveryRows(head, base);
  if (rows.length === 0) return "_No instance simulated._";
  const multi = severalInstances(rows);
  const label = base ? " (base → head)" : "";
  const tls = anyRefusedTls(rows);
  const header = [
    ...(multi ? ["Instance"] : []),
    "Delivery",
    `Completion${label}`,
    "Deferred",
    ...(tls ? ["Refused (TLS)"] : []),
    "Expired",
  ];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map((_, i) => (i < (multi ? 2 : 1) ? "---" : "---:")).join("|")}|`];
  for (const row of rows) {
    const cells = rowCells(row, MD_STYLE);
    const values = [
      ...(multi ? [cells.instance] : []),
      cells.delivery,
      cells.completion,
      cells.deferred,
      ...(tls ? [cells.refusedTls] : []),
      cells.expired,
    ];
    lines.push(`| ${values.join(" | ")} |`);
  }
  return lines.join("\n");
}

const TEXT_STYLE: CellStyle = { arrow: "->", escape: oneLine, emphasize: (text) => text };

/** Plain text table with aligned columns. */
export function deliveryTableText(head: SimulationReport, base?: SimulationReport): string {
  const rows = deliveryRows(head, base);
  if (rows.length === 0) return "No instance simulated.";
  const tls = anyRefusedTls(rows);
  const table = [
    ["Instance", "Delivery", base ? "Completion (base -> head)" : "Completion", "Deferred", ...(tls ? ["Refused (TLS)"] : []), "Expired"],
  ];
  for (const row of rows) {
    const cells = rowCells(row, TEXT_STYLE);
    table.push([cells.instance, cells.delivery, cells.completion, cells.deferred, ...(tls ? [cells.refusedTls] : []), cells.expired]);
  }
  const widths = table[0]!.map((_, col) => Math.max(...table.map((r) => r[col]!.length)));
  return table
    .map((r) =>
      r
        .map((value, col) => (col >= 2 ? value.padStart(widths[col]!) : value.padEnd(widths[col]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
