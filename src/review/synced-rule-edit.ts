/**
 * `adobe-sync-edit`: the head's mx-rules.yaml says `source: adobe-sync` and the change edits its
 * rules. On the instance, Adobe's daily Refresh for deliverability workflow rewrites the rule set
 * unless it is in Custom mode (docs/onboarding.md), so the edit would not last there.
 */
import type { MxRule } from "../model/config.js";
import { defaultSeverity, type Finding } from "../model/findings.js";
import { fingerprint } from "../model/fingerprint.js";
import type { SideResult } from "../model/review.js";
import { ruleIdentity } from "./site-pairs.js";

const NAMED = 3;

/** Everything the console's rule form holds, in one comparable string. */
function ruleValues(rule: MxRule): string {
  return JSON.stringify([
    ruleIdentity(rule),
    rule.shared,
    rule.maxConnections,
    rule.maxMessagesPerConnection,
    rule.messagesPerHour,
    rule.connectionTimeoutSec,
    rule.timeoutDataSec,
    rule.timeoutSec,
    rule.tls,
  ]);
}

export function syncedRuleEdits(base: SideResult, head: SideResult): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const model of head.models) {
    const rules = model.mxRules;
    const origin = rules.origin;
    if (origin?.source !== "adobe-sync" || seen.has(rules.file)) continue;
    const before = base.models.find((candidate) => candidate.mxRules.file === rules.file)?.mxRules;
    if (!before) continue;
    seen.add(rules.file);
    const baseValues = new Set(before.rules.map(ruleValues));
    const baseIds = new Set(before.rules.map(ruleIdentity));
    const headIds = new Set(rules.rules.map(ruleIdentity));
    const edited = rules.rules.filter((rule) => !baseValues.has(ruleValues(rule)) && baseIds.has(ruleIdentity(rule)));
    const added = rules.rules.filter((rule) => !baseIds.has(ruleIdentity(rule)));
    const removed = before.rules.filter((rule) => !headIds.has(ruleIdentity(rule)));
    const order = (list: MxRule[]) => list.map(ruleIdentity).join("\n");
    const reordered = edited.length === 0 && added.length === 0 && removed.length === 0 && order(before.rules) !== order(rules.rules);
    const what = [
      edited.length > 0 ? `edits ${describe(edited, true)}` : "",
      added.length > 0 ? `adds ${describe(added, true)}` : "",
      removed.length > 0 ? `removes ${describe(removed, false)}` : "",
      reordered ? "reorders the rules" : "",
    ].filter(Boolean);
    if (what.length === 0) continue;
    const changed = [...edited, ...added].sort((a, b) => a.index - b.index);
    const anchor = changed[0]?.span ?? origin.pos;
    const level = origin.level === null ? "" : ` (level ${origin.level})`;
    const snapshot = origin.snapshotDate === null ? "" : `, snapshot of ${origin.snapshotDate}`;
    out.push({
      id: "adobe-sync-edit",
      severity: defaultSeverity("adobe-sync-edit"),
      instance: model.name,
      file: anchor.file,
      line: anchor.line,
      endLine: anchor.endLine,
      message:
        `${rules.file} says source: adobe-sync${level}${snapshot}, and this change ${joinAnd(what)}. ` +
        "Adobe's daily Refresh for deliverability workflow rewrites the MX management rule set on the instance, so the next " +
        "synchronisation overwrites this change unless the rule set is in Custom mode (which turns the synchronisation off; " +
        "then write source: custom here).",
      fingerprint: fingerprint("adobe-sync-edit", model.name, rules.file),
      title: "Edit to a rule set Adobe synchronises",
      details: {
        file: rules.file,
        level: origin.level,
        snapshotDate: origin.snapshotDate,
        edited: edited.map((rule) => ({ mask: rule.mask, line: rule.span.line })),
        added: added.map((rule) => ({ mask: rule.mask, line: rule.span.line })),
        removed: removed.map((rule) => ({ mask: rule.mask, line: rule.span.line })),
        reordered,
      },
    });
  }
  return out;
}

function describe(rules: MxRule[], withLine: boolean): string {
  const names = rules.slice(0, NAMED).map((rule) => `"${rule.mask}"${withLine ? ` (line ${rule.span.line})` : ""}`);
  const more = rules.length > NAMED ? ` and ${rules.length - NAMED} more` : "";
  return `${rules.length === 1 ? "rule" : "rules"} ${names.join(", ")}${more}`;
}

function joinAnd(parts: string[]): string {
  return parts.length < 2 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}
