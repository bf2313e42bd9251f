/**
 * Computed, verified one-click fixes (docs/model.md#findings):
 * - deadline-miss / delivery-expiry on a rule: the smallest messagesPerHour (and, when raising it alone
 *   cannot clear the finding because connections bind, the smallest maxConnections) that clears the
 *   finding, found by binary search over the simulation of a copy of the head model;
 * - tls-required / tls-downgrade: `tls: opportunistic` on the rule.
 * Every fix is re-simulated: a suggestion is kept only when the finding is gone with it applied.
 * Searched values are "round" (at most two significant digits, e.g. 14,000 or 350), so a suggestion
 * reads like a value a person would write; the search is capped (simulations and a 100× upper bound).
 */
import type { InstanceModel, MxRule } from "../model/config.js";
import { FINDINGS } from "../model/catalogue.js";
import { isChange, type Finding, type ReviewedFinding } from "../model/findings.js";
import type { InstanceResult } from "../model/results.js";
import type { SideResult } from "../model/review.js";
import { magnitudeGrew } from "./compare.js";
import { groupDigits } from "../model/format.js";
import { editRuleText, type RuleEdit } from "./rule-text.js";

export type SimulateFn = (model: InstanceModel) => { result: InstanceResult; findings: Finding[] };

export interface FixOptions {
  simulate: SimulateFn;
  /** Simulations allowed per finding (memoised ones are free). Default 24. */
  maxSimulations?: number;
  /** Upper bound of the search, as a multiple of the current value. Default 100. */
  maxFactor?: number;
  /** Findings to compute a fix for, at most (the rest keep their message). Default 25. */
  maxFindings?: number;
}

/** Is the finding one fixes.ts can compute a suggestion for? (The catalogue's `fix` column.) */
export function isFixable(finding: Finding): boolean {
  return FINDINGS[finding.id].fix !== null;
}

/**
 * A finding only a comparison produces (tls-downgrade) never reappears in a re-simulation by
 * fingerprint: whether a trial clears it is read off the site's effective TLS instead.
 */
function isComparative(finding: Finding): boolean {
  return FINDINGS[finding.id].source === "review";
}

/**
 * Round candidates in (lo, hi]: integers with at most two significant digits, plus hi itself,
 * ascending (1..99, 100, 110, …, 990, 1,000, 1,100, …).
 */
export function roundLadder(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let scale = 1; scale <= hi; scale *= 10) {
    for (let m = scale === 1 ? 1 : 10; m <= 99; m++) {
      const n = m * scale;
      if (n > lo && n < hi) out.push(n);
    }
  }
  if (hi > lo) out.push(hi);
  return out;
}

/** The rule a finding is about: details.ruleIndex when given, else the rule whose span holds the anchor. */
export function ruleOfFinding(finding: Finding, model: InstanceModel): MxRule | undefined {
  const rules = model.mxRules.rules;
  const index = finding.details?.["ruleIndex"];
  if (typeof index === "number" && rules[index]) return rules[index];
  return rules.find(
    (rule) => rule.span.file === finding.file && rule.span.line <= finding.line && finding.line <= rule.span.endLine,
  );
}

interface Trial {
  messagesPerHour: number;
  maxConnections: number;
  tls: MxRule["tls"];
}

/** Memoised simulation of the head model with one rule changed; shared by the findings on that rule. */
class Simulator {
  private readonly memo = new Map<string, { byFingerprint: Map<string, Finding>; result: InstanceResult }>();
  simulations = 0;

  constructor(
    private readonly simulate: SimulateFn,
    private readonly model: InstanceModel,
    /** Position of the rule in model.mxRules.rules. */
    private readonly position: number,
  ) {}

  run(trial: Trial): { byFingerprint: Map<string, Finding>; result: InstanceResult } {
    const key = `${trial.messagesPerHour}|${trial.maxConnections}|${trial.tls}`;
    const cached = this.memo.get(key);
    if (cached) return cached;
    const copy = structuredClone(this.model);
    const rule = copy.mxRules.rules[this.position]!;
    rule.messagesPerHour = trial.messagesPerHour;
    rule.maxConnections = trial.maxConnections;
    rule.tls = trial.tls;
    const out = this.simulate(copy);
    this.simulations++;
    const entry = { byFingerprint: new Map(out.findings.map((f) => [f.fingerprint, f] as const)), result: out.result };
    this.memo.set(key, entry);
    return entry;
  }
}

/**
 * Does the trial clear the finding? Gone from the re-simulation; for a worsened finding, also back
 * to no worse than on the base (then the review would call it "existing" and it no longer blocks).
 */
function clears(sim: Simulator, finding: ReviewedFinding, trial: Trial): boolean {
  const { byFingerprint, result } = sim.run(trial);
  if (isComparative(finding)) {
    const site = finding.details?.["site"];
    const after = result.sites.find((candidate) => candidate.site === site);
    return after !== undefined && after.tls === "opportunistic";
  }
  const after = byFingerprint.get(finding.fingerprint);
  if (!after) return true;
  return (
    finding.status === "worsened" &&
    finding.baseMagnitude !== undefined &&
    after.magnitude !== undefined &&
    !magnitudeGrew(finding.baseMagnitude, after.magnitude)
  );
}

/** Whether the trial removes the finding (true) or only brings it back to the base's level. */
function removes(sim: Simulator, finding: ReviewedFinding, trial: Trial): boolean {
  if (isComparative(finding)) return true;
  return !sim.run(trial).byFingerprint.has(finding.fingerprint);
}

/** Smallest candidate that clears, assuming monotonicity; the last candidate must be known to clear. */
function bisect(candidates: number[], test: (value: number) => boolean, budget: () => boolean): { value: number; exhausted: boolean } {
  let lo = -1;
  let hi = candidates.length - 1;
  while (hi - lo > 1) {
    if (!budget()) return { value: candidates[hi]!, exhausted: true };
    const mid = (lo + hi) >> 1;
    if (test(candidates[mid]!)) hi = mid;
    else lo = mid;
  }
  return { value: candidates[hi]!, exhausted: false };
}

interface Search {
  found: Trial | null;
  /** Simulations this finding's search ran (memoised trials are free). */
  simulations: number;
  exhausted: boolean;
}

function searchCapacity(sim: Simulator, finding: ReviewedFinding, rule: MxRule, options: Required<FixOptions>): Search {
  const start = sim.simulations;
  const used = () => sim.simulations - start;
  const budget = () => used() < options.maxSimulations;
  const m0 = rule.messagesPerHour;
  const c0 = rule.maxConnections;
  const mMax = Math.max(1, m0) * options.maxFactor;
  const cMax = Math.max(1, c0) * options.maxFactor;
  const tls = rule.tls;
  const test = (messagesPerHour: number, maxConnections: number) => clears(sim, finding, { messagesPerHour, maxConnections, tls });
  const done = (found: Trial | null, exhausted: boolean): Search => ({ found, simulations: used(), exhausted });

  if (!budget()) return done(null, true);
  if (test(mMax, c0)) {
    const m = bisect(roundLadder(m0, mMax), (v) => test(v, c0), budget);
    return done({ messagesPerHour: m.value, maxConnections: c0, tls }, m.exhausted);
  }
  // Raising messagesPerHour alone is not enough: the connections bind. Search maxConnections, then
  // the smallest messagesPerHour (possibly unchanged) with those connections.
  if (!budget()) return done(null, true);
  if (!test(mMax, cMax)) return done(null, false);
  const c = bisect(roundLadder(c0, cMax), (v) => test(mMax, v), budget);
  const m = bisect([m0, ...roundLadder(m0, mMax)], (v) => test(v, c.value), budget);
  return done({ messagesPerHour: m.value, maxConnections: c.value, tls }, c.exhausted || m.exhausted);
}

function searchTls(sim: Simulator, finding: ReviewedFinding, rule: MxRule): Search {
  const start = sim.simulations;
  const trial: Trial = { messagesPerHour: rule.messagesPerHour, maxConnections: rule.maxConnections, tls: "opportunistic" };
  const ok = rule.tls !== "opportunistic" && clears(sim, finding, trial);
  return { found: ok ? trial : null, simulations: sim.simulations - start, exhausted: false };
}

function ruleLabel(rule: MxRule): string {
  return `rule "${rule.mask}" (${rule.span.file}:${rule.span.line})`;
}

function describeTrial(rule: MxRule, trial: Trial): { edit: RuleEdit; text: string; changes: Record<string, unknown> } {
  const edit: RuleEdit = {};
  const parts: string[] = [];
  const changes: Record<string, unknown> = {};
  if (trial.messagesPerHour !== rule.messagesPerHour) {
    edit.messagesPerHour = trial.messagesPerHour;
    parts.push(`messagesPerHour ${groupDigits(rule.messagesPerHour)} → ${groupDigits(trial.messagesPerHour)}`);
    changes["messagesPerHour"] = { from: rule.messagesPerHour, to: trial.messagesPerHour };
  }
  if (trial.maxConnections !== rule.maxConnections) {
    edit.maxConnections = trial.maxConnections;
    parts.push(`maxConnections ${groupDigits(rule.maxConnections)} → ${groupDigits(trial.maxConnections)}`);
    changes["maxConnections"] = { from: rule.maxConnections, to: trial.maxConnections };
  }
  if (trial.tls !== rule.tls) {
    edit.tls = trial.tls;
    parts.push(`tls: ${rule.tls} → ${trial.tls}`);
    changes["tls"] = { from: rule.tls, to: trial.tls };
  }
  return { edit, text: parts.join(", "), changes };
}

interface Job {
  index: number;
  finding: ReviewedFinding;
  model: InstanceModel;
  rule: MxRule;
  sim: Simulator;
  search: Search;
}

function noFix(job: Job, options: Required<FixOptions>): ReviewedFinding {
  const { finding, rule, search } = job;
  let reason: string;
  if (FINDINGS[finding.id].fix === "tls") {
    const support = job.model.serverConf.mta.statServerTLSSupport.value;
    const hint = support ? "" : ' (statServerTLSSupport is false: per-rule TLS is ignored; set enableTLS="true")';
    reason = `No verified fix: tls: opportunistic on ${ruleLabel(rule)} does not clear it${hint}.`;
  } else if (search.exhausted) {
    reason = `No fix within bounds: the search stopped after ${search.simulations} simulations.`;
  } else {
    reason =
      `No fix within bounds: raising messagesPerHour up to ${groupDigits(Math.max(1, rule.messagesPerHour) * options.maxFactor)} ` +
      `and maxConnections up to ${groupDigits(Math.max(1, rule.maxConnections) * options.maxFactor)} on ${ruleLabel(rule)} ` +
      `does not clear it${finding.status === "worsened" ? " nor bring it back to the base's level" : ""}.`;
  }
  return { ...finding, message: `${finding.message} ${reason}`, details: { ...finding.details, fix: { verified: false, simulations: search.simulations } } };
}

function withFix(job: Job, trial: Trial, fileText: string | null | undefined, extra: { shared: number; capped: boolean }): ReviewedFinding {
  const { finding, rule, sim } = job;
  const { edit, text, changes } = describeTrial(rule, trial);
  const gone = removes(sim, finding, trial);
  const effect = gone ? "" : " brings it back to the base's level (it no longer worsens)";
  const shared = extra.shared > 1 ? `; the same change clears all ${extra.shared} findings on this rule` : "";
  const capped = extra.capped ? "; the search was capped, a smaller value may suffice" : "";
  const fix = { verified: true, effect: gone ? "removes" : "restores-base", simulations: job.search.simulations, minimal: !extra.capped && extra.shared <= 1, ...changes };
  const out: ReviewedFinding = { ...finding, details: { ...finding.details, fix } };
  const onRule = finding.file === rule.span.file && finding.line >= rule.span.line && finding.line <= rule.span.endLine;
  const replacement = fileText ? editRuleText(fileText, rule.span, edit) : null;
  if (onRule && replacement !== null) {
    out.line = rule.span.line;
    out.endLine = rule.span.endLine;
    out.suggestion = replacement;
    out.message = `${finding.message} Fix (verified by re-simulation): ${text}${effect}${shared}${capped}.`;
  } else {
    out.message = `${finding.message} Fix (verified by re-simulation): ${text} on ${ruleLabel(rule)}${effect}${shared}${capped}.`;
  }
  return out;
}

/**
 * Adds verified suggestions to the new and worsened fixable findings (others are returned unchanged,
 * as are findings that already carry a suggestion). Each finding is searched on its own; then the
 * findings on one rule get one combined change (the largest values found, TLS included) when a
 * re-simulation shows it clears them all, so applying any of their suggestions fixes every one.
 * Pure apart from calling `options.simulate`.
 */
export function computeFixes(findings: readonly ReviewedFinding[], head: SideResult, options: FixOptions): ReviewedFinding[] {
  const opts: Required<FixOptions> = { maxSimulations: 24, maxFactor: 100, maxFindings: 25, ...options };
  const sims = new Map<string, Simulator>();
  const jobs: Job[] = [];
  findings.forEach((finding, index) => {
    if (!isChange(finding)) return;
    if (finding.suggestion !== undefined || !isFixable(finding) || jobs.length >= opts.maxFindings) return;
    const model = head.models.find((candidate) => candidate.name === finding.instance);
    const rule = model ? ruleOfFinding(finding, model) : undefined;
    if (!model || !rule) return;
    const position = model.mxRules.rules.indexOf(rule);
    const key = `${model.name}\u0000${position}`;
    let sim = sims.get(key);
    if (!sim) {
      sim = new Simulator(opts.simulate, model, position);
      sims.set(key, sim);
    }
    const search = FINDINGS[finding.id].fix === "tls" ? searchTls(sim, finding, rule) : searchCapacity(sim, finding, rule, opts);
    jobs.push({ index, finding, model, rule, sim, search });
  });

  const out = [...findings];
  const groups = new Map<Simulator, Job[]>();
  for (const job of jobs) groups.set(job.sim, [...(groups.get(job.sim) ?? []), job]);
  for (const group of groups.values()) {
    const found = group.filter((job) => job.search.found !== null).map((job) => job.search.found!);
    const rule = group[0]!.rule;
    const combined: Trial | null =
      found.length === 0
        ? null
        : {
            messagesPerHour: Math.max(...found.map((t) => t.messagesPerHour)),
            maxConnections: Math.max(...found.map((t) => t.maxConnections)),
            tls: found.some((t) => t.tls !== rule.tls) ? "opportunistic" : rule.tls,
          };
    const clearedByCombined = combined ? group.filter((job) => clears(job.sim, job.finding, combined)) : [];
    const capped = group.some((job) => job.search.exhausted && job.search.found !== null);
    for (const job of group) {
      const fileText = head.files[rule.span.file];
      if (combined && clearedByCombined.includes(job)) {
        out[job.index] = withFix(job, combined, fileText, { shared: clearedByCombined.length, capped });
      } else if (job.search.found) {
        out[job.index] = withFix(job, job.search.found, fileText, { shared: 1, capped: job.search.exhausted });
      } else {
        out[job.index] = noFix(job, opts);
      }
    }
  }
  return out;
}
