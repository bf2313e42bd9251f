/**
 * Building findings: severity from the catalogue (model/catalogue.ts), a semantic fingerprint, a bounded title.
 */
import type { Delivery, FindingId, InstanceModel, MxRule } from "../../model/config.js";
import { defaultSeverity, type Finding, type Magnitude } from "../../model/findings.js";
import { boundMessage, excerpt } from "../../model/excerpt.js";
import { fingerprint } from "../../model/fingerprint.js";
import type { Setting, SourcePos } from "../../model/source.js";

export interface Anchor {
  file: string;
  line: number;
  endLine: number;
  column?: number;
}

export interface FindingInput {
  id: FindingId;
  anchor: Anchor;
  /** Semantic identity: rule mask and range, delivery name, site, IP address… never a line. */
  subject: (string | number | null)[];
  title: string;
  message: string;
  magnitude?: Magnitude;
  details?: Record<string, unknown>;
}

export function makeFinding(instance: string, input: FindingInput): Finding {
  const finding: Finding = {
    id: input.id,
    severity: defaultSeverity(input.id),
    instance,
    file: input.anchor.file,
    line: input.anchor.line,
    endLine: Math.max(input.anchor.line, input.anchor.endLine),
    // Bounded whatever the input quoted in them (docs/limits.md#messages).
    message: boundMessage(input.message),
    fingerprint: fingerprint(input.id, instance, ...input.subject),
    title: excerpt(input.title, 255),
  };
  if (input.anchor.column !== undefined) finding.column = input.anchor.column;
  if (input.magnitude) finding.magnitude = input.magnitude;
  if (input.details) finding.details = input.details;
  return finding;
}

export function posAnchor(pos: SourcePos & { endLine?: number }): Anchor {
  return { file: pos.file, line: pos.line, endLine: pos.endLine ?? pos.line, column: pos.column };
}

/** The whole rule item, so that a fix can replace it. */
export function ruleAnchor(rule: MxRule): Anchor {
  return { file: rule.span.file, line: rule.span.line, endLine: rule.span.endLine };
}

export function deliveryAnchor(d: Delivery, key?: keyof Delivery["fieldPos"]): Anchor {
  const at = key ? d.fieldPos[key] : undefined;
  return at ? posAnchor(at) : { file: d.span.file, line: d.span.line, endLine: d.span.endLine };
}

/** The delivery's entry for a recipient domain ("other" → the domains key, else the delivery). */
export function domainAnchor(d: Delivery, domain: string): Anchor {
  const entry = d.domains.find((v) => v.domain.toLowerCase() === domain);
  return entry ? posAnchor(entry.pos) : deliveryAnchor(d, "domains");
}

/** Where a serverConf setting was written, else the first merged file's first line. */
export function settingAnchor(setting: Setting<unknown>, model: InstanceModel): Anchor {
  if (setting.pos) return posAnchor(setting.pos);
  return { file: model.serverConf.files[0] ?? model.paths.serverConf, line: 1, endLine: 1 };
}

export function where(pos: { file: string; line: number }): string {
  return `${pos.file}:${pos.line}`;
}

/** 1234567 → "1,234,567" without depending on the host's locale data. */
export function num(n: number): string {
  if (!Number.isFinite(n) || n >= Number.MAX_SAFE_INTEGER) return "unlimited";
  const [int, frac] = String(Math.round(n * 100) / 100).split(".");
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac ? `${grouped}.${frac}` : grouped;
}

export function plural(n: number, word: string): string {
  return `${num(n)} ${word}${n === 1 ? "" : "s"}`;
}
