import { describe, expect, it } from "vitest";
import { parseTraffic } from "../../src/parse/traffic.js";
import { errorsOf, fixture, onlyError, valueOf, yaml } from "./yaml-helpers.js";

const parse = (text: string) => parseTraffic(text, "campaign/traffic.yaml");

/** One delivery with the required keys plus `extra` lines (line 6 onwards). */
const delivery = (...extra: string[]) =>
  yaml("deliveries:", "  - name: News", "    start: 2026-11-27T08:00:00Z", "    recipients: 1000", ...extra);

describe("parseTraffic: values", () => {
  const plan = valueOf(parse(fixture("traffic.yaml")));
  const [black, welcome] = plan.deliveries;

  it("reads the written values", () => {
    expect(plan.file).toBe("campaign/traffic.yaml");
    expect(black).toMatchObject({
      name: "Black Friday newsletter",
      start: Date.UTC(2026, 10, 27, 8),
      recipients: 2_000_000,
      affinity: "default",
      deadlineSec: 6 * 3600,
      validitySec: 5 * 86400,
      retryPeriodSec: 3600,
      retries: 5,
    });
  });

  it("converts shares and counts, lower-cases domains, keeps file order, and puts the rest in other", () => {
    expect(black!.domains.map((d) => [d.domain, d.recipients, d.written])).toEqual([
      ["gmail.com", 700_000, { share: 0.35 }],
      ["yahoo.com", 240_000, { share: 0.12 }],
      ["hotmail.com", 200_000, { share: 0.1 }],
      ["orange.fr", 50_000, { count: 50_000 }],
    ]);
    expect(black!.otherRecipients).toBe(810_000);
  });

  it("uses the largest-remainder method so counts sum exactly", () => {
    expect(welcome!.domains.map((d) => d.recipients)).toEqual([2, 2, 3]);
    expect(welcome!.otherRecipients).toBe(0);
  });

  it("applies the defaults", () => {
    expect(welcome).toMatchObject({
      start: Date.UTC(2026, 10, 27, 8, 30),
      affinity: null,
      deadlineSec: null,
      validitySec: 432_000,
      retryPeriodSec: 3600,
      retries: 5,
    });
  });

  it("keeps positions of the delivery, its fields and its domains", () => {
    expect(black!.span).toMatchObject({ line: 3, column: 5, endLine: 15 });
    expect(black!.fieldPos.recipients).toMatchObject({ line: 5, column: 17 });
    expect(black!.fieldPos.validity).toMatchObject({ line: 13 });
    expect(welcome!.fieldPos.validity).toBeUndefined();
    expect(black!.domains[1]!.pos).toMatchObject({ line: 9, column: 18 });
  });

  it("accepts a delivery without domains: everything is other", () => {
    const plan2 = valueOf(parse(delivery()));
    expect(plan2.deliveries[0]).toMatchObject({ domains: [], otherRecipients: 1000 });
    expect(valueOf(parse(delivery("    domains:"))).deliveries[0]!.otherRecipients).toBe(1000);
  });

  it("accepts exactly 100% and counts equal to recipients", () => {
    expect(valueOf(parse(delivery("    domains:", "      a.example: 60%", "      b.example: 40%"))).deliveries[0]!.otherRecipients).toBe(0);
    expect(valueOf(parse(delivery("    domains:", "      a.example: 400", '      b.example: "600"'))).deliveries[0]!.otherRecipients).toBe(
      0,
    );
  });

  it("reads JSON", () => {
    const json =
      '{"deliveries": [{"name": "J", "start": "2026-01-01T00:00:00+02:00", "recipients": "1,000", "domains": {"gmail.com": 0.5}}]}';
    const d = valueOf(parse(json)).deliveries[0]!;
    expect([d.start, d.recipients, d.domains[0]!.recipients]).toEqual([Date.UTC(2025, 11, 31, 22), 1000, 500]);
  });
});

describe("parseTraffic: errors", () => {
  it("shares above 100% at the domains key, naming the total", () => {
    const error = onlyError(parse(delivery("    domains:", "      gmail.com: 60%", "      yahoo.com: 0.5")));
    expect(error).toMatchObject({ line: 5, column: 5, message: "the domain shares add up to 110%, more than 100%", found: "110%" });
  });

  it("counts above recipients", () => {
    const error = onlyError(parse(delivery("    domains:", "      gmail.com: 900", '      yahoo.com: "1,200"')));
    expect(error).toMatchObject({ line: 5, column: 5, message: "the domain counts add up to 2100, more than the 1000 recipients" });
  });

  it("shares plus counts above recipients", () => {
    const error = onlyError(parse(delivery("    domains:", "      gmail.com: 90%", "      yahoo.com: 200")));
    expect(error.message).toBe("the domain counts and shares come to 1100, more than the 1000 recipients");
  });

  it("a share above 100% or a fractional count at its value", () => {
    expect(onlyError(parse(delivery("    domains:", "      gmail.com: 120%")))).toMatchObject({
      line: 6,
      column: 18,
      message: "a share cannot exceed 100% (120%)",
    });
    expect(onlyError(parse(delivery("    domains:", "      gmail.com: 2.5")))).toMatchObject({
      line: 6,
      column: 18,
      hint: 'write "2.5%" for a percentage',
    });
  });

  it("duplicate delivery names at the second, naming the first's line", () => {
    const text = yaml(
      "deliveries:",
      "  - name: News",
      "    start: 2026-11-27T08:00:00Z",
      "    recipients: 10",
      "  - name: News",
      "    start: 2026-11-28T08:00:00Z",
      "    recipients: 10",
    );
    expect(onlyError(parse(text))).toMatchObject({ line: 5, column: 11, message: 'another delivery is already named "News" (line 2)' });
  });

  it("domain keys: reserved other, duplicates after lower-casing, invalid names", () => {
    expect(onlyError(parse(delivery("    domains:", "      other: 10%")))).toMatchObject({
      line: 6,
      column: 7,
      message: '"other" is reserved for the recipients in no named domain',
    });
    expect(onlyError(parse(delivery("    domains:", "      gmail.com: 10%", "      GMail.com: 5%")))).toMatchObject({
      line: 7,
      column: 7,
      message: 'the domain "gmail.com" is listed twice (first on line 6)',
    });
    expect(onlyError(parse(delivery("    domains:", '      "gmail com": 10%')))).toMatchObject({
      line: 6,
      column: 7,
      message: '"gmail com" is not a valid host name',
    });
  });

  it("unparseable date and date without timezone", () => {
    const text = (start: string) => yaml("deliveries:", "  - name: N", `    start: ${start}`, "    recipients: 10");
    expect(onlyError(parse(text("next friday")))).toMatchObject({ line: 3, column: 12, message: '"next friday" is not an ISO-8601 date' });
    expect(onlyError(parse(text("2026-11-27T08:00:00")))).toMatchObject({
      line: 3,
      column: 12,
      hint: 'add "Z" for UTC or an offset such as "+01:00"',
    });
    expect(onlyError(parse(text("2026-02-30T08:00:00Z"))).message).toBe('"2026-02-30T08:00:00Z" is not a valid calendar date and time');
  });

  it.each([
    ["    recipients: 1000000000001", 4, "1000000000001 is too large: the maximum is 1000000000000"],
    ["    recipients: 0", 4, "0 is too small: the minimum is 1"],
    ["    recipients: -5", 4, "a count cannot be negative (-5)"],
    ["    validity: 31d", 5, "31d is too long: the maximum is 30d"],
    ["    retries: 1001", 5, "1001 is too large: the maximum is 1000"],
    ["    retryPeriod: 30s", 5, "30s is too short: the minimum is 1m"],
    ["    deadline: 6", 5, "a number without a unit"],
  ])("sanity bound: %s", (line, at, message) => {
    const lines = line.includes("recipients")
      ? ["deliveries:", "  - name: N", "    start: 2026-11-27T08:00:00Z", line]
      : ["deliveries:", "  - name: N", "    start: 2026-11-27T08:00:00Z", "    recipients: 10", line];
    expect(onlyError(parse(yaml(...lines)))).toMatchObject({ line: at, message });
  });

  it.each(["1999-12-31T23:00:00Z", "2101-01-01T00:00:00Z"])("start year out of range: %s", (start) => {
    const error = onlyError(parse(yaml("deliveries:", "  - name: N", `    start: ${start}`, "    recipients: 10")));
    expect(error).toMatchObject({ line: 3, column: 12, expected: "a date between the years 2000 and 2100" });
  });

  it("unknown key with did-you-mean", () => {
    expect(onlyError(parse(delivery("    retrys: 3")))).toMatchObject({
      line: 5,
      column: 5,
      message: 'unknown key "retrys"',
      hint: 'did you mean "retries"?',
    });
  });

  it("missing required keys and wrong types", () => {
    const errors = errorsOf(parse(yaml("deliveries:", "  - name: 42", "    recipients: [1]")));
    expect(errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [2, 5, 'missing required key "start"'],
      [2, 11, "expected text (quote it)"],
      [3, 17, "expected a number"],
    ]);
  });

  it("collects errors from several deliveries", () => {
    const text = yaml(
      "deliveries:",
      "  - name: A",
      "    start: 2026-11-27T08:00:00Z",
      "    recipients: 10",
      "    domains: {a.example: 80%, b.example: 30%}",
      "  - name: B",
      "    start: 2026-11-27T08:00:00Z",
      "    recipients: 10",
      "    domains: {other: 1}",
    );
    expect(errorsOf(parse(text)).map((e) => e.line)).toEqual([5, 9]);
  });
});

describe("parseTraffic: waves", () => {
  it("turns { size, every } into waves until every recipient is released", () => {
    const d = valueOf(parse(delivery("    waves: { size: 400, every: 2h }"))).deliveries[0]!;
    expect(d.waves).toEqual(Array.from({ length: Math.ceil(d.recipients / 400) }, (_, k) => ({ afterSec: k * 7200, size: 400 })));
  });
  it("keeps an explicit list in time order, and null without waves", () => {
    const d = valueOf(parse(delivery("    waves:", "      - { after: 3h, size: 100 }", "      - { after: 0s, size: 200 }"))).deliveries[0]!;
    expect(d.waves).toEqual([
      { afterSec: 0, size: 200 },
      { afterSec: 10_800, size: 100 },
    ]);
    expect(valueOf(parse(delivery())).deliveries[0]!.waves).toBeNull();
  });
  it("refuses a wave without size, at its line", () => {
    expect(errorsOf(parse(delivery("    waves: { every: 2h }"))).length).toBeGreaterThan(0);
  });
});
