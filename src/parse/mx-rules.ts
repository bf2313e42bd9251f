/** mx-rules.yaml → MxRuleSet (README.md#configuration-reference), with the position of every rule and written value. */
import type { MxRule, MxRuleKey, MxRuleSet, RuleSetOrigin } from "../model/config.js";
import { fail, ok, type ConfigIssue, type Result } from "../model/errors.js";
import type { SourceSpan } from "../model/source.js";
import { mxRuleSchema, mxRulesFileSchema, type MxRuleInput, type MxRulesFileInput } from "../schema/mx-rules.js";
import { formatLimit, LIMITS } from "./limits.js";
import { capIssue, hasKey, issueAt, knownKeys, readYaml, spanAt, validateSource, type KeyBounds, type YamlSource } from "./yaml/index.js";

/** Every key an MX rule item may have, in the schema's order (the order the console shows them). */
export const RULE_KEYS: readonly MxRuleKey[] = Object.keys(mxRuleSchema.shape) as (keyof typeof mxRuleSchema.shape)[];

const TOP_KEYS = knownKeys(mxRulesFileSchema, []).length;
const KEYS_PER_RULE = RULE_KEYS.length;

/** The most keys an mx-rules.yaml within the limits has: the header, and every rule with every key. */
export const MX_RULES_KEY_BOUNDS: KeyBounds = {
  kind: "mx-rules.yaml",
  total: TOP_KEYS + LIMITS.rules * KEYS_PER_RULE,
  totalWhy: `${formatLimit(LIMITS.rules)} MX rules × ${KEYS_PER_RULE} keys + ${TOP_KEYS}`,
  perMapping: Math.max(TOP_KEYS, KEYS_PER_RULE),
  perMappingWhy: `an MX rule, ${KEYS_PER_RULE} keys`,
};

export function parseMxRules(text: string, file: string): Result<MxRuleSet> {
  const raw = readYaml(text, file, mxRulesFileSchema, MX_RULES_KEY_BOUNDS);
  if (!raw.ok) return raw;
  const tooMany = capIssue(raw.value, ["rules"], LIMITS.rules, "MX rules");
  if (tooMany) return fail([tooMany], raw.warnings);
  const read = validateSource(raw.value, mxRulesFileSchema, raw.warnings);
  if (!read.ok) return read;
  const { src, data } = read.value;
  const origin = toOrigin(src, data);
  if (!origin.ok) return fail([origin.issue], read.warnings);
  const rules = data.rules.map((input, index) => toRule(src, input, index));
  return ok({ file, rules, origin: origin.value }, read.warnings);
}

type OriginResult = { ok: true; value: RuleSetOrigin | null } | { ok: false; issue: ConfigIssue };

/** The `source:` header; `level: custom` contradicts `source: adobe-sync` (Custom turns the synchronisation off). */
function toOrigin(src: YamlSource, data: MxRulesFileInput): OriginResult {
  const { source, level, snapshotDate } = data;
  if (source === undefined) {
    const orphan = level !== undefined ? "level" : snapshotDate !== undefined ? "snapshotDate" : null;
    if (orphan === null) return { ok: true, value: null };
    return {
      ok: false,
      issue: issueAt(src, [orphan], {
        message: `${orphan} describes where the rules come from, but the file has no source: header`,
        expected: "source: adobe-sync or source: custom above it",
        hint: "add source: adobe-sync (rules synchronised by Adobe) or source: custom (Custom mode)",
      }),
    };
  }
  if (source === "adobe-sync" && level === "custom") {
    return {
      ok: false,
      issue: issueAt(src, ["level"], {
        message: "level: custom contradicts source: adobe-sync: in Custom mode Adobe's synchronisation is turned off",
        expected: "a synchronised level (slow, normal, fast, very-fast, boost), or source: custom",
        hint: "write source: custom if the rule set is in Custom mode",
      }),
    };
  }
  if (source === "custom" && level !== undefined && level !== "custom") {
    return {
      ok: false,
      issue: issueAt(src, ["level"], {
        message: `level: ${level} is a synchronised level, but source: custom says the rule set is in Custom mode`,
        expected: "level: custom, or no level",
        hint: "write source: adobe-sync if Adobe's synchronisation still updates the rules",
      }),
    };
  }
  return {
    ok: true,
    value: { source, level: level ?? null, snapshotDate: snapshotDate ?? null, pos: spanAt(src, ["source"]) },
  };
}

function toRule(src: YamlSource, input: MxRuleInput, index: number): MxRule {
  const path = ["rules", index] as const;
  const fieldPos: Partial<Record<MxRuleKey, SourceSpan>> = {};
  const defaulted: MxRuleKey[] = [];
  for (const key of RULE_KEYS) {
    if (hasKey(src, path, key)) fieldPos[key] = spanAt(src, [...path, key]);
    else defaulted.push(key);
  }
  return {
    index,
    mask: input.mask,
    range: input.range,
    shared: input.shared,
    maxConnections: input.maxConnections,
    maxMessagesPerConnection: input.maxMessagesPerConnection,
    messagesPerHour: input.messagesPerHour,
    connectionTimeoutSec: input.connectionTimeout,
    timeoutDataSec: input.timeoutData,
    timeoutSec: input.timeout,
    tls: input.tls,
    span: spanAt(src, path),
    fieldPos,
    defaulted,
  };
}
