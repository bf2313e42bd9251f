/**
 * Value syntaxes shared by the YAML files: durations, counts, shares and dates.
 * Each parser takes the raw YAML/JSON value and returns the value or a precise reason, so the
 * schema layer can attach the file position. Nothing here throws.
 */

export type UnitResult<T> = { ok: true; value: T } | { ok: false; message: string; expected: string; hint?: string };

export function good<T>(value: T): UnitResult<T> {
  return { ok: true, value };
}

export function bad<T>(message: string, expected: string, hint?: string): UnitResult<T> {
  return hint === undefined ? { ok: false, message, expected } : { ok: false, message, expected, hint };
}

// ---------------------------------------------------------------------------------------------
// Durations: "10s", "4m", "1h", "5d", "1h30m" (units in descending order, each at most once)

const DURATION_EXPECTED = "a duration with a unit s, m, h or d (e.g. 10s, 4m, 1h30m, 5d)";
const DURATION_RE = /^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$/;

export function parseDuration(raw: unknown): UnitResult<number> {
  if (typeof raw === "number") {
    const hint = Number.isInteger(raw) && raw >= 0 ? `write "${raw}s" for seconds or "${raw}m" for minutes` : undefined;
    // The message says what is wrong; DURATION_EXPECTED (printed after it) says what is expected.
    return bad("a number without a unit", DURATION_EXPECTED, hint);
  }
  if (typeof raw !== "string") return bad("expected a duration", DURATION_EXPECTED);
  const text = raw.trim().toLowerCase();
  const m = DURATION_RE.exec(text);
  if (text === "" || !m || (m[1] ?? m[2] ?? m[3] ?? m[4]) === undefined) {
    const hint = /^\d+(\.\d+)?[smhd]?$/.test(text) && text.includes(".") ? 'use whole units, e.g. "1h30m" instead of "1.5h"' : undefined;
    return bad(`"${raw}" is not a duration`, DURATION_EXPECTED, hint);
  }
  const [d, h, mi, s] = [m[1], m[2], m[3], m[4]].map((part) => (part === undefined ? 0 : Number(part))) as [number, number, number, number];
  const seconds = d * 86400 + h * 3600 + mi * 60 + s;
  if (!Number.isSafeInteger(seconds)) return bad(`"${raw}" is too long a duration`, DURATION_EXPECTED);
  return good(seconds);
}

export { formatDuration } from "../model/format.js";

// ---------------------------------------------------------------------------------------------
// Counts: 1200, "1200", "1,200", "2,000,000" (as the Campaign console shows them)

const GROUPED_RE = /^\d{1,3}(?:,\d{3})+$/;
const PLAIN_RE = /^\d+$/;
const COUNT_EXPECTED = 'a whole number, e.g. 1200 or "1,200"';

export interface CountBounds {
  min?: number;
  max?: number;
  /** Hint shown when the value is below `min` (e.g. why 0 is refused). */
  belowMinHint?: string;
}

export function parseCount(raw: unknown, bounds: CountBounds = {}): UnitResult<number> {
  const parsed = parseNonNegativeInteger(raw);
  if (!parsed.ok) return parsed;
  return checkBounds(parsed.value, bounds);
}

function parseNonNegativeInteger(raw: unknown): UnitResult<number> {
  let value: number;
  if (typeof raw === "number") {
    value = raw;
  } else if (typeof raw === "string") {
    const text = raw.trim();
    if (GROUPED_RE.test(text) || PLAIN_RE.test(text)) value = Number(text.replaceAll(",", ""));
    else if (/^-/.test(text)) return bad(`a count cannot be negative (${raw})`, COUNT_EXPECTED);
    else if (/^[\d,]+$/.test(text))
      return bad(`"${raw}" has misplaced thousands separators`, COUNT_EXPECTED, "group digits by three: 1,200 or 2,000,000");
    else if (/^[\d,]*\.\d+$/.test(text)) return bad(`a count must be a whole number (${raw})`, COUNT_EXPECTED);
    else return bad(`"${raw}" is not a number`, COUNT_EXPECTED);
  } else {
    return bad("expected a number", COUNT_EXPECTED);
  }
  if (Number.isNaN(value)) return bad("expected a number, found NaN", COUNT_EXPECTED);
  if (value < 0) return bad(`a count cannot be negative (${value})`, COUNT_EXPECTED);
  if (!Number.isFinite(value) || value > Number.MAX_SAFE_INTEGER)
    return bad("the number is too large", `${COUNT_EXPECTED}, at most ${Number.MAX_SAFE_INTEGER}`);
  if (!Number.isInteger(value)) return bad(`a count must be a whole number (${value})`, COUNT_EXPECTED);
  return good(value);
}

function checkBounds(value: number, { min, max, belowMinHint }: CountBounds): UnitResult<number> {
  const range = describeRange(min, max);
  if (min !== undefined && value < min) return bad(`${value} is too small: the minimum is ${min}`, `a whole number ${range}`, belowMinHint);
  if (max !== undefined && value > max) return bad(`${value} is too large: the maximum is ${max}`, `a whole number ${range}`);
  return good(value);
}

function describeRange(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return `from ${min} to ${max}`;
  if (min !== undefined) return `≥ ${min}`;
  if (max !== undefined) return `≤ ${max}`;
  return "≥ 0";
}

// ---------------------------------------------------------------------------------------------
// Shares: "35%", "12.5%", 0.35 (strictly between 0 and 1) — or an absolute count.

/** An exact decimal fraction num / 10^scale, so share arithmetic is deterministic. */
export interface ExactShare {
  num: bigint;
  scale: number;
}

export type Volume = { share: ExactShare } | { count: number };

const SHARE_EXPECTED = 'a share ("35%", "12.5%" or 0.35) or a whole number of recipients';
const MAX_SHARE_DECIMALS = 12;

export function parseVolume(raw: unknown): UnitResult<Volume> {
  if (typeof raw === "string" && raw.trim().endsWith("%")) return parsePercent(raw);
  if (typeof raw === "string" && /^\d*\.\d+$/.test(raw.trim())) return parseVolume(Number(raw.trim()));
  if (typeof raw === "number") {
    if (Number.isNaN(raw)) return bad("expected a number, found NaN", SHARE_EXPECTED);
    if (raw < 0) return bad(`a volume cannot be negative (${raw})`, SHARE_EXPECTED);
    if (raw > 0 && raw < 1) {
      const share = decimalToExact(String(raw));
      if (!share || share.scale > MAX_SHARE_DECIMALS) return bad(`${raw} has too many decimals`, SHARE_EXPECTED);
      return good({ share });
    }
    if (!Number.isInteger(raw)) {
      return bad(
        `${raw} is neither a share (0 < x < 1) nor a whole number of recipients`,
        SHARE_EXPECTED,
        `write "${raw}%" for a percentage`,
      );
    }
  }
  const count = parseNonNegativeInteger(raw);
  if (!count.ok) return bad(count.message, SHARE_EXPECTED, count.hint);
  return good({ count: count.value });
}

function parsePercent(raw: string): UnitResult<Volume> {
  const text = raw.trim().slice(0, -1).trim();
  if (text.startsWith("-")) return bad(`a share cannot be negative (${raw})`, SHARE_EXPECTED);
  const exact = /^\d+(\.\d+)?$/.test(text) ? decimalToExact(text) : null;
  if (!exact) return bad(`"${raw}" is not a percentage`, SHARE_EXPECTED);
  const share = { num: exact.num, scale: exact.scale + 2 };
  if (share.scale > MAX_SHARE_DECIMALS) return bad(`"${raw}" has too many decimals`, SHARE_EXPECTED);
  if (share.num > 10n ** BigInt(share.scale)) return bad(`a share cannot exceed 100% (${raw})`, SHARE_EXPECTED);
  return good({ share });
}

/** "0.125" → 125 / 10^3; also accepts exponent forms such as "1.5e-7". */
function decimalToExact(text: string): ExactShare | null {
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m) return null;
  const [, int = "", frac = "", exp = "0"] = m;
  let scale = frac.length - Number(exp);
  let digits = int + frac;
  if (scale < 0) {
    digits += "0".repeat(-scale);
    scale = 0;
  }
  return { num: BigInt(digits), scale };
}

export function shareToNumber(share: ExactShare): number {
  return Number(share.num) / 10 ** share.scale;
}

// ---------------------------------------------------------------------------------------------
// Dates: ISO-8601 with a timezone, e.g. 2026-11-27T08:00:00Z or 2026-11-27T09:00:00+01:00

const DATE_EXPECTED = "an ISO-8601 date and time with a timezone, e.g. 2026-11-27T08:00:00Z or 2026-11-27T09:00:00+01:00";
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Epoch milliseconds (UTC). */
export function parseIsoDate(raw: unknown): UnitResult<number> {
  if (raw instanceof Date) return bad("expected a date written as text", DATE_EXPECTED);
  if (typeof raw !== "string") return bad("expected a date and time", DATE_EXPECTED);
  const m = DATE_RE.exec(raw.trim());
  if (!m) return bad(`"${raw}" is not an ISO-8601 date`, DATE_EXPECTED);
  const [, y, mo, d, h, mi, s = "0", frac = "", zone] = m;
  if (h === undefined || zone === undefined) {
    return bad(`"${raw}" has no timezone, so the time is ambiguous`, DATE_EXPECTED, 'add "Z" for UTC or an offset such as "+01:00"');
  }
  const parts = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const [year, month, day, hour, minute, second] = parts;
  const ms = Math.floor(Number(`0.${frac || "0"}`) * 1000);
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(local);
  const valid =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === day &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59;
  if (!valid) return bad(`"${raw}" is not a valid calendar date and time`, DATE_EXPECTED);
  const offset = parseOffsetMinutes(zone);
  if (offset === null) return bad(`"${raw}" has an invalid timezone offset`, DATE_EXPECTED);
  return good(local - offset * 60_000);
}

function parseOffsetMinutes(zone: string): number | null {
  if (zone === "Z" || zone === "z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

// ---------------------------------------------------------------------------------------------
// Largest-remainder allocation: shares of a whole number → integer counts that sum exactly.

/**
 * Splits `total` by `shares`: each entry gets floor(total × share), and the units left over by
 * rounding the combined share (half up) go one each to the largest remainders, earlier entries first on ties.
 */
export function allocateShares(total: number, shares: readonly ExactShare[]): number[] {
  if (shares.length === 0) return [];
  const maxScale = Math.max(...shares.map((s) => s.scale));
  const denominator = 10n ** BigInt(maxScale);
  const scaled = shares.map((s) => s.num * 10n ** BigInt(maxScale - s.scale));
  const whole = BigInt(total);
  const exact = scaled.map((s) => whole * s);
  const counts = exact.map((e) => e / denominator);
  const remainders = exact.map((e) => e % denominator);
  const sumShares = scaled.reduce((a, b) => a + b, 0n);
  const target = (whole * sumShares * 2n + denominator) / (2n * denominator);
  let extra = target - counts.reduce((a, b) => a + b, 0n);
  const order = remainders.map((r, i) => ({ r, i })).sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { r, i } of order) {
    if (extra <= 0n || r === 0n) break;
    counts[i] = counts[i]! + 1n;
    extra--;
  }
  return counts.map(Number);
}

/** Σ shares as a percentage with up to 4 decimals, for messages ("112.5%"). */
export function formatShareTotal(shares: readonly ExactShare[]): string {
  const maxScale = Math.max(0, ...shares.map((s) => s.scale));
  const sum = shares.reduce((a, s) => a + s.num * 10n ** BigInt(maxScale - s.scale), 0n);
  const percent = (Number(sum) / 10 ** maxScale) * 100;
  return `${Number(percent.toFixed(4))}%`;
}

/** Whether Σ shares exceeds 1 (100 %), exactly. */
export function sharesExceedWhole(shares: readonly ExactShare[]): boolean {
  const maxScale = Math.max(0, ...shares.map((s) => s.scale));
  const sum = shares.reduce((a, s) => a + s.num * 10n ** BigInt(maxScale - s.scale), 0n);
  return sum > 10n ** BigInt(maxScale);
}
