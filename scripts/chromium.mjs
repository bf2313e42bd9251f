// Debian's Chromium as playwright-core launches it for the HTML report (the browser test and
// scripts/screenshot-report.mjs): the system browser, no download, and no background connections,
// which this machine's closed network would refuse.
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
