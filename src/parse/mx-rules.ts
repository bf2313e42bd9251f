/** mx-rules.yaml → MxRuleSet (SPEC §1.2), with the position of every rule and written value. */
import type { MxRule, MxRuleKey, MxRuleSet } from "../model/config.js";
import { ok, type Result } from "../model/errors.js";
import type { SourceSpan } from "../model/source.js";
import { mxRulesFileSchema, type MxRuleInput } from "../schema/mx-rules.js";
import { hasKey, readValidated, spanAt, type YamlSource } from "./yaml/index.js";

const RULE_KEYS: readonly MxRuleKey[] = [
  "mask", "range", "shared", "maxConnections", "maxMessagesPerConnection", "messagesPerHour", "connectionTimeout", "timeoutData", "timeout", "tls",
];

export function parseMxRules(text: string, file: string): Result<MxRuleSet> {
  const read = readValidated(text, file, mxRulesFileSchema);
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
