/**
 * A Mermaid `xychart-beta` chart (GitHub renders Mermaid 11.x in PR comments; plain `xychart` needs
 * 11.10) of hourly sent and queued messages for the worst site. Only a small, safe subset of the
 * grammar is emitted: a title, numeric x-axis categories, a y-axis range, one bar and one line series.
 */
import type { SimulationReport, SiteResult } from "../model/results.js";

export const MAX_CHART_POINTS = 48;

export interface HourPoint {
  hour: number;
  sent: number;
  queued: number;
}

export interface WorstSite {
  instance: string;
  site: SiteResult;
  hourly: HourPoint[];
}

function score(points: readonly HourPoint[]): [number, number, number] {
  let peak = 0;
  let total = 0;
  let sent = 0;
  for (const point of points) {
    peak = Math.max(peak, point.queued);
    total += point.queued;
    sent += point.sent;
  }
  return [peak, total, sent];
}

/** The site with the highest queued peak (then total queued, then sent), ties by instance and site name. */
export function worstSite(report: SimulationReport): WorstSite | null {
  let best: WorstSite | null = null;
  let bestScore: [number, number, number] = [-1, -1, -1];
  for (const instance of report.instances) {
    for (const site of instance.sites) {
      if (!site.hourly || site.hourly.length === 0) continue;
      const s = score(site.hourly);
      const better =
        s[0] > bestScore[0] || (s[0] === bestScore[0] && (s[1] > bestScore[1] || (s[1] === bestScore[1] && s[2] > bestScore[2])));
      if (better) {
        best = { instance: instance.name, site, hourly: untilQuiet([...site.hourly].sort((a, b) => a.hour - b.hour)) };
        bestScore = s;
      }
    }
  }
  return best;
}

/** Drops the idle tail (nothing sent, nothing queued) but keeps one idle hour to show the end. */
export function untilQuiet(points: HourPoint[]): HourPoint[] {
  let last = points.length - 1;
  while (last >= 0 && points[last]!.sent === 0 && points[last]!.queued === 0) last--;
  return points.slice(0, Math.min(points.length, last + 2));
}

/**
 * At most `max` points: consecutive hours are grouped in buckets of equal size; a bucket's sent is
 * the mean per hour (rounded), its queued the peak, its label the first hour.
 */
export function downsample(points: readonly HourPoint[], max = MAX_CHART_POINTS): { points: HourPoint[]; bucketHours: number } {
  if (points.length <= max) return { points: [...points], bucketHours: 1 };
  const size = Math.ceil(points.length / max);
  const out: HourPoint[] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    const sent = Math.round(bucket.reduce((sum, p) => sum + p.sent, 0) / bucket.length);
    const queued = Math.max(...bucket.map((p) => p.queued));
    out.push({ hour: bucket[0]!.hour, sent, queued });
  }
  return { points: out, bucketHours: size };
}

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

/** The chart text (without the ```mermaid fence), or null when no site has an hourly series. */
export function hourlyChart(report: SimulationReport): { chart: string; worst: WorstSite; bucketHours: number } | null {
  const worst = worstSite(report);
  if (!worst) return null;
  const { points, bucketHours } = downsample(worst.hourly);
  const top = niceCeil(Math.max(...points.map((p) => Math.max(p.sent, p.queued))));
  const title = chartLabel(`Hourly sent and queued: ${worst.site.site} (${worst.instance})`);
  const xTitle = chartLabel(bucketHours === 1 ? "hours since the first start" : `hours since the first start, ${bucketHours} h buckets`);
  const chart = [
    "xychart-beta",
    `    title "${title}"`,
    `    x-axis "${xTitle}" [${points.map((p) => integer(p.hour)).join(", ")}]`,
    `    y-axis "messages" 0 --> ${integer(top)}`,
    `    bar [${points.map((p) => integer(p.sent)).join(", ")}]`,
    `    line [${points.map((p) => integer(p.queued)).join(", ")}]`,
  ].join("\n");
  return { chart, worst, bucketHours };
}

/** The fenced chart plus a one-line legend (xychart-beta draws none), or "" when there is nothing to draw. */
export function hourlyChartMarkdown(report: SimulationReport): string {
  const made = hourlyChart(report);
  if (!made) return "";
  const legend =
    made.bucketHours === 1
      ? "Bars: messages sent per hour. Line: messages not yet sent at the end of the hour (waiting or deferred)."
      : `Bars: messages sent per hour (mean over each ${made.bucketHours}-hour bucket). Line: messages not yet sent (waiting or deferred; peak in each bucket).`;
  return ["```mermaid", made.chart, "```", "", legend].join("\n");
}
