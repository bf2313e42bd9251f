/**
 * The HTML report in a real browser: Debian's Chromium driven by playwright-core (no browser
 * download; .ci/run installs the package). One launch for every check. Node only: vitest.config.ts
 * keeps this file out of the "core" project, which also runs under Bun.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDiffHtml } from "../../src/render/html/page.js";
import { review } from "../../src/review/review.js";
import { delivery, finding, instance, policy, report, run, site } from "../fixtures/review/build.js";
import { series } from "../fixtures/review/scenarios.js";
import { CHROMIUM, CHROMIUM_ARGS } from "../../scripts/chromium.mjs";
import { EXAMPLE, runCli } from "../cli/helpers.js";

const PR = join(EXAMPLE, "../campaign-repo-pr");

let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: this test needs Debian's chromium package (apt-get install chromium; .ci/run installs it)`,
    );
  }
  // A new, empty profile: playwright passes it to Chromium as --user-data-dir.
  profile = mkdtempSync(join(tmpdir(), "mx-guard-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: 1360, height: 1000 },
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** The SVGPathElement calls the test makes. */
interface SvgPath {
  getBBox(): { width: number; height: number };
  getTotalLength(): number;
}

interface Loaded {
  page: Page;
  errors: string[];
  requests: string[];
}

/** Loads `content` with every request refused and recorded, and every console error and page error kept. */
async function load(content: string): Promise<Loaded> {
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") errors.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("dialog", (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("request", (request) => requests.push(request.url()));
  await page.route("**/*", (route) => {
    requests.push(`routed: ${route.request().url()}`);
    return route.abort();
  });
  await page.setContent(content, { waitUntil: "load" });
  return { page, errors, requests };
}

describe("the HTML report in Chromium", () => {
  it("draws every site chart of the demo pull request, with no console error and no request", async () => {
    const out = await runCli(["diff", EXAMPLE, PR, "--format", "html", "--exit-zero"]);
    expect(out.code).toBe(0);
    const { page, errors, requests } = await load(out.stdout);
    const charts = await page.$$eval("svg.chart", (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        // Runs in the page (the project's types have no DOM library: the few calls are typed here).
        const style = (globalThis as unknown as { getComputedStyle(el: unknown): { stroke: string } }).getComputedStyle;
        const lines = [...svg.querySelectorAll("path.line")].map((element) => {
          const path = element as unknown as SvgPath;
          const bbox = path.getBBox();
          return {
            cls: element.getAttribute("class"),
            d: element.getAttribute("d") ?? "",
            length: path.getTotalLength(),
            width: bbox.width,
            height: bbox.height,
            stroke: style(element).stroke,
          };
        });
        return { width: box.width, height: box.height, lines };
      }),
    );
    expect(charts.length).toBeGreaterThanOrEqual(4);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(100);
      expect(chart.height).toBeGreaterThan(50);
      expect(chart.lines.map((l) => l.cls)).toEqual(["line base waiting", "line base sent", "line head waiting", "line head sent"]);
      for (const line of chart.lines) {
        expect(line.d).toMatch(/^M[\d.]+ [\d.]+ L/);
        expect(line.length).toBeGreaterThan(0);
        // A line of messages sent so far rises: it has a width and a height on screen.
        if (line.cls?.endsWith("sent")) {
          expect(line.width).toBeGreaterThan(0);
          expect(line.height).toBeGreaterThan(0);
        }
        expect(line.stroke).not.toBe("none");
      }
    }
    // The demo's change slows Yahoo: charted first, and its head line ends later than its base line.
    expect(await page.$eval("figure.site figcaption strong", (el) => el.textContent)).toBe("yahoo");
    const table = await page.$$eval("table.deliveries tbody tr", (rows) => rows.map((row) => row.textContent ?? ""));
    expect(table.some((row) => row.includes("Black Friday newsletter") && row.includes("72.1 h"))).toBe(true);
    expect(await page.$$eval("li.finding code.where", (els) => els.map((el) => el.textContent))).toContain("campaign/mx-rules.yaml:20-24");
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);

  it("runs nothing a hostile name carries: no script element, no handler, no dialog", async () => {
    const evil = `"><script>alert(1)</script><img src=x onerror=alert(2)><svg onload=alert(3)>`;
    const d = delivery(`News${evil}`, 1_000, 0, 0, 2);
    d.domains = [{ ...d.domains[0]!, site: `g${evil}` }];
    const rep = report(
      [instance(`prod${evil}`, [d], [site(`g${evil}`, { hourly: series(12, 300) })], [`assumed ${evil}`])],
      [{ ...finding("deadline-miss", "x", { instance: `prod${evil}`, file: `c/${evil}` }), message: evil, suggestion: evil }],
    );
    const { page, errors, requests } = await load(renderDiffHtml(review(run(rep), run(rep), policy(), { simulate: null })));
    expect(await page.$$eval("script, img, iframe, object, embed", (els) => els.length)).toBe(0);
    const handlers = await page.$$eval("*", (els) =>
      els.flatMap((el) => [...el.attributes].map((a) => a.name).filter((name) => name.startsWith("on"))),
    );
    expect(handlers).toEqual([]);
    expect(await page.textContent("h3 + ul.findings p")).toBe(evil);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);
});
