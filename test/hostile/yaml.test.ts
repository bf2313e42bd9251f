/** Hostile mx-rules / traffic / providers / policy files: clear positioned errors or bounded results, fast. */
import { describe, expect, it } from "vitest";
import { decodeUtf8 } from "../../src/io/decode.js";
import { LIMITS } from "../../src/parse/limits.js";
import { parseMxRules } from "../../src/parse/mx-rules.js";
import { parsePolicy } from "../../src/parse/policy.js";
import { parseProviders } from "../../src/parse/providers.js";
import { parseTraffic } from "../../src/parse/traffic.js";
import { errorsOf, lineOf, timed } from "./helpers.js";

const rule = (mask: string) => `  - { mask: "${mask}", maxConnections: 1, messagesPerHour: 1 }`;
const delivery = (name: string, extra = "") => `  - name: "${name}"\n    start: 2026-11-27T08:00:00Z\n    recipients: 1000${extra}`;

describe("hostile YAML", () => {
  it("stops a YAML alias bomb (billion laughs) at the first alias, in milliseconds", () => {
    const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i <= 9; i++)
      levels.push(
        `${"bcdefghij"[i - 1]}: &${"bcdefghij"[i - 1]} [${Array(9)
          .fill(`*${"abcdefghij"[i - 1]}`)
          .join(", ")}]`,
      );
    const text = `rules:\n  - mask: "*"\n    maxConnections: 1\n    messagesPerHour: 1\n${levels.join("\n")}\n`;
    const { value, ms } = timed(() => parseMxRules(text, "m.yaml"));
    const [issue] = errorsOf(value, text);
    expect(issue).toMatchObject({ line: 6, expected: "at most 50 alias expansions" });
    expect(issue!.message).toContain("aliases");
    expect(ms).toBeLessThan(1000);
  });

  it("finds a duplicate key among 40,000 keys of one mapping without the library's quadratic check", () => {
    // The library's uniqueKeys check took 96 s for 40,000 keys (12 s for 20,000); one Set per mapping takes one pass.
    const keys = Array.from({ length: 40_000 }, (_, i) => `      d${i}.example.com: 1`);
    keys.push("      d7.example.com: 2");
    const text = `deliveries:\n  - name: x\n    start: 2026-11-27T08:00:00Z\n    recipients: 1000\n    domains:\n${keys.join("\n")}\n`;
    const { value, ms } = timed(() => parseTraffic(text, "traffic.yaml"));
    const [issue] = errorsOf(value, text);
    expect(issue).toMatchObject({ line: 5 + 40_001, found: "a key written twice", expected: "each key once per mapping" });
    expect(ms).toBeLessThan(20_000);
  });

  it("refuses 10,000-deep nesting (flow, block and compact) at once", () => {
    const cases = [
      `rules: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`,
      `rules: ${"{a: ".repeat(10_000)}1${"}".repeat(10_000)}\n`,
      `rules:\n${"- ".repeat(10_000)}x\n`,
      `rules:\n${Array.from({ length: 2_000 }, (_, i) => `${" ".repeat(i)}- `).join("\n")}x\n`,
    ];
    for (const text of cases) {
      const { value, ms } = timed(() => parseMxRules(text, "m.yaml"));
      const [issue] = errorsOf(value, text);
      expect(issue).toMatchObject({ message: "the file is nested too deeply to read", expected: "at most 64 levels of nesting" });
      expect(ms).toBeLessThan(100);
    }
  });

  it("rejects a million rules by size, and one rule over the cap by count, naming the limit", () => {
    const million = JSON.stringify({
      rules: Array.from({ length: 1_000_000 }, () => ({ mask: "a", maxConnections: 1, messagesPerHour: 1 })),
    });
    const huge = timed(() => parseMxRules(million, "m.json"));
    expect(errorsOf(huge.value, million)[0]).toMatchObject({ line: 1, column: 1, expected: "at most 4194304 bytes" });
    expect(huge.ms).toBeLessThan(1000);

    const text = `rules:\n${Array.from({ length: LIMITS.rules + 1 }, (_, i) => rule(`mx${i}.example`)).join("\n")}\n`;
    const over = timed(() => parseMxRules(text, "m.yaml"));
    const errors = errorsOf(over.value, text);
    expect(errors).toEqual([
      expect.objectContaining({
        line: LIMITS.rules + 2,
        column: 5,
        found: "1,001 MX rules",
        expected: "at most 1,000 MX rules",
        message: "too many MX rules: 1,001, while mx-guard accepts at most 1,000",
      }),
    ]);
    expect(over.ms).toBeLessThan(3000);
    expect(
      parseMxRules(`rules:\n${Array.from({ length: LIMITS.rules }, (_, i) => rule(`mx${i}.example`)).join("\n")}\n`, "m.yaml").ok,
    ).toBe(true);
  }, 30_000);

  it("caps deliveries, named domains, instances and providers at the first item over the limit", () => {
    const deliveries = `deliveries:\n${Array.from({ length: LIMITS.deliveries + 1 }, (_, i) => delivery(`d${i}`)).join("\n")}\n`;
    expect(errorsOf(parseTraffic(deliveries, "t.yaml"), deliveries)[0]).toMatchObject({
      line: lineOf(deliveries, `"d${LIMITS.deliveries}"`),
      expected: "at most 500 deliveries",
    });

    const domains = (n: number) => `\n    domains:\n${Array.from({ length: n }, (_, i) => `      d${i}.example: 1`).join("\n")}`;
    const spread = `deliveries:\n${delivery("a", domains(1_500))}\n${delivery("b", domains(600))}\n`;
    const [issue] = errorsOf(parseTraffic(spread, "t.yaml"), spread);
    // The 2,001st named domain is the 501st of the second delivery.
    expect(issue).toMatchObject({
      line: lineOf(spread, "d500.example", spread.indexOf('"b"')),
      column: 7,
      found: "2,100 named recipient domains (counted over all deliveries)",
    });

    const instances = `instances:\n${Array.from({ length: LIMITS.instances + 1 }, (_, i) => `  - name: i${i}`).join("\n")}\n`;
    expect(errorsOf(parsePolicy(instances, "g.yml"), instances)[0]).toMatchObject({
      line: LIMITS.instances + 2,
      expected: "at most 20 instances",
    });

    const providers = `providers:\n${Array.from({ length: LIMITS.providers + 1 }, (_, i) => `  p${i}: { domains: [p${i}.example], mx: [mx.p${i}.example] }`).join("\n")}\n`;
    expect(errorsOf(parseProviders(providers, "p.yaml"), providers)[0]).toMatchObject({
      line: LIMITS.providers + 2,
      column: 3,
      expected: "at most 500 providers",
    });
    const mx = `providers:\n  big:\n    domains: [big.example]\n    mx: [${Array.from({ length: LIMITS.providerMx + 1 }, (_, i) => `mx${i}.big.example`).join(", ")}]\n`;
    expect(errorsOf(parseProviders(mx, "p.yaml"), mx)[0]).toMatchObject({ line: 4, expected: "at most 1,000 provider MX hosts" });
  });

  it("refuses a plan of 10^15 recipients and a start in the year 9999, at the value", () => {
    const text = `deliveries:\n${delivery("huge").replace("recipients: 1000", "recipients: 1000000000000000")}\n${delivery("far").replace("2026-11-27", "9999-12-31")}\n`;
    const errors = errorsOf(parseTraffic(text, "t.yaml"), text);
    expect(errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [4, 17, "1000000000000000 is too large: the maximum is 1000000000000"],
      [6, 12, "the year 9999 is out of range"],
    ]);
    // 10^12 recipients is accepted and the simulation stays bounded (see pipeline.test.ts).
    expect(
      parseTraffic(`deliveries:\n${delivery("big").replace("recipients: 1000", 'recipients: "1,000,000,000,000"')}\n`, "t.yaml").ok,
    ).toBe(true);
  });

  it(`refuses deliveries that start more than ${LIMITS.planSpanDays} days apart (they would stretch the simulated horizon)`, () => {
    const text = `deliveries:\n${delivery("first")}\n${delivery("last").replace("2026-11-27", "2100-01-01")}\n`;
    const [issue] = errorsOf(parseTraffic(text, "t.yaml"), text);
    expect(issue).toMatchObject({ line: 6, column: 12 });
    expect(issue!.message).toContain('starts 26,698 days after "first" (line 3)');
    const near = `deliveries:\n${delivery("first")}\n${delivery("last").replace("2026-11-27", "2026-12-28")}\n`;
    expect(parseTraffic(near, "t.yaml").ok).toBe(true);
  });

  it("refuses binary content and invalid UTF-8 at their position", () => {
    const text = decodeUtf8(Uint8Array.from([...Buffer.from("rules:\n  - mask: caf"), 0xc3, 0x28, ...Buffer.from("\n")]));
    expect(errorsOf(parseMxRules(text, "m.yaml"), text)[0]).toMatchObject({ line: 2, column: 14, found: "an invalid UTF-8 sequence" });
    const nul = "deliveries: []\n\u0000\u0001";
    expect(errorsOf(parseTraffic(nul, "t.yaml"), nul)[0]).toMatchObject({ line: 2, column: 1, found: "a NUL byte" });
  });

  it("reads CRLF line ends, a byte-order mark and very long lines with the right positions", () => {
    const text = `\uFEFF# ${"c".repeat(1_000_000)}\r\nrules:\r\n  - mask: "*"\r\n    maxConnections: 1\r\n    messagesPerHour: fast\r\n`;
    const { value, ms } = timed(() => parseMxRules(text, "m.yaml"));
    expect(errorsOf(value, text)[0]).toMatchObject({ line: 5, column: 22, message: '"fast" is not a number' });
    expect(ms).toBeLessThan(1000);
    const longMask = `rules:\n  - mask: "${"a".repeat(1_000_000)}"\n    maxConnections: 1\n    messagesPerHour: 1\n`;
    expect(errorsOf(parseMxRules(longMask, "m.yaml"), longMask)[0]).toMatchObject({
      line: 2,
      message: "a mask has at most 253 characters",
    });
  });
});
