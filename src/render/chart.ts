/**
 * A Mermaid `xychart-beta` chart (GitHub renders Mermaid 11.x in PR comments; plain `xychart` needs
 * 11.10) of the messages sent so far at the worst site: one line for the base and one for the head,
 * so a reviewer sees what the change does to that site's send. Only a small, safe subset of the
 * grammar is emitted: a title, numeric x-axis categories, a y-axis range and line series.
 */
import type { SimulationReport } from "../model/results.js";
import { escapeMd, fmtInt } from "./format.js";
import { chartedSites, sampleIndices, type SitePair } from "./site-series.js";

export const MAX_CHART_POINTS = 48;

/** Keeps only characters that are safe inside a quoted xychart string (no quotes, no markup). */
export function chartLabel(text: string): string {
  return text
    .replace(/[^A-Za-z0-9 .,:()/_-]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 80);
}

/** 1, 2, 5 × 10^k at or above n (at least 10). */
export function niceCeil(n: number): number {
  if (n <= 10) return 10;
  const scale = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) {
    if (step * scale >= n) return step * scale;
  }
  return 10 * scale;
}

function integer(n: number): string {
  return String(Math.max(0, Math.round(n)));
}

/** The worst site on either side (the simulation's own pick first), or null when no site has a series. */
export function worstSite(head: SimulationReport, base?: SimulationReport): SitePair | null {
  return chartedSites(head, base, 1)[0] ?? null;
}

export interface HourlyChart {
  /** The chart text, without the ```mermaid fence. */
  chart: string;
  worst: SitePair;
  /** The hours at the x-axis categories. */
  hours: number[];
}

/** The chart, or null when no site has an hourly series. Base line first, head line second. */
export function hourlyChart(head: SimulationReport, base?: SimulationReport): HourlyChart | null {
  const worst = worstSite(head, base);
  if (!worst) return null;
  const hours = sampleIndices(worst.hours, MAX_CHART_POINTS);
  const sides = [worst.base, worst.head].filter((side) => side !== null);
  const top = niceCeil(Math.max(...sides.map((side) => side.total)));
  const title = chartLabel(`Messages sent so far: ${worst.site} (${worst.instance})`);
  const chart = [
    "xychart-beta",
    `    title "${title}"`,
    `    x-axis "hours since the first delivery start" [${hours.map(integer).join(", ")}]`,
    `    y-axis "messages sent" 0 --> ${integer(top)}`,
    ...sides.map((side) => `    line [${hours.map((t) => integer(side.sent[t]!)).join(", ")}]`),
  ].join("\n");
  return { chart, worst, hours };
}

function sideLegend(label: string, side: SitePair["head"]): string {
  if (!side) return `${label}: no traffic to this site`;
  return side.doneAt === null ? `${label}: nothing sent` : `${label}: ${fmtInt(side.total)} sent by ${fmtInt(side.doneAt)} h`;
}

/** The fenced chart plus a one-line legend (xychart-beta draws none), or "" when there is nothing to draw. */
export function hourlyChartMarkdown(head: SimulationReport, base?: SimulationReport): string {
  const made = hourlyChart(head, base);
  if (!made) return "";
  const { worst } = made;
  let lines: string;
  if (worst.base && worst.head) {
    lines = `First line: the base (${sideLegend("base", worst.base)}); second line: the head (${sideLegend("head", worst.head)}).`;
  } else if (worst.head) {
    lines = `${sideLegend("Head", worst.head)}${base ? "; the site has no traffic on the base" : ""}.`;
  } else {
    lines = `${sideLegend("Base", worst.base)}; the site has no traffic on the head.`;
  }
  const legend = `Messages sent so far to ${worst.site} (${worst.instance}), counted from the first delivery start. ${lines}`;
  return ["```mermaid", made.chart, "```", "", escapeMd(legend)].join("\n");
}
