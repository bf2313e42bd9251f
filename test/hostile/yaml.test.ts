/** Hostile mx-rules / traffic / providers / policy files: clear positioned errors or bounded results, fast. */
import { describe, expect, it } from "vitest";
import { decodeUtf8 } from "../../src/io/decode.js";
import { LIMITS } from "../../src/parse/limits.js";
import { MX_RULES_KEY_BOUNDS, parseMxRules } from "../../src/parse/mx-rules.js";
import { parsePolicy } from "../../src/parse/policy.js";
import { PROVIDERS_KEY_BOUNDS, parseProviders } from "../../src/parse/providers.js";
import { parseTraffic, TRAFFIC_KEY_BOUNDS } from "../../src/parse/traffic.js";
import { readYaml } from "../../src/parse/yaml/index.js";
import { cpuTimed, errorsOf, lineOf, timed } from "./helpers.js";

const rule = (mask: string) => `  - { mask: "${mask}", maxConnections: 1, messagesPerHour: 1 }`;
const delivery = (name: string, extra = "") => `  - name: "${name}"\n    start: 2026-11-27T08:00:00Z\n    recipients: 1000${extra}`;

describe("hostile YAML", () => {
  it("stops a YAML alias bomb (billion laughs) at the first alias, in milliseconds", () => {
    // A list of levels (ten keys of a mapping would be more than any mapping of an mx-rules.yaml has).
    const levels = ["  - &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i <= 9; i++)
      levels.push(
        `  - &${"bcdefghij"[i - 1]} [${Array(9)
          .fill(`*${"abcdefghij"[i - 1]}`)
          .join(", ")}]`,
      );
    const text = `rules:\n  - mask: "*"\n    maxConnections: 1\n    messagesPerHour: 1\nbomb:\n${levels.join("\n")}\n`;
    const { value, ms } = timed(() => parseMxRules(text, "m.yaml"));
    const [issue] = errorsOf(value, text);
    expect(issue).toMatchObject({ line: 7, expected: "at most 50 alias expansions" });
    expect(issue!.message).toContain("aliases");
    expect(ms).toBeLessThan(1000);
  });

  it("finds a duplicate key among 40,000 keys of one mapping without the library's quadratic check", () => {
    // The library's uniqueKeys check took 96 s for 40,000 keys (12 s for 20,000); one Set per mapping takes one pass.
    // Read without key bounds: a traffic.yaml would refuse the mapping at its 2,001st key, before this check.
    const keys = Array.from({ length: 40_000 }, (_, i) => `      d${i}.example.com: 1`);
    keys.push("      d7.example.com: 2");
    const text = `deliveries:\n  - name: x\n    start: 2026-11-27T08:00:00Z\n    recipients: 1000\n    domains:\n${keys.join("\n")}\n`;
    const { value, ms } = timed(() => readYaml(text, "traffic.yaml"));
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

    // Listed waves, summed over the deliveries: 11 deliveries × 1,000 waves (each list within its own cap of 1,000).
    const waves = `\n    waves:\n${Array.from({ length: 1_000 }, (_, k) => `      - { after: ${k * 60}, size: 1 }`).join("\n")}`;
    const many = `deliveries:\n${Array.from({ length: 11 }, (_, i) => delivery(`w${i}`, waves)).join("\n")}\n`;
    const [wave] = errorsOf(parseTraffic(many, "t.yaml"), many);
    // The 10,001st listed wave is the first of the eleventh delivery.
    expect(wave).toMatchObject({
      line: lineOf(many, "- { after: 0, size: 1 }", many.indexOf('"w10"')),
      expected: `at most ${LIMITS.trafficWaves.toLocaleString("en-US")} listed waves (counted over all deliveries)`,
      found: "11,000 listed waves (counted over all deliveries)",
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

/** Every line gets a comment that itself looks like keys: comments are not keys. */
const commented = (lines: string[]) => lines.map((line, i) => `${line} # line ${i}: note: a comment, key: value`).join("\n");

describe("YAML mapping keys bounded before the document is composed", () => {
  const domainKeys = (n: number) => Array.from({ length: n }, (_, k) => `      d${k}.example: 1`).join("\n");
  const oneDelivery = (domains: string) =>
    `deliveries:\n  - name: big\n    start: 2026-11-27T08:00:00Z\n    recipients: 1000000\n    domains:\n${domains}\n`;

  it("refuses a 4 MB mapping of 160,000 keys at its 2,001st key in well under a second of CPU (4.5 s when composed whole)", () => {
    const text = oneDelivery(domainKeys(160_000));
    expect(text.length).toBeGreaterThan(3_500_000);
    const { value, cpuMs } = cpuTimed(() => parseTraffic(text, "traffic.yaml"));
    expect(errorsOf(value, text)).toEqual([
      expect.objectContaining({
        line: 2006, // the 2,001st domain: one mapping of a plan within the limits holds at most 2,000 keys
        column: 7,
        expected: "at most 2,000 keys in one mapping",
        found: "a mapping of more than 2,000 keys (about 160,005 mapping keys in the file)",
        message: expect.stringContaining("too many keys in one mapping: this is key 2,001 of its mapping"),
      }),
    ]);
    expect(cpuMs).toBeLessThan(1_500); // about 0.15 s measured on the loaded machine
  });

  it("refuses the same keys written as one flow mapping, at the key over the bound", () => {
    const text = `deliveries:\n  - {name: big, start: 2026-11-27T08:00:00Z, recipients: 1000000, domains: {${Array.from({ length: 5_000 }, (_, k) => `d${k}.example: 1`).join(", ")}}}\n`;
    const [issue] = errorsOf(parseTraffic(text, "traffic.yaml"), text);
    expect(issue).toMatchObject({
      line: 2,
      column: text.indexOf("d2000.example") - text.indexOf("\n"),
      expected: "at most 2,000 keys in one mapping",
    });
  });

  it("refuses more keys in all than a file within the limits can have, at the first key over the total", () => {
    expect(MX_RULES_KEY_BOUNDS.total).toBe(5 + LIMITS.rules * 10);
    const rules = Array.from({ length: 3_400 }, (_, i) => rule(`mx${i}.example`));
    const text = `rules:\n${rules.join("\n")}\n`;
    const [issue] = errorsOf(parseMxRules(text, "m.yaml"), text);
    // Key 10,006 is the 10,005th of the rules: the third key (messagesPerHour) of rule 3,335, on line 3,336.
    expect(issue).toMatchObject({
      line: 3_336,
      column: rule("mx3334.example").indexOf("messagesPerHour") + 1,
      found: "about 10,201 mapping keys",
      expected: "at most 10,005 mapping keys",
      message: expect.stringContaining("(1,000 MX rules × 10 keys + 5)"),
    });
  });

  it("accepts a maximal mx-rules.yaml: 1,000 rules with every key, the whole header, a comment on every line", () => {
    const lines = ["$schema: ./x.json", "source: custom", "level: custom", "snapshotDate: 2026-11-20", "rules:"];
    for (let i = 0; i < LIMITS.rules; i++)
      lines.push(
        `  - mask: "mx${i}.example"`,
        '    range: "1-4"',
        "    shared: false",
        "    maxConnections: 10",
        "    maxMessagesPerConnection: 20",
        "    messagesPerHour: 1000",
        "    connectionTimeout: 10s",
        "    timeoutData: 4m",
        "    timeout: 1m",
        "    tls: default",
      );
    const text = `${commented(lines)}\n`;
    const parsed = parseMxRules(text, "m.yaml");
    expect(parsed.ok ? parsed.value.rules.length : parsed.errors).toBe(LIMITS.rules);
    // Every key counted: one more is over the total.
    const [issue] = errorsOf(parseMxRules(`${text}    extra: 1\n`, "m.yaml"), text);
    expect(issue).toMatchObject({ expected: `at most ${MX_RULES_KEY_BOUNDS.total.toLocaleString("en-US")} mapping keys` });
  }, 30_000);

  it("accepts a maximal traffic.yaml: 500 deliveries with every key, 2,000 domains in one mapping, 1,000 waves, comments", () => {
    const lines = ["$schema: ./x.json", "deliveries:"];
    for (let d = 0; d < LIMITS.deliveries; d++) {
      lines.push(
        `  - name: "d${d}"`,
        "    start: 2026-11-27T08:00:00Z",
        "    recipients: 1000000",
        "    affinity: default",
        "    deadline: 6h",
        "    validity: 5d",
        "    retryPeriod: 1h",
        "    retries: 5",
        "    messageSizeKb: 60",
        "    domains:",
      );
      if (d === 0) for (let k = 0; k < LIMITS.trafficDomains; k++) lines.push(`      d${k}.example: 1`);
      lines.push("    waves:");
      for (let w = 0; w < (d === 1 ? 1_000 : 1); w++) lines.push(`      - after: ${w}m`, "        size: 1000");
    }
    const text = `${commented(lines)}\n`;
    const parsed = parseTraffic(text, "t.yaml");
    expect(parsed.ok ? parsed.value.deliveries.length : parsed.errors).toBe(LIMITS.deliveries);
    expect(TRAFFIC_KEY_BOUNDS.perMapping).toBe(LIMITS.trafficDomains);
  }, 30_000);

  it("accepts a maximal providers.yaml: 500 providers with every key, 10,000 domains, 10,000 domainMx entries in one mapping", () => {
    const lines = ["$schema: ./x.json", "providers:"];
    const perProvider = LIMITS.providerDomains / LIMITS.providers;
    for (let p = 0; p < LIMITS.providers; p++) {
      const domains = Array.from({ length: perProvider }, (_, k) => `p${p}-${k}.example`);
      lines.push(`  p${p}:`, `    domains: [${domains.join(", ")}]`, `    mx: [mx1.p${p}.example, mx2.p${p}.example]`, "    domainMx:");
      if (p === 0)
        for (let q = 0; q < LIMITS.providers; q++)
          for (let k = 0; k < perProvider; k++) lines.push(`      p${q}-${k}.example: [mx1.p0.example]`);
      else lines.push("      {}");
      lines.push(
        "    remoteIps: 4",
        "    requiresTls: false",
        "    recommendsTls: true",
        "    tlsNote: plaintext is accepted",
        "    acceptance: 0.9",
        "    secondsPerMessage: 0.5",
        "    connectSeconds: 1",
        "    tlsHandshakeSeconds: 0.2",
        "    note: a test provider",
        "    verifiedOn: 2026-12-01",
        "    source: a test",
      );
    }
    const text = `${commented(lines)}\n`;
    const parsed = parseProviders(text, "p.yaml");
    expect(parsed.ok ? parsed.value.providers.filter((p) => p.origin === "providers.yaml").length : parsed.errors).toBe(LIMITS.providers);
    expect(PROVIDERS_KEY_BOUNDS).toMatchObject({
      perMapping: LIMITS.providerDomains,
      total: 2 + LIMITS.providers * 15 + LIMITS.providerDomains,
    });
    const [issue] = errorsOf(parseProviders(`${text}      extra.example: [mx1.p0.example]\n`, "p.yaml"), text);
    expect(issue).toMatchObject({ expected: `at most ${PROVIDERS_KEY_BOUNDS.total.toLocaleString("en-US")} mapping keys` });
  }, 60_000);

  it("caps domainMx entries like the domains they name (10,000 summed over the providers)", () => {
    const entries = (p: string, n: number) => Array.from({ length: n }, (_, k) => `      ${p}-${k}.example: [mx.${p}.example]`).join("\n");
    const provider = (p: string, n: number) =>
      `  ${p}:\n    domains: [${p}.example]\n    mx: [mx.${p}.example]\n    domainMx:\n${entries(p, n)}`;
    const text = `providers:\n${provider("a", LIMITS.providerDomains)}\n${provider("b", 1)}\n`;
    expect(errorsOf(parseProviders(text, "p.yaml"), text)[0]).toMatchObject({
      line: lineOf(text, "b-0.example"),
      expected: "at most 10,000 domainMx domains",
    });
  }, 60_000);
});
