/**
 * What a fix says besides its numbers (the caveat every suggestion carries), and writing a fix into
 * the file texts and reading it back: a fix is only verified when the edited file parses again and
 * yields the values the fix meant (docs/contract.md).
 */
import type { Delivery, MxRule, MxRuleSet, TrafficPlan } from "../model/config.js";
import { groupDigits } from "../model/format.js";
import { parseMxRules } from "../parse/mx-rules.js";
import { parseTraffic } from "../parse/traffic.js";
import { applySuggestion, editRuleText, type RuleEdit } from "./rule-text.js";

export const RETRY_GUIDELINE = "Adobe's retry guideline (a 30-minute retry period and more than 20 retries)";

export const DELIVERY_EDIT_CAVEAT =
  `Caveat: this follows ${RETRY_GUIDELINE}; retries raise no quota, they bring deferred messages back sooner, ` +
  "and every retry still counts against the provider's hourly limit.";

export const START_CAVEAT =
  "Caveat: the delivery's content and audience must be ready that much earlier, and its deadline counts from the new start.";

export const TLS_CAVEAT =
  "Caveat: opportunistic TLS encrypts only when the receiving server offers STARTTLS, and the handshake makes each connection slower.";

export function throughputCaveat(maxRaise: number, ceiling: number): string {
  return (
    `Caveat: stays within the policy's maxRaise (${maxRaise}× the base's value, at most ${groupDigits(ceiling)} messagesPerHour); ` +
    "providers adapt what they accept to the sender's reputation, so raise in steps and watch deferrals; rules synchronised from " +
    "Adobe's deliverability instance are overwritten daily unless the rule set is in Custom mode."
  );
}

/** The rule's edited lines, and the whole rule file parsed again; null when it breaks or reads back other values. */
export function editRuleFile(
  text: string | null | undefined,
  rule: MxRule,
  edit: RuleEdit,
): { replacement: string; parsed: MxRuleSet } | null {
  if (typeof text !== "string") return null;
  const replacement = editRuleText(text, rule.span, edit);
  if (replacement === null) return null;
  const parsed = parseMxRules(applySuggestion(text, rule.span.line, rule.span.endLine, replacement), rule.span.file);
  if (!parsed.ok) return null;
  const after = parsed.value.rules[rule.index];
  if (!after || after.mask !== rule.mask) return null;
  for (const key of ["messagesPerHour", "maxConnections", "tls"] as const) {
    if (edit[key] !== undefined && after[key] !== edit[key]) return null;
  }
  return { replacement, parsed: parsed.value };
}

/** The traffic file with one delivery edited, parsed again; null when it breaks or reads back other values. */
export function editDeliveryFile(
  text: string | null | undefined,
  delivery: Delivery,
  index: number,
  edit: RuleEdit,
): { parsed: TrafficPlan } | null {
  if (typeof text !== "string") return null;
  const replacement = editRuleText(text, delivery.span, edit);
  if (replacement === null) return null;
  const parsed = parseTraffic(applySuggestion(text, delivery.span.line, delivery.span.endLine, replacement), delivery.span.file);
  if (!parsed.ok) return null;
  const after = parsed.value.deliveries[index];
  if (!after || after.name !== delivery.name) return null;
  if (edit["retries"] !== undefined && after.retries !== edit["retries"]) return null;
  if (edit["start"] !== undefined && after.start !== Date.parse(String(edit["start"]))) return null;
  if (edit["retryPeriod"] !== undefined && after.retryPeriodSec === delivery.retryPeriodSec) return null;
  return { parsed: parsed.value };
}
