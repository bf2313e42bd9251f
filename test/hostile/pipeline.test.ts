/**
 * Hostile inputs through the whole pipeline (simulateSide → simulateInstance) at the limits the parsers
 * allow, and pathological masks against long hosts: bounded time, no exception.
 */
import { describe, expect, it } from "vitest";
import { simulateSide } from "../../src/engine/index.js";
import { LIMITS } from "../../src/parse/limits.js";
import { compileMask, maskCovers, ruleLookup, shadowingRules, wildcardMatch } from "../../src/simulate/index.js";
import type { MxRule } from "../../src/model/config.js";
import { checkRun } from "../fuzz/support/checks.js";
import { exampleFiles, examplePolicy, PATHS } from "../fuzz/support/repo.js";
import { timed } from "./helpers.js";

const policy = examplePolicy();

function run(edit: Record<string, string>) {
  const files = { ...exampleFiles(), ...edit };
  const { value, ms } = timed(() => simulateSide(files, policy));
  checkRun(value, files, 1);
  return { run: value, ms, files };
}

const ruleAt = (index: number, mask: string): MxRule => ({
  index,
  mask,
  range: null,
  shared: true,
  maxConnections: 1,
  maxMessagesPerConnection: 1,
  messagesPerHour: 1,
  connectionTimeoutSec: 10,
  timeoutDataSec: 240,
  timeoutSec: 60,
  tls: "default",
  span: { file: "m.yaml", line: index + 2, column: 3, endLine: index + 2, endColumn: 9 },
  fieldPos: {},
  defaulted: [],
});

describe("pathological masks (no regex backtracking)", () => {
  it("matches *a*a*a*a*a*a*a*a*a*a*b against a 5,000-character host in < 50 ms", () => {
    const host = "a".repeat(5_000);
    for (const mask of ["*a*a*a*a*a*a*a*a*a*a*b", "*a*a*a*a*a*a*a*a*a*a*b*", "?*?*?*?*?*?*?*?*?*?*b", `*${"a".repeat(200)}b*`]) {
      const { value, ms } = timed(() => compileMask(mask)(host));
      expect(value).toBe(false);
      expect(ms).toBeLessThan(50);
    }
    expect(wildcardMatch("*a*a*a*a*a*a*a*a*a*a*b", `${host}b`)).toBe(true);
  });

  it("looks rules up and checks shadowing for 1,000 pathological masks in bounded time", () => {
    const rules = Array.from({ length: LIMITS.rules }, (_, i) => ruleAt(i, `*${"a*".repeat(120)}x${i}x`));
    const lookup = timed(() => {
      const find = ruleLookup(rules);
      return [find("a".repeat(253), 1), find(`${"a".repeat(200)}.example`, 1)];
    });
    expect(lookup.value).toEqual([null, null]);
    console.log(`[hostile] rule lookup over 1,000 pathological masks: ${lookup.ms.toFixed(0)} ms`);
    expect(lookup.ms).toBeLessThan(2000);
    const shadows = timed(() => shadowingRules(rules));
    expect(shadows.value.every((s) => s.length === 0)).toBe(true);
    console.log(`[hostile] shadowing check over 1,000 pathological masks: ${shadows.ms.toFixed(0)} ms`);
    expect(shadows.ms).toBeLessThan(3000);
    expect(maskCovers("*", "*a*a*a*b")).toBe(true);
  });
});

describe("hostile repositories through simulateSide", () => {
  it("simulates 10^12 recipients with counts that still add up, quickly", () => {
    const traffic = exampleFiles()[PATHS.traffic]!.replace('"2,000,000"', '"1,000,000,000,000"');
    const { run: result, ms } = run({ [PATHS.traffic]: traffic });
    const delivery = result.report.instances[0]!.deliveries[0]!;
    expect(delivery.recipients).toBe(1_000_000_000_000);
    expect(delivery.sent! + delivery.expired!).toBe(1_000_000_000_000);
    expect(ms).toBeLessThan(2000);
  });

  it("turns a 10^15-recipient plan and a year-9999 start into config-error findings with file:line:column", () => {
    const traffic = exampleFiles()
      [PATHS.traffic]!.replace('"2,000,000"', "1000000000000000")
      .replace("2026-11-27T13:00:00Z", "9999-11-27T13:00:00Z");
    const { run: result } = run({ [PATHS.traffic]: traffic });
    expect(result.report.findings.map((f) => [f.id, f.file, f.line, f.column])).toEqual([
      ["config-error", PATHS.traffic, 7, 17],
      ["config-error", PATHS.traffic, 20, 12],
    ]);
  });

  it("bounds a worst case within the limits: 1,000 rules, max working-set age, 500 deliveries over 31 days", () => {
    const rules = `rules:\n${Array.from({ length: LIMITS.rules - 1 }, (_, i) => `  - { mask: "*${"a*".repeat(60)}x${i}x", maxConnections: 1, messagesPerHour: 12 }`).join("\n")}\n  - { mask: "*", maxConnections: 1, maxMessagesPerConnection: 1, messagesPerHour: 12 }\n`;
    const deliveries = Array.from({ length: LIMITS.deliveries }, (_, i) => {
      const start = new Date(Date.UTC(2026, 10, 1) + (i % 31) * 86_400_000 + (i % 24) * 3_600_000).toISOString().slice(0, 19);
      const domains = Array.from({ length: 4 }, (_, k) => `      d${(i * 4 + k) % 1_000}.${"a".repeat(40)}.example: ${k + 1}`).join("\n");
      return `  - name: "d${i}"\n    start: ${start}Z\n    recipients: 1000000\n    validity: 30d\n    retryPeriod: 1m\n    retries: 1000\n    domains:\n${domains}`;
    });
    const traffic = `deliveries:\n${deliveries.join("\n")}\n`;
    const serverConf = exampleFiles()[PATHS.serverConf]!.replace('maxAgeSec="600"', `maxAgeSec="${LIMITS.maxAgeSec}"`);
    const { run: result, ms } = run({ [PATHS.mxRules]: rules, [PATHS.traffic]: traffic, [PATHS.serverConf]: serverConf });
    expect(result.report.findings.filter((f) => f.id === "config-error")).toEqual([]);
    expect(result.report.instances[0]!.deliveries).toHaveLength(LIMITS.deliveries);
    console.log(`[hostile] worst case within limits: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(30_000);
  }, 60_000);
});
