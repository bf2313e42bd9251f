/** Campaign's attribute types (Boolean, Long, String, comma lists) read from XML attribute values. */
import { describeFound, type ConfigIssue } from "../../model/errors.js";
import { issueAt } from "./issue.js";
import type { XmlAttribute } from "./types.js";

export type Typed<T> = { ok: true; value: T } | { ok: false; issue: ConfigIssue };

const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ["true", true],
  ["false", false],
  ["1", true],
  ["0", false],
]);

/** "true"/"false" in any case, or "1"/"0"; surrounding white space is ignored. */
export function booleanValue(name: string, attr: XmlAttribute): Typed<boolean> {
  const value = BOOLEANS.get(attr.value.trim().toLowerCase());
  if (value !== undefined) return { ok: true, value };
  const issue = issueAt(attr.valuePos, describeFound(attr.value), "true or false", `${name} must be true or false`);
  return { ok: false, issue };
}

/** A whole decimal number ≥ min. `notNumber` replaces the default message when the text is not a number. */
export function integerValue(name: string, attr: XmlAttribute, min: number, notNumber?: string, max?: number): Typed<number> {
  const text = attr.value.trim();
  const expected = max === undefined ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
  const failure = (message: string): Typed<number> => ({
    ok: false,
    issue: issueAt(attr.valuePos, describeFound(attr.value), expected, message),
  });
  if (!/^-?[0-9]+$/.test(text)) return failure(notNumber ?? `${name} must be a whole number`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) return failure(`${name} is too large`);
  if (value < min) return failure(min === 0 ? `${name} must not be negative` : `${name} must be at least ${min}`);
  if (max !== undefined && value > max) return failure(`${name} must be at most ${max}`);
  return { ok: true, value };
}

/** Trimmed text; empty means unset (Campaign writes unset attributes as ""). */
export function optionalText(attr: XmlAttribute | undefined): string | null {
  const text = attr?.value.trim() ?? "";
  return text === "" ? null : text;
}

/** A comma-separated list of domain masks: trimmed, lower-cased, empty items dropped. */
export function domainList(attr: XmlAttribute): string[] {
  return attr.value
    .split(",")
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== "");
}
