/**
 * One site's chart as an SVG string, drawn by mx-guard itself (no charting library, nothing
 * fetched): messages sent so far (solid) and messages waiting (dashed), hour by hour, for the head
 * and, in a review, the base in grey behind it. One y-axis: both counts are messages of the site.
 */
import { groupDigits } from "../../model/format.js";
import { sampleIndices, type SideSeries, type SitePair } from "../site-series.js";
import { html } from "./escape.js";

/** Points per line at most: a 5-day validity is 120 hours, a longer series is sampled. */
export const MAX_SERIES_POINTS = 240;

const WIDTH = 640;
const HEIGHT = 250;
const LEFT = 56;
const RIGHT = 16;
const TOP = 14;
const BOTTOM = 40;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;

/** 1,500 → "1.5k", 2,000,000 → "2M": tick labels that fit the left margin. */
export function compactCount(n: number): string {
  const one = (value: number) => String(Math.round(value * 10) / 10);
  if (n >= 1_000_000) return `${one(n / 1_000_000)}M`;
  if (n >= 1_000) return `${one(n / 1_000)}k`;
  return groupDigits(Math.round(n));
}

/** The axis top: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k at or above n (a tight fit, quarters stay readable). */
export function axisTop(n: number): number {
  if (n <= 10) return 10;
  const scale = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * scale >= n) return step * scale;
  return 10 * scale;
}

/** An hour step that gives at most 10 ticks. */
function hourStep(hours: number): number {
  for (const step of [1, 2, 3, 6, 12, 24, 48, 72, 168, 336, 720]) if (hours / step <= 10) return step;
  return Math.ceil(hours / 10);
}

function n1(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

interface Scale {
  x: (hour: number) => number;
  y: (count: number) => number;
}

/** Sent so far at the sampled hours: exact values of a cumulative line, so its end is its total. */
function sentPath(side: SideSeries, hours: number[], s: Scale): string {
  return hours.map((t, i) => `${i === 0 ? "M" : "L"}${n1(s.x(t))} ${n1(s.y(side.sent[t]!))}`).join(" ");
}

/** Waiting at the sampled hours from 1 on: the peak since the previous sample, so no backlog is hidden. */
function waitingPath(side: SideSeries, hours: number[], s: Scale): string {
  const parts: string[] = [];
  let previous = 0;
  for (const t of hours) {
    if (t === 0) continue;
    let peak = 0;
    for (let k = previous; k < t; k++) peak = Math.max(peak, side.waiting[k] ?? 0);
    previous = t;
    parts.push(`${parts.length === 0 ? "M" : "L"}${n1(s.x(t))} ${n1(s.y(peak))}`);
  }
  // A one-hour series has a single point: draw it as a short level segment.
  if (parts.length === 1) parts.push(`L${n1(s.x(hours[hours.length - 1]!) + 0.1)} ${parts[0]!.split(" ")[1]}`);
  return parts.join(" ");
}

function peakWaiting(side: SideSeries | null): number {
  return side ? Math.max(0, ...side.waiting) : 0;
}

/** The chart of one site; `id` makes its title element's id unique in the page. */
export function siteChartSvg(pair: SitePair, id: string): string {
  const hours = Math.max(1, pair.hours);
  const top = axisTop(Math.max(pair.head?.total ?? 0, pair.base?.total ?? 0, peakWaiting(pair.head), peakWaiting(pair.base)));
  const s: Scale = { x: (t) => LEFT + (t / hours) * PLOT_W, y: (count) => TOP + PLOT_H - (count / top) * PLOT_H };
  const sampled = sampleIndices(pair.hours, MAX_SERIES_POINTS);
  const out: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const value = (top * k) / 4;
    const y = n1(s.y(value));
    out.push(`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y}" y2="${y}"/>`);
    out.push(`<text class="tick" x="${LEFT - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${compactCount(value)}</text>`);
  }
  const step = hourStep(hours);
  for (let t = 0; t <= hours; t += step) {
    const x = n1(s.x(t));
    out.push(`<line class="tick-mark" x1="${x}" x2="${x}" y1="${TOP + PLOT_H}" y2="${TOP + PLOT_H + 4}"/>`);
    out.push(`<text class="tick" x="${x}" y="${TOP + PLOT_H + 16}" text-anchor="middle">${t}</text>`);
  }
  out.push(`<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${TOP + PLOT_H}" y2="${TOP + PLOT_H}"/>`);
  out.push(
    `<text class="axis-title" x="${LEFT + PLOT_W / 2}" y="${HEIGHT - 4}" text-anchor="middle">hours since the first delivery start</text>`,
  );
  for (const [name, side] of [
    ["base", pair.base],
    ["head", pair.head],
  ] as const) {
    if (!side || pair.hours === 0) continue;
    out.push(`<path class="line ${name} waiting" d="${waitingPath(side, sampled, s)}"/>`);
    out.push(`<path class="line ${name} sent" d="${sentPath(side, sampled, s)}"/>`);
  }
  const title = `Messages sent so far and waiting at ${pair.site} (${pair.instance})`;
  return [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="${id}-title" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${id}-title">${html(title)}</title>`,
    ...out,
    "</svg>",
  ].join("\n");
}
