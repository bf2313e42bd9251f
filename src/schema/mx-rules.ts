/**
 * mx-rules.yaml — the MX management rule set (Campaign's defaultMXRules), README.md#configuration-reference.
 * Field semantics: docs/model.md#which-rule-applies.
 */
import * as z from "zod";
import type { PublicIdRange, RuleSetSource, RuleTls, ThroughputLevel } from "../model/config.js";
import { bad, good, type UnitResult } from "./units.js";
import { schemaRef } from "./common.js";
import { MASK_PATTERN, checkMask } from "./hosts.js";
import { bool, count, duration, field, oneOf, text } from "./fields.js";

export const RULE_TLS_VALUES = ["default", "disabled", "opportunistic"] as const satisfies readonly RuleTls[];

/** Defaults for keys left out (lead's decisions; 20 per connection is Adobe's own guidance). */
export const RULE_DEFAULTS = {
  range: "",
  shared: false,
  maxMessagesPerConnection: 20,
  connectionTimeout: "10s",
  timeoutData: "4m",
  timeout: "1m",
  tls: "default",
} as const;

const RANGE_EXPECTED = 'a publicId range: "" (all), a number such as 3, or "from-to" such as "1-4"';

export function parseRange(raw: unknown): UnitResult<PublicIdRange | null> {
  if (raw === null) return good(null);
  if (typeof raw === "number") {
    return Number.isSafeInteger(raw) && raw >= 0 ? good({ from: raw, to: raw }) : bad(`${raw} is not a publicId`, RANGE_EXPECTED);
  }
  if (typeof raw !== "string") return bad("expected a publicId range", RANGE_EXPECTED);
  const trimmed = raw.trim();
  if (trimmed === "") return good(null);
  const m = /^(\d+)\s*(?:-\s*(\d+))?$/.exec(trimmed);
  if (!m) return bad(`"${raw}" is not a publicId range`, RANGE_EXPECTED);
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) return bad(`"${raw}" is too large`, RANGE_EXPECTED);
  if (from > to) return bad(`the range "${raw}" runs backwards`, RANGE_EXPECTED, `write "${to}-${from}"`);
  return good({ from, to });
}

const range = field(parseRange, {
  description: 'publicIds (mta/child/smtp/IPAffinity/IP@publicId) the rule applies to: "" for all, "3", or "1-4".',
  anyOf: [{ type: "string", pattern: "^\\s*(\\d+\\s*(-\\s*\\d+)?)?\\s*$" }, { type: "integer", minimum: 0 }, { type: "null" }],
});

const blocksEverything = { min: 1, belowMinHint: "0 would hold back every message on this path" };

export const mxRuleSchema = z
  .strictObject({
    mask: text(
      "MX host mask: '*' matches any run of characters (dots included), '?' one character; case-insensitive. Matched against the MX host name, not the recipient domain.",
      {
        lower: true,
        pattern: MASK_PATTERN,
        expected: "an MX host mask such as *.google.com",
        check: checkMask,
      },
    ),
    range: range.prefault(RULE_DEFAULTS.range),
    shared: bool(
      "Shared: one quota bucket per publicId across all remote MX IPs (true) or one per path, i.e. publicId × remote IP (false).",
    ).prefault(RULE_DEFAULTS.shared),
    maxConnections: count("Maximum number of simultaneous connections (per bucket). 0 would block all mail.", blocksEverything),
    maxMessagesPerConnection: count(
      "Maximum number of messages sent on one connection before it is closed and a new one opened.",
      blocksEverything,
    ).prefault(RULE_DEFAULTS.maxMessagesPerConnection),
    messagesPerHour: count(
      'Messages per hour (per bucket); every connection attempt costs one. Written 60000 or "60,000".',
      blocksEverything,
    ),
    connectionTimeout: duration("Connection timeout (s, m, h, d).", { min: 1 }).prefault(RULE_DEFAULTS.connectionTimeout),
    timeoutData: duration("Maximum wait after sending the message content (DATA).", { min: 1 }).prefault(RULE_DEFAULTS.timeoutData),
    timeout: duration("Maximum wait for other SMTP exchanges.", { min: 1 }).prefault(RULE_DEFAULTS.timeout),
    tls: oneOf(
      RULE_TLS_VALUES,
      "default: follow mta/child/smtp@enableTLS; disabled: always plaintext; opportunistic: STARTTLS when offered.",
    ).prefault(RULE_DEFAULTS.tls),
  })
  .meta({
    title: "MX rule",
    description: "One MX management rule. The first rule whose mask matches the MX host and whose range contains the publicId applies.",
  });

/** Where the rule set comes from (docs/onboarding.md#refresh-for-deliverability-throughput-levels-and-a-rule-set-kept-in-git). */
export const RULE_SET_SOURCES = ["adobe-sync", "custom"] as const satisfies readonly RuleSetSource[];
/** The console's throughput levels; Custom turns Adobe's synchronisation off. */
export const THROUGHPUT_LEVELS = ["slow", "normal", "fast", "very-fast", "boost", "custom"] as const satisfies readonly ThroughputLevel[];

const SNAPSHOT_EXPECTED = "a date written YYYY-MM-DD, such as 2026-11-20";

export function parseSnapshotDate(raw: unknown): UnitResult<string> {
  if (raw instanceof Date) return good(raw.toISOString().slice(0, 10));
  if (typeof raw !== "string") return bad("expected a date", SNAPSHOT_EXPECTED);
  const value = raw.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return bad(`"${raw}" is not a date`, SNAPSHOT_EXPECTED);
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value)
    return bad(`"${raw}" is not a calendar date`, SNAPSHOT_EXPECTED);
  return good(value);
}

export const mxRulesFileSchema = z
  .strictObject({
    $schema: schemaRef,
    source: oneOf(
      RULE_SET_SOURCES,
      "adobe-sync: a snapshot of the rules Adobe's daily Refresh for deliverability workflow writes (an edit here is overwritten on the instance unless the rule set is in Custom mode); custom: the rule set is in Custom mode and maintained by you.",
    ).optional(),
    level: oneOf(THROUGHPUT_LEVELS, "The throughput level shown in the console (Slow, Normal, Fast, Very Fast, Boost, Custom).").optional(),
    snapshotDate: field(parseSnapshotDate, {
      description: "When the rules were copied from the console (YYYY-MM-DD).",
      type: "string",
      format: "date",
    }).optional(),
    rules: z.array(mxRuleSchema).meta({ description: "The rules in order: the first rule whose mask matches applies." }),
  })
  .meta({
    title: "mx-guard MX rules (mx-rules.yaml)",
    description: "Adobe Campaign Classic MX management rules (defaultMXRules), kept in git and simulated by mx-guard.",
  });

export type MxRuleInput = z.output<typeof mxRuleSchema>;
export type MxRulesFileInput = z.output<typeof mxRulesFileSchema>;
