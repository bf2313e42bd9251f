/** The report's stylesheet, inlined in the page: system fonts only, nothing fetched. */
export const STYLES = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa;
  --head: #0969da; --base: #8c959f; --waiting: #bc4c00; --fail: #cf222e; --warn: #9a6700; --pass: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
main { max-width: 1360px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
code, pre { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
pre { background: var(--panel); padding: 8px; overflow-x: auto; border-radius: 6px; }
.verdict { font-weight: 600; margin: 4px 0 0; }
.verdict.failure { color: var(--fail); }
.verdict.success { color: var(--pass); }
.note { color: var(--muted); }
table { border-collapse: collapse; margin: 6px 0; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.worse, .late { color: var(--fail); font-weight: 600; }
details.domains { margin: 4px 0; }
.legend { list-style: none; padding: 0; margin: 4px 0 8px; display: flex; gap: 18px; flex-wrap: wrap; color: var(--muted); }
.swatch { display: inline-block; width: 26px; height: 0; margin-right: 6px; vertical-align: middle; border-top: 3px solid var(--head); }
.swatch.head.waiting { border-top: 3px dashed var(--waiting); }
.swatch.base.sent { border-top: 2px solid var(--base); }
.swatch.base.waiting { border-top: 2px dashed var(--base); }
.sites { display: grid; grid-template-columns: repeat(auto-fill, minmax(640px, 1fr)); gap: 16px; }
figure.site { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
figcaption { font-size: 13px; margin-bottom: 4px; }
figcaption .rule, figcaption .sides, .instance { color: var(--muted); }
svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart .axis, svg.chart .tick-mark { stroke: var(--muted); stroke-width: 1; }
svg.chart .tick, svg.chart .axis-title { fill: var(--muted); font-size: 11px; font-family: inherit; }
svg.chart .line { fill: none; stroke-linejoin: round; stroke-linecap: round; }
svg.chart .head.sent { stroke: var(--head); stroke-width: 2.5; }
svg.chart .head.waiting { stroke: var(--waiting); stroke-width: 2; stroke-dasharray: 6 4; }
svg.chart .base.sent { stroke: var(--base); stroke-width: 2; }
svg.chart .base.waiting { stroke: var(--base); stroke-width: 1.5; stroke-dasharray: 6 4; }
ul.findings { list-style: none; padding: 0; margin: 0; }
li.finding { border-left: 4px solid var(--line); padding: 4px 10px; margin: 8px 0; background: var(--panel); border-radius: 0 6px 6px 0; }
li.finding p { margin: 4px 0; }
li.severity-failure { border-left-color: var(--fail); }
li.severity-warning { border-left-color: var(--warn); }
.badge { font-weight: 600; text-transform: uppercase; font-size: 11px; letter-spacing: 0.04em; }
.severity-failure .badge { color: var(--fail); }
.severity-warning .badge { color: var(--warn); }
.status { font-size: 12px; border: 1px solid var(--line); border-radius: 10px; padding: 0 6px; background: var(--bg); }
.status-new, .status-worsened { border-color: var(--fail); color: var(--fail); }
.status-fixed { border-color: var(--pass); color: var(--pass); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`;
