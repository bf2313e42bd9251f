#!/usr/bin/env node
// `npm test`: every suite in turn, then one closing line that totals them all ("N passed, N failed").
// Each vitest run also writes a JSON report, which is where the totals come from. Colours are off
// when stdout is not a terminal or CI is set. A failing step does not stop the later test suites,
// so one run shows every failure; set-up steps (redis, lint, typecheck, build) stop at once.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const plain = !process.stdout.isTTY || Boolean(process.env.CI);
const env = { ...process.env, ...(plain ? { NO_COLOR: "1", FORCE_COLOR: "0" } : {}) };
const reports = mkdtempSync(join(tmpdir(), "mx-guard-test-"));

const SETUP = [
  ["redis-server", "bash", ["scripts/ensure-redis.sh"]],
  ["lint", "npm", ["run", "--silent", "lint"]],
  ["typecheck", "npm", ["run", "--silent", "typecheck"]],
  ["build", "npm", ["run", "--silent", "build"]],
];

const vitest = (config) => ["vitest", "run", ...(config ? ["--config", config] : []), "--reporter=default", "--reporter=json"];
const SUITES = [
  ["unit and app (Node)", "npx", vitest(null), {}],
  ["core (Bun)", "npx", ["bun", "--bun", "x", ...vitest(null), "--project", "core"], {}],
  ["deploy", "npx", vitest("test/deploy/vitest.deploy.config.ts"), {}],
  ["end-to-end (Node)", "npx", vitest("test/e2e/vitest.e2e.config.ts"), {}],
  ["end-to-end (Bun)", "npx", vitest("test/e2e/vitest.e2e.config.ts"), { MX_GUARD_E2E_RUNTIME: "bun" }],
  ["replicas", "npx", [...vitest("test/replicas/vitest.replicas.config.ts"), "test/replicas/replicas.test.ts"], {}],
];

function run(label, command, args, extraEnv = {}) {
  console.log(`\n=== ${label}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  return result.status ?? 1;
}

for (const [label, command, args] of SETUP) {
  if (run(label, command, args) !== 0) {
    console.log(`\nmx-guard: ${label} failed; no test ran.`);
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];
SUITES.forEach(([label, command, args, extraEnv], index) => {
  const file = join(reports, `suite-${index}.json`);
  const status = run(label, command, [...args, `--outputFile.json=${file}`], extraEnv);
  let counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    const report = JSON.parse(readFileSync(file, "utf8"));
    counts = { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
  } catch {
    // No report: the runner itself failed (it counts as one failure below).
  }
  if (status !== 0 && counts.failed === 0) counts.failed = 1;
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
  lines.push(
    `  ${label.padEnd(22)} ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ""}`,
  );
});
rmSync(reports, { recursive: true, force: true });

console.log(`\n=== mx-guard test summary\n${lines.join("\n")}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
