#!/usr/bin/env node
// Regenerates docs/report.png: the HTML report of the README's demo pull request
// (`mx-guard diff examples/campaign-repo examples/campaign-repo-pr --format html`), rendered in
// Debian's Chromium by playwright-core. Needs `npm run build` first (it runs bin/mx-guard.js).
// Usage: node scripts/screenshot-report.mjs [OUT.png] [--html OUT.html]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

import { CHROMIUM, CHROMIUM_ARGS } from "./chromium.mjs";

const args = process.argv.slice(2);
const htmlAt = args.indexOf("--html");
const htmlOut = htmlAt >= 0 ? args[htmlAt + 1] : null;
const out = args.find((arg, i) => !arg.startsWith("--") && (htmlAt < 0 || i !== htmlAt + 1)) ?? "docs/report.png";

if (!existsSync(CHROMIUM)) {
  console.error(`screenshot-report: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  process.exit(2);
}
const run = spawnSync(
  process.execPath,
  ["bin/mx-guard.js", "diff", "examples/campaign-repo", "examples/campaign-repo-pr", "--format", "html", "--exit-zero"],
  { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
);
if (run.status !== 0) {
  console.error(`screenshot-report: mx-guard diff failed (${run.status}); run npm run build first\n${run.stderr}`);
  process.exit(2);
}
if (htmlOut) writeFileSync(htmlOut, run.stdout);

const profile = mkdtempSync(join(tmpdir(), "mx-guard-chromium-"));
// A new, empty profile (playwright passes it as --user-data-dir).
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  args: CHROMIUM_ARGS,
  viewport: { width: 1360, height: 1600 },
  deviceScaleFactor: 1,
});
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  // The report loads nothing; refuse anything it would try to load.
  await page.route("**/*", (route) => route.abort());
  await page.setContent(run.stdout, { waitUntil: "load" });
  // The verdict, the deliveries and the first row of site charts (the full page also lists every finding).
  const figures = await page.$$("figure.site");
  const last = figures[Math.min(1, figures.length - 1)];
  const box = last ? await last.boundingBox() : null;
  const height = box ? Math.ceil(box.y + box.height + 16) : 1100;
  await page.setViewportSize({ width: 1360, height });
  await page.screenshot({ path: out, clip: { x: 0, y: 0, width: 1360, height } });
  console.log(`screenshot-report: wrote ${out}`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
