import { describe, expect, it } from "vitest";
import { chartLabel, hourlyChart, hourlyChartMarkdown, MAX_CHART_POINTS, niceCeil, worstSite } from "../../src/render/chart.js";
import { chartedSites, sampleIndices, untilQuiet } from "../../src/render/site-series.js";
import { delivery, instance, report, site } from "../fixtures/review/build.js";
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
  it("picks the site with the highest queued peak when nothing else tells the sites apart", () => {
    const rep = report(
      [
        instance("prod", [], [site("google", { hourly: series(10, 100) }), site("yahoo", { hourly: series(10, 5_000) })]),
        instance("stage", [], [site("google", { hourly: series(10, 4_000) })]),
      ],
      [],
    );
    expect(worstSite(rep)).toMatchObject({ instance: "prod", site: "yahoo" });
  });

  it("starts with the site the simulation marked worst, then the ones with expired and deferred messages", () => {
    const hurt = delivery("News", 1_000, 300, 0, 9);
    hurt.domains = [
      { ...hurt.domains[0]!, site: "apple", domain: "icloud.com", deferred: 300 },
      { ...hurt.domains[0]!, site: "orange", domain: "orange.fr", deferred: 0, expired: 5, completionHours: null },
    ];
    const rep = report(
      [
        instance(
          "prod",
          [hurt],
          [
            site("apple", { hourly: series(10, 10) }),
            site("google", { hourly: series(10, 90_000) }),
            site("orange", { hourly: series(10, 10) }),
            site("yahoo", { hourly: series(10, 10), worst: true }),
          ],
        ),
      ],
      [],
    );
    expect(chartedSites(rep).map((p) => p.site)).toEqual(["yahoo", "orange", "apple", "google"]);
    expect(chartedSites(rep, undefined, 2)).toHaveLength(2);
  });

  it("returns nothing without hourly series", () => {
    expect(hourlyChart(report([instance("prod", [], [site("google")])], []))).toBeNull();
    expect(hourlyChartMarkdown(report([instance("prod", [], [])], []))).toBe("");
  });

  it("samples at most 48 hours, always with the first and the last", () => {
    for (const last of [0, 1, 47, 48, 100, 1_000]) {
      const picked = sampleIndices(last, MAX_CHART_POINTS);
      expect(picked.length).toBeLessThanOrEqual(MAX_CHART_POINTS);
      expect(picked[0]).toBe(0);
      expect(picked[picked.length - 1]).toBe(last);
      expect([...picked].sort((a, b) => a - b)).toEqual(picked);
    }
    expect(sampleIndices(47, 48)).toHaveLength(48);
  });

  it("draws the base and the head as two lines of messages sent so far, ending at each side's total", () => {
    const slow = [
      { hour: 0, sent: 100, queued: 300 },
      { hour: 1, sent: 100, queued: 200 },
      { hour: 2, sent: 100, queued: 100 },
      { hour: 3, sent: 100, queued: 0 },
    ];
    const fast = [
      { hour: 0, sent: 400, queued: 0 },
      { hour: 1, sent: 0, queued: 0 },
    ];
    const base = report([instance("prod", [], [site("yahoo", { hourly: fast })])], []);
    const head = report([instance("prod", [], [site("yahoo", { hourly: slow })])], []);
    const made = hourlyChart(head, base)!;
    const { errors, shape } = checkXyChart(made.chart);
    expect(errors).toEqual([]);
    expect(shape.series.map((s) => s.kind)).toEqual(["line", "line"]);
    expect(shape.series[0]!.values).toEqual([0, 400, 400, 400, 400]);
    expect(shape.series[1]!.values).toEqual([0, 100, 200, 300, 400]);
    const legend = hourlyChartMarkdown(head, base);
    expect(legend).toContain("First line: the base (base: 400 sent by 1 h); second line: the head (head: 400 sent by 4 h).");
  });

  it("emits a chart that passes the grammar check, for long series and hostile site names", () => {
    for (const hours of [1, 47, 48, 49, 120, 1_000]) {
      const name = 'evil"site %% `x` <b>|;#';
      const rep = report([instance('prod"; drop', [], [site(name, { hourly: series(hours, 12_345) })])], []);
      const markdown = hourlyChartMarkdown(rep, rep);
      const block = mermaidBlock(markdown);
      expect(block).not.toBeNull();
      const { errors, shape } = checkXyChart(block!);
      expect(errors, block!).toEqual([]);
      expect(shape.categories).toBeLessThanOrEqual(48);
      expect(shape.series.map((s) => s.kind)).toEqual(["line", "line"]);
      expect(markdown).not.toContain("<b>");
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
