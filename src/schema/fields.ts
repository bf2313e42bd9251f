/**
 * Field builders: each field accepts any raw value, parses it with our own rules (so messages are
 * ours, not zod's), and carries the JSON Schema hints editors use for completion and validation.
 */
// Namespace import: under Bun + vitest the named `z` re-export of "zod" is undefined.
import * as z from "zod";
import {
  bad,
  formatDuration,
  good,
  parseCount,
  parseDuration,
  parseIsoDate,
  parseVolume,
  type CountBounds,
  type UnitResult,
} from "./units.js";
import { didYouMean } from "./suggest.js";

/** JSON Schema keywords merged into the generated schema for a field. */
export type JsonHints = { description: string } & Record<string, unknown>;

export function field<T>(parse: (raw: unknown) => UnitResult<T>, json: JsonHints) {
  return z
    .unknown()
    .transform((raw, ctx): T => {
      const result = parse(raw);
      if (result.ok) return result.value;
      const missing = raw === undefined;
      ctx.addIssue({
        code: "custom",
        message: result.message,
        params: { expected: result.expected, hint: result.hint, missing },
        input: raw,
      });
      return z.NEVER;
    })
    .meta(json);
}

const DURATION_PATTERN = "^(?=.*\\d)\\s*(\\d+d)?\\s*(\\d+h)?\\s*(\\d+m)?\\s*(\\d+s)?\\s*$";

/** Seconds, written "10s", "4m", "1h30m", "5d". */
export function duration(description: string, bounds: { min?: number; max?: number } = {}) {
  const parse = (raw: unknown): UnitResult<number> => {
    const r = parseDuration(raw);
    if (!r.ok) return r;
    const range = `a duration${bounds.min !== undefined ? ` of at least ${formatDuration(bounds.min)}` : ""}${bounds.max !== undefined ? `${bounds.min !== undefined ? " and" : " of"} at most ${formatDuration(bounds.max)}` : ""}`;
    if (bounds.min !== undefined && r.value < bounds.min)
      return bad(`${formatDuration(r.value)} is too short: the minimum is ${formatDuration(bounds.min)}`, range);
    if (bounds.max !== undefined && r.value > bounds.max)
      return bad(`${formatDuration(r.value)} is too long: the maximum is ${formatDuration(bounds.max)}`, range);
    return r;
  };
  return field(parse, { description, type: "string", pattern: DURATION_PATTERN });
}

const COUNT_PATTERN = "^\\s*(\\d+|\\d{1,3}(,\\d{3})+)\\s*$";

/** A whole number, also written with thousands separators ("1,200"). */
export function count(description: string, bounds: CountBounds = {}) {
  const number: Record<string, unknown> = { type: "integer", minimum: bounds.min ?? 0 };
  if (bounds.max !== undefined) number.maximum = bounds.max;
  return field((raw) => parseCount(raw, bounds), { description, anyOf: [number, { type: "string", pattern: COUNT_PATTERN }] });
}

/** A share of the delivery ("35%", 0.35) or an absolute number of recipients. */
export function volume(description: string) {
  return field(parseVolume, {
    description,
    anyOf: [
      { type: "number", minimum: 0 },
      { type: "string", pattern: "^\\s*(\\d+(\\.\\d+)?\\s*%|\\d+|\\d{1,3}(,\\d{3})+|\\d*\\.\\d+)\\s*$" },
    ],
  });
}

/** Epoch milliseconds from an ISO-8601 date-time with a timezone. */
export function isoDate(description: string, years: { min: number; max: number }) {
  const parse = (raw: unknown): UnitResult<number> => {
    const r = parseIsoDate(raw);
    if (!r.ok) return r;
    const year = new Date(r.value).getUTCFullYear();
    if (year < years.min || year > years.max) {
      return bad(`the year ${year} is out of range`, `a date between the years ${years.min} and ${years.max}`);
    }
    return r;
  };
  return field(parse, { description, type: "string", format: "date-time" });
}

export function bool(description: string) {
  const parse = (raw: unknown): UnitResult<boolean> =>
    typeof raw === "boolean"
      ? good(raw)
      : bad(`expected true or false`, "true or false", typeof raw === "string" ? "write true or false without quotes" : undefined);
  return field(parse, { description, type: "boolean" });
}

/** Non-empty text; `check` adds a format rule (returns an error message or null). */
export function text(
  description: string,
  options: { pattern?: string; expected?: string; check?: (value: string) => string | null; lower?: boolean } = {},
) {
  const expected = options.expected ?? "non-empty text";
  const parse = (raw: unknown): UnitResult<string> => {
    if (typeof raw !== "string") return bad(typeof raw === "number" ? "expected text (quote it)" : "expected text", expected);
    const value = options.lower ? raw.trim().toLowerCase() : raw.trim();
    if (value === "") return bad("the text is empty", expected);
    const problem = options.check?.(value);
    return problem ? bad(problem, expected) : good(value);
  };
  const json: JsonHints = { description, type: "string", minLength: 1 };
  if (options.pattern) json.pattern = options.pattern;
  return field(parse, json);
}

/** One of a fixed set of words, matched case-insensitively; errors list the choices. */
export function oneOf<const T extends string>(values: readonly T[], description: string) {
  const expected = `one of ${values.join(" | ")}`;
  const parse = (raw: unknown): UnitResult<T> => {
    if (typeof raw !== "string") return bad(`expected ${expected}`, expected);
    const match = values.find((v) => v === raw.trim().toLowerCase());
    return match ? good(match) : bad(`"${raw}" is not ${expected}`, expected, didYouMean(raw, values));
  };
  return field(parse, { description, type: "string", enum: [...values] });
}

/** A plain number (seconds, ratios) within [min, max]; `exclusiveMin` rejects the minimum itself. */
export function decimal(description: string, bounds: { min: number; max: number; exclusiveMin?: boolean }) {
  const expected = `a number ${bounds.exclusiveMin ? ">" : "≥"} ${bounds.min} and ≤ ${bounds.max}`;
  const parse = (raw: unknown): UnitResult<number> => {
    if (typeof raw !== "number" || Number.isNaN(raw)) return bad("expected a number", expected);
    const tooSmall = bounds.exclusiveMin ? raw <= bounds.min : raw < bounds.min;
    if (tooSmall || raw > bounds.max) return bad(`${raw} is out of range`, expected);
    return good(raw);
  };
  const json: JsonHints = { description, type: "number", maximum: bounds.max };
  json[bounds.exclusiveMin ? "exclusiveMinimum" : "minimum"] = bounds.min;
  return field(parse, json);
}

/** A list of fields of one kind, at least `min` long. */
export function list<T extends z.ZodType>(item: T, description: string, min = 1) {
  return z.array(item).min(min).meta({ description });
}
