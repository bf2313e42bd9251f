/** mx-rules.yaml → MxRuleSet (README.md#configuration-reference), with the position of every rule and written value. */
import type { MxRule, MxRuleKey, MxRuleSet } from "../model/config.js";
import { fail, ok, type Result } from "../model/errors.js";
import type { SourceSpan } from "../model/source.js";
import { mxRulesFileSchema, type MxRuleInput } from "../schema/mx-rules.js";
import { LIMITS } from "./limits.js";
import { capIssue, hasKey, readYaml, spanAt, validateSource, type YamlSource } from "./yaml/index.js";

/** Every key an MX rule item may have, in the order the console shows them. */
export const RULE_KEYS: readonly MxRuleKey[] = [
  "mask",
  "range",
  "shared",
  "maxConnections",
  "maxMessagesPerConnection",
  "messagesPerHour",
  "connectionTimeout",
  "timeoutData",
  "timeout",
  "tls",
];

export function parseMxRules(text: string, file: string): Result<MxRuleSet> {
  const raw = readYaml(text, file, mxRulesFileSchema);
  if (!raw.ok) return raw;
  const tooMany = capIssue(raw.value, ["rules"], LIMITS.rules, "MX rules");
  if (tooMany) return fail([tooMany], raw.warnings);
  const read = validateSource(raw.value, mxRulesFileSchema, raw.warnings);
  if (!read.ok) return read;
  const { src, data } = read.value;
  const rules = data.rules.map((input, index) => toRule(src, input, index));
  return ok({ file, rules }, read.warnings);
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
