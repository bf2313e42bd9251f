import { describe, expect, it } from "vitest";
import {
  allocateShares,
  formatDuration,
  parseCount,
  parseDuration,
  parseIsoDate,
  parseVolume,
  type UnitResult,
} from "../../src/schema/units.js";

function value<T>(r: UnitResult<T>): T {
  if (!r.ok) throw new Error(r.message);
  return r.value;
}
function reason<T>(r: UnitResult<T>): string {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.message;
}

describe("parseDuration", () => {
  it.each([
    ["10s", 10],
    ["4m", 240],
    ["1h", 3600],
    ["5d", 432000],
    ["1h30m", 5400],
    ["1d 2h 3m 4s", 93784],
    ["0s", 0],
    [" 2H ", 7200],
  ])("%s → %i seconds", (text, seconds) => {
    expect(value(parseDuration(text))).toBe(seconds);
  });

  it("rejects a bare number and suggests a unit", () => {
    const r = parseDuration(10);
    expect(reason(r)).toBe("a number without a unit");
    expect(r.ok ? "" : r.hint).toBe('write "10s" for seconds or "10m" for minutes');
  });

  it.each(["", "10", "10x", "30m1h", "1h1h", "1.5h", "-5m", "h"])("rejects %j", (text) => {
    expect(parseDuration(text).ok).toBe(false);
  });

  it("suggests whole units for a fractional duration", () => {
    const r = parseDuration("1.5h");
    expect(r.ok ? "" : r.hint).toContain("1h30m");
  });

  it("rejects non-text values", () => {
    expect(reason(parseDuration(true))).toBe("expected a duration");
    expect(reason(parseDuration(null))).toBe("expected a duration");
  });

  it("formats seconds back", () => {
    expect(formatDuration(5400)).toBe("1h30m");
    expect(formatDuration(432000)).toBe("5d");
    expect(formatDuration(0)).toBe("0s");
  });
});

describe("parseCount", () => {
  it.each([
    [1200, 1200],
    ["1200", 1200],
    ["1,200", 1200],
    ["2,000,000", 2000000],
    [0, 0],
    ["  15 ", 15],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ])("%j → %i", (raw, n) => {
    expect(value(parseCount(raw))).toBe(n);
  });

  it.each([
    ["1,20", "misplaced thousands separators"],
    ["12,00", "misplaced thousands separators"],
    ["1,2000", "misplaced thousands separators"],
    [-3, "cannot be negative"],
    ["-3", "cannot be negative"],
    [1.5, "whole number"],
    ["1.5", "whole number"],
    [Number.NaN, "NaN"],
    [Number.MAX_SAFE_INTEGER + 2, "too large"],
    [Number.POSITIVE_INFINITY, "too large"],
    ["many", "not a number"],
    [true, "expected a number"],
  ])("rejects %j (%s)", (raw, why) => {
    expect(reason(parseCount(raw))).toContain(why);
  });

  it("applies bounds with the bound in the message", () => {
    expect(reason(parseCount(0, { min: 1 }))).toBe("0 is too small: the minimum is 1");
    expect(reason(parseCount("1,001", { max: 1000 }))).toBe("1001 is too large: the maximum is 1000");
    expect(value(parseCount("1,000", { min: 1, max: 1000 }))).toBe(1000);
  });
});

describe("parseVolume", () => {
  const share = (raw: unknown) => {
    const v = value(parseVolume(raw));
    if (!("share" in v)) throw new Error("expected a share");
    return Number(v.share.num) / 10 ** v.share.scale;
  };
  const count = (raw: unknown) => {
    const v = value(parseVolume(raw));
    if (!("count" in v)) throw new Error("expected a count");
    return v.count;
  };

  it("reads percentages and fractions as shares", () => {
    expect(share("35%")).toBe(0.35);
    expect(share("12.5%")).toBe(0.125);
    expect(share("100%")).toBe(1);
    expect(share("0%")).toBe(0);
    expect(share(0.35)).toBe(0.35);
    expect(share("0.35")).toBe(0.35);
    expect(share(1.5e-7)).toBeCloseTo(1.5e-7, 15);
  });

  it("reads whole numbers as counts, including 0 and 1", () => {
    expect(count(0)).toBe(0);
    expect(count(1)).toBe(1);
    expect(count(50000)).toBe(50000);
    expect(count("2,000,000")).toBe(2000000);
  });

  it.each([
    ["101%", "cannot exceed 100%"],
    ["-5%", "cannot be negative"],
    [-0.5, "cannot be negative"],
    [1.5, "neither a share"],
    ["abc%", "not a percentage"],
    [Number.NaN, "NaN"],
    ["1,20", "misplaced"],
  ])("rejects %j (%s)", (raw, why) => {
    expect(reason(parseVolume(raw))).toContain(why);
  });
});

describe("parseIsoDate", () => {
  it("reads UTC and offset dates to epoch ms", () => {
    expect(value(parseIsoDate("2026-11-27T08:00:00Z"))).toBe(Date.UTC(2026, 10, 27, 8));
    expect(value(parseIsoDate("2026-11-27T09:00:00+01:00"))).toBe(Date.UTC(2026, 10, 27, 8));
    expect(value(parseIsoDate("2026-11-27T03:30:00-0430"))).toBe(Date.UTC(2026, 10, 27, 8));
    expect(value(parseIsoDate("2026-11-27T08:00Z"))).toBe(Date.UTC(2026, 10, 27, 8));
    expect(value(parseIsoDate("2026-11-27T08:00:00.250Z"))).toBe(Date.UTC(2026, 10, 27, 8, 0, 0, 250));
  });

  it("rejects a date without timezone as ambiguous", () => {
    const r = parseIsoDate("2026-11-27T08:00:00");
    expect(reason(r)).toBe('"2026-11-27T08:00:00" has no timezone, so the time is ambiguous');
    expect(reason(parseIsoDate("2026-11-27"))).toContain("no timezone");
  });

  it.each([
    "2026-02-30T08:00:00Z",
    "2026-13-01T08:00:00Z",
    "2026-11-27T25:00:00Z",
    "2026-11-27T08:60:00Z",
    "next friday",
    "2026-11-27T08:00:00+25:00",
  ])("rejects %j", (text) => {
    expect(parseIsoDate(text).ok).toBe(false);
  });

  it("rejects numbers and Date objects", () => {
    expect(reason(parseIsoDate(1764230400000))).toBe("expected a date and time");
    expect(reason(parseIsoDate(new Date()))).toBe("expected a date written as text");
  });
});

describe("allocateShares (largest remainder)", () => {
  const exact = (num: number, scale: number) => ({ num: BigInt(num), scale });

  it("keeps exact shares exact", () => {
    expect(allocateShares(2_000_000, [exact(35, 2), exact(12, 2), exact(10, 2)])).toEqual([700_000, 240_000, 200_000]);
  });

  it("gives the leftover units to the largest remainders so the total is exact", () => {
    // 7 × 1/3 each = 2.33…; 100% of 7 must be 7: the largest remainders (ties: earlier first) get the extra unit.
    expect(allocateShares(7, [exact(3333, 4), exact(3333, 4), exact(3334, 4)])).toEqual([2, 2, 3]);
    expect(allocateShares(10, [exact(1, 1), exact(45, 2), exact(45, 2)])).toEqual([1, 5, 4]);
  });

  it("rounds the combined share half up", () => {
    // 3 × 16.5% of 10 = 4.95 → 5 in total
    expect(allocateShares(10, [exact(165, 3), exact(165, 3), exact(165, 3)])).toEqual([2, 2, 1]);
    expect(allocateShares(1, [exact(4, 1)])).toEqual([0]);
  });

  it("handles very large totals exactly", () => {
    const counts = allocateShares(999_999_999_999, [exact(1, 3), exact(1, 3), exact(998, 3)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(999_999_999_999);
  });
});
