/** The charts section: the worst sites first, each with its rule and what was sent by when. */
import type { SimulationReport, SiteResult } from "../../model/results.js";
import { fmtInt, location } from "../format.js";
import { chartedSites, type MaybeSide, type SitePair } from "../site-series.js";
import { siteChartSvg } from "./chart.js";
import { html } from "./escape.js";

/** Sites charted at most: the worst ones; the page says how many were left out. */
export const MAX_HTML_SITES = 12;

function siteOf(report: SimulationReport | undefined, pair: SitePair): SiteResult | undefined {
  return report?.instances.find((i) => i.name === pair.instance)?.sites.find((s) => s.site === pair.site);
}

/** "base: 240,000 sent by 7 h, at most 200,016 waiting" (no label for `simulate`). */
function sideSummary(label: string | null, side: MaybeSide): string {
  const prefix = label === null ? "" : `${label}: `;
  if (!side) return `${prefix}no traffic`;
  const peak = Math.max(0, ...side.waiting);
  const done = side.doneAt === null ? "nothing sent" : `${fmtInt(side.total)} sent by ${fmtInt(side.doneAt)} h`;
  return `${prefix}${done}, at most ${fmtInt(peak)} waiting`;
}

const LIMITED_BY: Record<SiteResult["limitedBy"], string> = {
  hourly: "messagesPerHour",
  connections: "maxConnections",
  mta: "its share of the MTA sessions",
  tls: "TLS",
  "no-path": "no usable IP",
  "no-rule": "no rule",
};

/** The site's rule and capacity on the head (or the only side), with the base's capacity when it differs. */
function ruleLine(site: SiteResult | undefined, before: SiteResult | undefined): string {
  if (!site) return "";
  const rule = site.rule
    ? `rule <code>${html(site.rule.mask)}</code> (<code>${html(location(site.rule.file, site.rule.line, site.rule.line))}</code>)`
    : "no rule";
  const capacity =
    before && before.hourlyCapacity !== site.hourlyCapacity
      ? `${fmtInt(before.hourlyCapacity)} → ${fmtInt(site.hourlyCapacity)}`
      : fmtInt(site.hourlyCapacity);
  return `${rule} · ${capacity} messages/hour, limited by ${LIMITED_BY[site.limitedBy]} · TLS ${html(site.tls)}`;
}

function legend(review: boolean): string {
  const items = review
    ? [
        ["head sent", "head: sent so far"],
        ["head waiting", "head: waiting"],
        ["base sent", "base: sent so far"],
        ["base waiting", "base: waiting"],
      ]
    : [
        ["head sent", "sent so far"],
        ["head waiting", "waiting (not yet sent, or deferred)"],
      ];
  return `<ul class="legend">${items.map(([cls, text]) => `<li><span class="swatch ${cls}"></span>${html(text!)}</li>`).join("")}</ul>`;
}

export function sitesHtml(head: SimulationReport, base?: SimulationReport): string {
  const all = chartedSites(head, base);
  if (all.length === 0) return "<p>No site was simulated (no hourly series to chart).</p>";
  const shown = all.slice(0, MAX_HTML_SITES);
  const figures = shown.map((pair, index) => {
    const now = siteOf(head, pair);
    const before = siteOf(base, pair);
    const sides = base ? `${sideSummary("base", pair.base)} · ${sideSummary("head", pair.head)}` : sideSummary(null, pair.head);
    return [
      '<figure class="site">',
      `<figcaption><strong>${html(pair.site)}</strong> <span class="instance">(${html(pair.instance)})</span><br><span class="rule">${now ? ruleLine(now, before) : ruleLine(before, undefined)}</span><br><span class="sides">${html(sides)}</span></figcaption>`,
      siteChartSvg(pair, `chart-${index}`),
      "</figure>",
    ].join("\n");
  });
  const note =
    all.length > shown.length
      ? `<p class="note">The ${shown.length} worst of ${fmtInt(all.length)} sites are charted (most expired, then most deferred, then latest completion).</p>`
      : "";
  return [legend(base !== undefined), `<div class="sites">\n${figures.join("\n")}\n</div>`, note].join("\n");
}
