/**
 * The HTML report's content and its bounds; the browser test (html-browser.test.ts) checks that
 * Chromium draws it. Hostile names (they come from the repository's files) must stay text.
 */
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/model/findings.js";
import { compactCount, MAX_SERIES_POINTS, siteChartSvg } from "../../src/render/html/chart.js";
import { MAX_DELIVERY_ROWS } from "../../src/render/html/deliveries.js";
import { MAX_HTML_FINDINGS } from "../../src/render/html/findings.js";
import { renderDiffHtml, renderSimulateHtml } from "../../src/render/html/page.js";
import { MAX_HTML_SITES } from "../../src/render/html/sites.js";
import { chartedSites } from "../../src/render/site-series.js";
import { review } from "../../src/review/review.js";
import { delivery, finding, instance, policy, report, run, site } from "../fixtures/review/build.js";
import { failureReview, hugeReview, series } from "../fixtures/review/scenarios.js";
import { join } from "node:path";
import { EXAMPLE, runCli } from "../cli/helpers.js";

/** The tags the report is made of; anything else means an input string became markup. */
const TAGS = new Set(
  "html head meta title style body main header h1 h2 h3 p section table thead tbody tr th td strong span details summary ul li div code pre figure figcaption br footer svg line text path".split(
    " ",
  ),
);

function tagsOf(page: string): string[] {
  return [...page.matchAll(/<([A-Za-z][A-Za-z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
}

/** Attribute names of every tag: on* handlers or href/src would be an injection. */
function attributesOf(page: string): string[] {
  const names: string[] = [];
  for (const tag of page.matchAll(/<[A-Za-z][^>]*>/g)) {
    for (const attr of tag[0].matchAll(/\s([A-Za-z:-]+)=/g)) names.push(attr[1]!.toLowerCase());
  }
  return names;
}

const EVIL = `"><script>alert(1)</script><img src=x onerror=alert(2)>'<!--`;

function hostileReview() {
  const name = `prod${EVIL}`;
  const bad: Finding = {
    ...finding("deadline-miss", `News${EVIL}`, { instance: name, file: `campaign/${EVIL}.yaml`, line: 3, endLine: 5 }),
    message: `Delivery "News${EVIL}" misses its deadline.`,
    suggestion: `  - mask: "${EVIL}"\n    messagesPerHour: 10`,
  };
  const d = delivery(`News${EVIL}`, 1_000, 10, 0, 3);
  d.domains = [{ ...d.domains[0]!, domain: `${EVIL}.example`, site: `site${EVIL}` }];
  const sites = [site(`site${EVIL}`, { hourly: series(30, 500), rule: { mask: `*.${EVIL}`, file: `x${EVIL}`, line: 2 } })];
  const base = report([instance(name, [d], sites, [`assume ${EVIL}`])], []);
  const head = report([instance(name, [{ ...d, completionHours: 9 }], sites, [`assume ${EVIL}`])], [bad]);
  return review(run(base), run(head), policy(), { simulate: null });
}

describe("the HTML report", () => {
  it("keeps hostile names, paths, messages and suggestions as text: no tag, attribute or comment of theirs survives", () => {
    const r = hostileReview();
    for (const page of [renderDiffHtml(r), renderSimulateHtml(r.head.report, policy())]) {
      expect(tagsOf(page).filter((tag) => !TAGS.has(tag))).toEqual([]);
      expect(attributesOf(page).filter((a) => a.startsWith("on") || a === "src" || a === "href")).toEqual([]);
      expect(page).not.toContain("<!--");
      expect(page).not.toContain("<script");
      // The names are there, escaped.
      expect(page).toContain("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&#39;&lt;!--");
    }
  });

  it("has a Content-Security-Policy that forbids every load, and no script", () => {
    const page = renderDiffHtml(failureReview());
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg")/);
  });

  it("shows the deliveries with paced and modelled completion, base → head, and the findings with file:line", () => {
    const page = renderDiffHtml(failureReview());
    expect(page).toContain("Paced (base → head)");
    expect(page).toContain("Completion, modelled (base → head)");
    // failureReview: Black Friday newsletter goes from 7.25 h to expiring.
    expect(page).toMatch(/7\.3 h → <strong class="worse">expires<\/strong>/);
    expect(page).toContain('<code class="where">campaign/mx-rules.yaml:4-12</code>');
    expect(page).toContain('<span class="status status-new">new</span>');
  });

  it("adds a Refused (TLS) column, to the deliveries and that delivery's domains, only when a delivery has messages refused for TLS", () => {
    const plain = delivery("Welcome", 1_000, 0, 0, 1);
    const refused = delivery("Newsletter", 5_000, 0, 3_000, null);
    refused.refusedTls = 3_000;
    refused.domains = [
      { ...refused.domains[0]!, refusedTls: 3_000, expired: 3_000, sent: 0, recipients: 3_000 },
      { ...refused.domains[0]!, domain: "hotmail.com", site: "microsoft", recipients: 2_000, sent: 2_000, expired: 0, refusedTls: 0 },
    ];
    const headers = (page: string) => [...page.matchAll(/<th>([^<]*)<\/th>/g)].map((m) => m[1]);
    const without = renderSimulateHtml(report([instance("prod", [plain])], []), policy());
    expect(without).not.toContain("Refused (TLS)");
    const page = renderSimulateHtml(report([instance("prod", [plain, refused])], []), policy());
    const deliveries = page.slice(
      page.indexOf('<table class="deliveries">'),
      page.indexOf("</table>", page.indexOf('<table class="deliveries">')),
    );
    expect(headers(deliveries)).toEqual([
      "Delivery",
      "Recipients",
      "Sent",
      "Deferred",
      "Refused (TLS)",
      "Expired",
      "Paced",
      "Completion, modelled",
      "Deadline",
    ]);
    // Newsletter: recipients, sent, deferred, refused, expired.
    expect(deliveries).toMatch(
      /Newsletter<\/td><td class="num">5,000<\/td><td class="num">2,000<\/td><td class="num">0<\/td><td class="num">3,000<\/td><td class="num">3,000<\/td>/,
    );
    expect(deliveries).toMatch(
      /Welcome<\/td><td class="num">1,000<\/td><td class="num">1,000<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">0<\/td>/,
    );
    // The domains of the refused delivery get the column; those of the other delivery do not.
    const domainTables = page.split('<table class="domains">').slice(1);
    expect(domainTables).toHaveLength(2);
    expect(headers(domainTables[0]!)).not.toContain("Refused (TLS)");
    expect(headers(domainTables[1]!)).toContain("Refused (TLS)");
    expect(domainTables[1]).toMatch(
      /gmail\.com<\/td><td>google<\/td><td class="num">3,000<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">3,000<\/td><td class="num">3,000<\/td>/,
    );
  });

  it("charts the worst sites first, at most 12, with base and head lines", () => {
    const sites = Array.from({ length: 20 }, (_, i) => site(`s${String(i).padStart(2, "0")}`, { hourly: series(24, 100 * (i + 1)) }));
    const rep = report([instance("prod", [], sites)], []);
    const page = renderDiffHtml(review(run(rep), run(rep), policy(), { simulate: null }));
    expect(page.match(/<svg class="chart"/g)).toHaveLength(MAX_HTML_SITES);
    expect(page).toContain(`The ${MAX_HTML_SITES} worst of 20 sites are charted`);
    // The highest backlog first.
    expect(page.indexOf("<strong>s19</strong>")).toBeLessThan(page.indexOf("<strong>s18</strong>"));
    expect(page).not.toContain("<strong>s07</strong>");
    expect(page.match(/class="line base sent"/g)).toHaveLength(MAX_HTML_SITES);
    expect(page.match(/class="line head sent"/g)).toHaveLength(MAX_HTML_SITES);
  });

  it("samples a long series to at most 240 points per line, ending at the site's total", () => {
    const rep = report([instance("prod", [], [site("google", { hourly: series(2_000, 9_000) })])], []);
    const [pair] = chartedSites(rep);
    const svg = siteChartSvg(pair!, "c");
    const lines = [...svg.matchAll(/<path class="line (\w+) (\w+)" d="([^"]*)"/g)];
    expect(lines.map((m) => `${m[1]} ${m[2]}`)).toEqual(["head waiting", "head sent"]);
    for (const m of lines) {
      const points = m[3]!.split(/[ML]/).filter((p) => p.trim() !== "");
      expect(points.length).toBeGreaterThan(2);
      expect(points.length).toBeLessThanOrEqual(MAX_SERIES_POINTS);
    }
    const sent = lines[1]![3]!.split(/[ML]/).filter((p) => p.trim() !== "");
    // The last point of "sent so far" is at the right edge, at the total: above the x-axis.
    const [x, y] = sent[sent.length - 1]!.trim().split(" ").map(Number);
    expect(x).toBeCloseTo(624, 0);
    expect(y).toBeLessThan(196);
    expect(compactCount(1_500)).toBe("1.5k");
    expect(compactCount(2_000_000)).toBe("2M");
  });

  it("stays bounded for thousands of findings and hundreds of deliveries", () => {
    const page = renderDiffHtml(hugeReview());
    expect(page.match(/<li class="finding /g)).toHaveLength(MAX_HTML_FINDINGS);
    expect(page).toContain("2,500 more findings not shown");
    // hugeReview plans 400 deliveries.
    expect(page.match(/<table class="deliveries">[\s\S]*?<\/table>/)![0].match(/<tr>/g)).toHaveLength(1 + MAX_DELIVERY_ROWS);
    expect(page).toContain("200 more rows not shown");
    expect(page.length).toBeLessThan(1_500_000);
  });

  it("is a format the CLI names in its usage and its error for an unknown format", async () => {
    const bad = await runCli(["simulate", "--format", "yaml"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--format yaml: expected text, markdown, json, sarif or html");
    expect((await runCli(["--help"])).stdout).toContain("--format text|markdown|json|sarif|html");
  });

  it("is what `mx-guard diff --format html` prints, with the demo's Yahoo site charted first", async () => {
    const out = await runCli(["diff", EXAMPLE, join(EXAMPLE, "../campaign-repo-pr"), "--format", "html", "--exit-zero"]);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(out.stdout.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(out.stdout).toContain("<h1>MX Guard: ");
    const firstSite = /<figure class="site">\n<figcaption><strong>([^<]+)<\/strong>/.exec(out.stdout);
    expect(firstSite?.[1]).toBe("yahoo");
    expect(tagsOf(out.stdout).filter((tag) => !TAGS.has(tag))).toEqual([]);
    const simulate = await runCli(["simulate", EXAMPLE, "--format", "html", "--exit-zero"]);
    expect(simulate.code).toBe(0);
    expect(simulate.stdout).toContain('<svg class="chart"');
    expect(simulate.stdout).not.toContain('class="line base');
  });
});
