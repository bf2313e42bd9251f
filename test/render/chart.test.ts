import { describe, expect, it } from "vitest";
import {
  chartLabel,
  downsample,
  hourlyChart,
  hourlyChartMarkdown,
  MAX_CHART_POINTS,
  niceCeil,
  untilQuiet,
  worstSite,
} from "../../src/render/chart.js";
import { instance, report, site } from "../fixtures/review/build.js";
import { series } from "../fixtures/review/scenarios.js";
import { checkXyChart, mermaidBlock } from "./xychart-check.js";

describe("the xychart checker", () => {
  const valid = [
    "xychart-beta",
    '    title "Sent"',
    '    x-axis "hours" [0, 1, 2]',
    '    y-axis "messages" 0 --> 100',
    "    bar [1, 2, 3]",
    "    line [3, 2, 1]",
  ].join("\n");

  it("accepts the subset mx-guard emits", () => {
    expect(checkXyChart(valid).errors).toEqual([]);
    expect(checkXyChart('xychart-beta\n  x-axis ["a b", c]\n  bar [1, 2]').errors).toEqual([]);
    expect(checkXyChart("xychart-beta\n  x-axis 0 --> 10\n  line [1.5, -2, .5]").errors).toEqual([]);
  });

  it("refuses what would break Mermaid's parser", () => {
    const broken = [
      valid.replace("xychart-beta", "xychart"),
      valid.replace('title "Sent"', "title Sent and queued"),
      valid.replace('title "Sent"', 'title "Sent "quoted""'),
      valid.replace("bar [1, 2, 3]", "bar [1, 2]"),
      valid.replace("bar [1, 2, 3]", "bar [1, 2, x]"),
      valid.replace("bar [1, 2, 3]", "bar [1, 2, 3,]"),
      valid.replace("0 --> 100", "100 --> 0"),
      valid.replace("0 --> 100", "0 --> 2"),
      valid.replace("[0, 1, 2]", "[0, 1 h, 2]"),
      `${valid}\n    pie [1, 2, 3]`,
      valid.replace('title "Sent"', 'title "50%% sent"'),
      'xychart-beta\n  title "no data"',
    ];
    for (const chart of broken) expect(checkXyChart(chart).errors, chart).not.toEqual([]);
  });
});

describe("hourly chart", () => {
  it("picks the site with the highest queued peak", () => {
    const rep = report(
      [
        instance("prod", [], [site("google", { hourly: series(10, 100) }), site("yahoo", { hourly: series(10, 5_000) })]),
        instance("stage", [], [site("google", { hourly: series(10, 4_000) })]),
      ],
      [],
    );
    expect(worstSite(rep)).toMatchObject({ instance: "prod", site: { site: "yahoo" } });
  });

  it("returns nothing without hourly series", () => {
    expect(hourlyChart(report([instance("prod", [], [site("google")])], []))).toBeNull();
    expect(hourlyChartMarkdown(report([instance("prod", [], [])], []))).toBe("");
  });

  it("downsamples to at most 48 points: mean sent, peak queued, first hour as label", () => {
    const points = Array.from({ length: 100 }, (_, hour) => ({ hour, sent: hour, queued: hour % 7 }));
    const out = downsample(points);
    expect(out.points.length).toBeLessThanOrEqual(MAX_CHART_POINTS);
    expect(out.bucketHours).toBe(3);
    expect(out.points[0]).toEqual({ hour: 0, sent: 1, queued: 2 });
    expect(out.points[1]).toEqual({ hour: 3, sent: 4, queued: 5 });
    expect(downsample(points.slice(0, 48)).points).toHaveLength(48);
  });

  it("emits a chart that passes the grammar check, for long series and hostile site names", () => {
    for (const hours of [1, 47, 48, 49, 120, 1_000]) {
      const name = 'evil"site %% `x` <b>|;#';
      const rep = report([instance('prod"; drop', [], [site(name, { hourly: series(hours, 12_345) })])], []);
      const block = mermaidBlock(hourlyChartMarkdown(rep));
      expect(block).not.toBeNull();
      const { errors, shape } = checkXyChart(block!);
      expect(errors, block!).toEqual([]);
      expect(shape.categories).toBeLessThanOrEqual(48);
      expect(shape.series.map((s) => s.kind)).toEqual(["bar", "line"]);
    }
  });

  it("labels keep only safe characters", () => {
    expect(chartLabel('a"b %% c`<d>')).toBe("a b c d");
    expect(niceCeil(0)).toBe(10);
    expect(niceCeil(12_345)).toBe(20_000);
    expect(niceCeil(50_000)).toBe(50_000);
  });
});

describe("the idle tail of a 5-day horizon", () => {
  it("is cut after one quiet hour, so the chart shows the send and not days of zeros", () => {
    const busy = [
      { hour: 0, sent: 100, queued: 500 },
      { hour: 1, sent: 100, queued: 400 },
      { hour: 2, sent: 0, queued: 400 },
      { hour: 3, sent: 400, queued: 0 },
    ];
    const quiet = Array.from({ length: 116 }, (_, k) => ({ hour: 4 + k, sent: 0, queued: 0 }));
    expect(untilQuiet([...busy, ...quiet]).map((p) => p.hour)).toEqual([0, 1, 2, 3, 4]);
    expect(untilQuiet(busy)).toEqual(busy);
    expect(untilQuiet(quiet)).toEqual([quiet[0]]);
  });
});
