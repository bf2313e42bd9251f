/**
 * Computed, verified fixes (docs/model.md#findings), in the order a deliverability engineer would try them:
 * - deadline-miss / delivery-expiry: first the levers that do not raise throughput — the delivery's
 *   retries (Adobe's guideline: a 30-minute retry period and more than 20 retries), then an earlier
 *   start — and only then the binding rule's messagesPerHour (and maxConnections when connections
 *   bind), never above the policy's maxRaise × the base's value, so a fix never trips quota-raise;
 * - tls-required / tls-downgrade: `tls: opportunistic` on the rule.
 * A fix is "verified" only when the file with the change written into it parses again and the
 * re-simulation of that parsed file meets the delivery's deadline (no expiry, no deadline miss);
 * otherwise it is not offered as verified and no suggestion block is attached. Every fix states its
 * caveat. Searched values are round (two significant digits), and the search is capped: per finding
 * (maxSimulations) and, for the whole review, by one FixBudget of simulations and wall time shared by
 * all findings (fix-budget.ts); a finding the budget does not reach says so and gets no fix.
 */
import type { Delivery, InstanceModel, MxRule } from "../model/config.js";
import { FINDINGS } from "../model/catalogue.js";
import { isChange, type Finding, type ReviewedFinding } from "../model/findings.js";
import { formatDuration, groupDigits } from "../model/format.js";
import type { InstanceResult } from "../model/results.js";
import type { SideResult } from "../model/review.js";
import {
  DELIVERY_EDIT_CAVEAT,
  editDeliveryFile,
  editRuleFile,
  RETRY_GUIDELINE,
  START_CAVEAT,
  throughputCaveat,
  TLS_CAVEAT,
} from "./fix-text.js";
import { DEFAULT_FIX_BUDGET, FixBudget } from "./fix-budget.js";
import { ruleIdentity } from "./site-pairs.js";

export type SimulateFn = (model: InstanceModel) => { result: InstanceResult; findings: Finding[] };

export interface FixOptions {
  simulate: SimulateFn;
  /** The base side: its rule values bound the throughput a fix may ask for. */
  base?: SideResult;
  /** The policy's maxRaise: a fix never sets a rule above maxRaise × the base's value. Default 2. */
  maxRaise?: number;
  /** Simulations allowed per finding (memoised ones are free). Default 24. */
  maxSimulations?: number;
  /** Upper bound of the search, as a multiple of the current value (before maxRaise). Default 100. */
  maxFactor?: number;
  /** Findings to compute a fix for, at most (the rest say the budget is spent). Default 25. */
  maxFindings?: number;
  /** Simulations for the whole review, shared by all findings. Default 300. */
  totalSimulations?: number;
  /** Wall-clock time for the whole fix search, in milliseconds. Default 4,000. */
  timeLimitMs?: number;
  /** The clock the time limit is read from (milliseconds; tests inject one). Default performance.now. */
  now?: () => number;
}

type Options = Required<Omit<FixOptions, "base" | "totalSimulations" | "timeLimitMs" | "now">> & { base: SideResult | undefined };

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
  return rules.find((rule) => rule.span.file === finding.file && rule.span.line <= finding.line && finding.line <= rule.span.endLine);
}

/** A delivery's retry and start settings in a trial. */
interface DeliveryTrial {
  index: number;
  retryPeriodSec: number;
  retries: number;
  start: number;
}

interface Trial {
  messagesPerHour: number;
  maxConnections: number;
  tls: MxRule["tls"];
  delivery?: DeliveryTrial;
}

type Lever = "retries" | "start" | "throughput" | "tls";

/**
 * What `meets` needs of a re-simulation, and nothing more: the memo keeps one of these per trial
 * instead of the whole result, so its memory is bounded by the findings, not by the sites.
 */
interface Outcome {
  fingerprints: Set<string>;
  /** Deliveries with a deadline-miss or delivery-expiry. */
  late: Set<string>;
  /** Effective TLS of each site. */
  tls: Map<string, InstanceResult["sites"][number]["tls"]>;
}

function outcomeOf(out: { result: InstanceResult; findings: Finding[] }): Outcome {
  const late = new Set<string>();
  for (const f of out.findings) {
    const delivery = f.details?.["delivery"];
    if ((f.id === "deadline-miss" || f.id === "delivery-expiry") && typeof delivery === "string") late.add(delivery);
  }
  return {
    fingerprints: new Set(out.findings.map((f) => f.fingerprint)),
    late,
    tls: new Map(out.result.sites.map((site) => [site.site, site.tls] as const)),
  };
}

/** Memoised simulation of the head model with one rule (and maybe one delivery) changed. */
class Simulator {
  simulations = 0;

  constructor(
    private readonly simulate: SimulateFn,
    readonly model: InstanceModel,
    /** Position of the rule in model.mxRules.rules. */
    private readonly position: number,
    /** The review's one budget: every simulation of every Simulator is charged to it. */
    readonly budget: FixBudget,
    /** The review's one memo, shared by the Simulators of an instance's rules. */
    private readonly memo: Map<string, Outcome>,
  ) {}

  run(trial: Trial): Outcome {
    const d = trial.delivery;
    const original = this.model.mxRules.rules[this.position]!;
    const unchanged =
      trial.messagesPerHour === original.messagesPerHour && trial.maxConnections === original.maxConnections && trial.tls === original.tls;
    // A trial that leaves the rule as it is (retries, start) is the same model whichever rule it was tried for.
    const ruleKey = unchanged ? "as-is" : `${this.position}|${trial.messagesPerHour}|${trial.maxConnections}|${trial.tls}`;
    const key = `${this.model.name}\u0000${ruleKey}|${d ? `${d.index}|${d.retryPeriodSec}|${d.retries}|${d.start}` : ""}`;
    const cached = this.memo.get(key);
    if (cached) return cached;
    const copy = structuredClone(this.model);
    const rule = copy.mxRules.rules[this.position]!;
    rule.messagesPerHour = trial.messagesPerHour;
    rule.maxConnections = trial.maxConnections;
    rule.tls = trial.tls;
    if (d) Object.assign(copy.traffic.deliveries[d.index]!, { retryPeriodSec: d.retryPeriodSec, retries: d.retries, start: d.start });
    const entry = this.evaluate(copy);
    this.memo.set(key, entry);
    return entry;
  }

  /** Simulates a model that was rebuilt from edited file texts (not memoised). */
  evaluate(model: InstanceModel): Outcome {
    this.budget.charge();
    this.simulations++;
    return outcomeOf(this.simulate(model));
  }
}

/** The delivery a capacity finding is about (details.delivery names it). */
function deliveryOf(finding: Finding, model: InstanceModel): number {
  const name = finding.details?.["delivery"];
  return typeof name === "string" ? model.traffic.deliveries.findIndex((d) => d.name === name) : -1;
}

/**
 * Does a re-simulation clear the finding? TLS findings: gone (or the site encrypted again).
 * Capacity findings: gone, and the delivery meets its deadline — no expiry and no deadline miss for
 * it any more; being back to the base's level is not enough.
 */
function meets(finding: ReviewedFinding, out: Outcome): boolean {
  if (isComparative(finding)) {
    const site = finding.details?.["site"];
    return typeof site === "string" && out.tls.get(site) === "opportunistic";
  }
  if (out.fingerprints.has(finding.fingerprint)) return false;
  if (FINDINGS[finding.id].fix !== "capacity") return true;
  const delivery = finding.details?.["delivery"];
  if (delivery === undefined) return true;
  return !(typeof delivery === "string" && out.late.has(delivery));
}

/** Smallest candidate that passes, assuming monotonicity; the last candidate must be known to pass. */
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
  lever: Lever | null;
  /** Simulations this finding's search ran (memoised trials are free). */
  simulations: number;
  exhausted: boolean;
  /** The review's shared budget ran out during (or before) this search. */
  budgetSpent: boolean;
  /** The throughput ceiling used (maxRaise × the base's value). */
  ceiling: { messagesPerHour: number; maxConnections: number };
}

/** The base's rule for the finding's rule: the same mask and range, else the one that governed the site. */
function baseRule(rule: MxRule, finding: Finding, base: SideResult | undefined): MxRule | undefined {
  const model = base?.models.find((candidate) => candidate.name === finding.instance);
  if (!model) return undefined;
  const same = model.mxRules.rules.find((candidate) => ruleIdentity(candidate) === ruleIdentity(rule));
  if (same) return same;
  const site = base!.report.instances
    .find((instance) => instance.name === finding.instance)
    ?.sites.find((s) => s.site === finding.details?.["site"]);
  const index = site?.paths?.find((path) => path.rule !== null)?.rule?.index;
  return index === undefined ? undefined : model.mxRules.rules[index];
}

function ceilingOf(rule: MxRule, finding: Finding, options: Options): Search["ceiling"] {
  const reference = baseRule(rule, finding, options.base) ?? rule;
  const bound = (key: "messagesPerHour" | "maxConnections") =>
    Math.min(Math.max(1, rule[key]) * options.maxFactor, Math.floor(Math.max(0, reference[key]) * options.maxRaise));
  return { messagesPerHour: bound("messagesPerHour"), maxConnections: bound("maxConnections") };
}

/** Adobe's retry guideline applied to a delivery: a 30-minute period (never longer) and more than 20 retries. */
const GUIDELINE_PERIOD_SEC = 30 * 60;
const GUIDELINE_RETRIES = 21;

function retryTrial(delivery: Delivery, index: number): DeliveryTrial | null {
  const retryPeriodSec = Math.min(delivery.retryPeriodSec, GUIDELINE_PERIOD_SEC);
  const retries = Math.max(delivery.retries, GUIDELINE_RETRIES);
  if (retryPeriodSec === delivery.retryPeriodSec && retries === delivery.retries) return null;
  return { index, retryPeriodSec, retries, start: delivery.start };
}

/** Earlier starts tried, in hours. */
const START_SHIFTS_HOURS = [1, 2, 4];

function searchCapacity(sim: Simulator, finding: ReviewedFinding, rule: MxRule, options: Options): Search {
  const start = sim.simulations;
  const used = () => sim.simulations - start;
  const budget = () => used() < options.maxSimulations && !sim.budget.spent();
  const ceiling = ceilingOf(rule, finding, options);
  const m0 = rule.messagesPerHour;
  const c0 = rule.maxConnections;
  const tls = rule.tls;
  const done = (found: Trial | null, lever: Lever | null, exhausted: boolean): Search => ({
    found,
    lever,
    simulations: used(),
    exhausted,
    budgetSpent: exhausted && sim.budget.spent(),
    ceiling,
  });
  const passes = (trial: Trial) => meets(finding, sim.run(trial));
  const base: Trial = { messagesPerHour: m0, maxConnections: c0, tls };

  // 1. Retries: no more throughput, deferred messages come back sooner.
  const index = deliveryOf(finding, sim.model);
  const delivery = index >= 0 ? sim.model.traffic.deliveries[index] : undefined;
  const retries = delivery ? retryTrial(delivery, index) : null;
  if (retries && budget() && passes({ ...base, delivery: retries })) return done({ ...base, delivery: retries }, "retries", false);
  // 2. An earlier start (with the retry guideline when it applies), smallest shift first.
  if (delivery) {
    for (const hours of START_SHIFTS_HOURS) {
      if (!budget()) return done(null, null, true);
      const trial: Trial = {
        ...base,
        delivery: {
          ...(retries ?? { index, retryPeriodSec: delivery.retryPeriodSec, retries: delivery.retries }),
          start: delivery.start - hours * 3_600_000,
        },
      };
      if (passes(trial)) return done(trial, "start", false);
    }
  }
  // 3. Throughput, up to the ceiling.
  const mMax = Math.max(m0, ceiling.messagesPerHour);
  const cMax = Math.max(c0, ceiling.maxConnections);
  const test = (messagesPerHour: number, maxConnections: number) => passes({ messagesPerHour, maxConnections, tls });
  if (mMax === m0 && cMax === c0) return done(null, null, false);
  if (!budget()) return done(null, null, true);
  if (mMax > m0 && test(mMax, c0)) {
    const m = bisect(roundLadder(m0, mMax), (v) => test(v, c0), budget);
    return done({ messagesPerHour: m.value, maxConnections: c0, tls }, "throughput", m.exhausted);
  }
  // Raising messagesPerHour alone is not enough: the connections bind. Search maxConnections, then
  // the smallest messagesPerHour (possibly unchanged) with those connections.
  if (cMax === c0 || !budget()) return done(null, null, !budget());
  if (!test(mMax, cMax)) return done(null, null, false);
  const c = bisect(roundLadder(c0, cMax), (v) => test(mMax, v), budget);
  const m = bisect([m0, ...roundLadder(m0, mMax)], (v) => test(v, c.value), budget);
  return done({ messagesPerHour: m.value, maxConnections: c.value, tls }, "throughput", c.exhausted || m.exhausted);
}

function searchTls(sim: Simulator, finding: ReviewedFinding, rule: MxRule): Search {
  const start = sim.simulations;
  const trial: Trial = { messagesPerHour: rule.messagesPerHour, maxConnections: rule.maxConnections, tls: "opportunistic" };
  const ceiling = { messagesPerHour: rule.messagesPerHour, maxConnections: rule.maxConnections };
  if (sim.budget.spent()) return { found: null, lever: null, simulations: 0, exhausted: true, budgetSpent: true, ceiling };
  const ok = rule.tls !== "opportunistic" && meets(finding, sim.run(trial));
  return {
    found: ok ? trial : null,
    lever: ok ? "tls" : null,
    simulations: sim.simulations - start,
    exhausted: false,
    budgetSpent: false,
    ceiling,
  };
}

function ruleLabel(rule: MxRule): string {
  return `rule "${rule.mask}" (${rule.span.file}:${rule.span.line})`;
}

interface Described {
  ruleEdit: Record<string, string | number>;
  deliveryEdit: Record<string, string | number>;
  text: string;
  changes: Record<string, unknown>;
}

function isoStart(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

function describeTrial(rule: MxRule, delivery: Delivery | undefined, trial: Trial): Described {
  const out: Described = { ruleEdit: {}, deliveryEdit: {}, text: "", changes: {} };
  const parts: string[] = [];
  const d = trial.delivery;
  if (d && delivery) {
    const where: string[] = [];
    if (d.retryPeriodSec !== delivery.retryPeriodSec) {
      out.deliveryEdit["retryPeriod"] = formatDuration(d.retryPeriodSec);
      where.push(`retryPeriod ${formatDuration(delivery.retryPeriodSec)} → ${formatDuration(d.retryPeriodSec)}`);
      out.changes["retryPeriod"] = { from: formatDuration(delivery.retryPeriodSec), to: formatDuration(d.retryPeriodSec) };
    }
    if (d.retries !== delivery.retries) {
      out.deliveryEdit["retries"] = d.retries;
      where.push(`retries ${delivery.retries} → ${d.retries}`);
      out.changes["retries"] = { from: delivery.retries, to: d.retries };
    }
    if (d.start !== delivery.start) {
      out.deliveryEdit["start"] = isoStart(d.start);
      where.push(
        `start ${isoStart(delivery.start)} → ${isoStart(d.start)} (${formatDuration(Math.round((delivery.start - d.start) / 1000))} earlier)`,
      );
      out.changes["start"] = { from: isoStart(delivery.start), to: isoStart(d.start) };
    }
    parts.push(`on delivery "${delivery.name}" (${delivery.span.file}:${delivery.span.line}): ${where.join(", ")}`);
  }
  const ruleParts: string[] = [];
  if (trial.messagesPerHour !== rule.messagesPerHour) {
    out.ruleEdit["messagesPerHour"] = trial.messagesPerHour;
    ruleParts.push(`messagesPerHour ${groupDigits(rule.messagesPerHour)} → ${groupDigits(trial.messagesPerHour)}`);
    out.changes["messagesPerHour"] = { from: rule.messagesPerHour, to: trial.messagesPerHour };
  }
  if (trial.maxConnections !== rule.maxConnections) {
    out.ruleEdit["maxConnections"] = trial.maxConnections;
    ruleParts.push(`maxConnections ${groupDigits(rule.maxConnections)} → ${groupDigits(trial.maxConnections)}`);
    out.changes["maxConnections"] = { from: rule.maxConnections, to: trial.maxConnections };
  }
  if (trial.tls !== rule.tls) {
    out.ruleEdit["tls"] = trial.tls;
    ruleParts.push(`tls: ${rule.tls} → ${trial.tls}`);
    out.changes["tls"] = { from: rule.tls, to: trial.tls };
  }
  if (ruleParts.length > 0) parts.push(ruleParts.join(", "));
  out.text = parts.join("; ");
  return out;
}

interface Job {
  index: number;
  finding: ReviewedFinding;
  model: InstanceModel;
  rule: MxRule;
  sim: Simulator;
  search: Search;
}

function noFix(job: Job, options: Options): ReviewedFinding {
  const { finding, rule, search } = job;
  let reason: string;
  if (search.budgetSpent) {
    reason = job.sim.budget.describe();
  } else if (FINDINGS[finding.id].fix === "tls") {
    const support = job.model.serverConf.mta.statServerTLSSupport.value;
    // A rule that says tls: disabled is the cause: the advice is the rule (with per-rule TLS on), never enableTLS.
    const fixHere =
      rule.tls === "disabled"
        ? 'set statServerTLSSupport="true" so that the rule\'s TLS applies'
        : 'set statServerTLSSupport="true" or enableTLS="true"';
    const hint = support ? "" : ` (statServerTLSSupport is false: per-rule TLS is ignored; ${fixHere})`;
    reason = `No verified fix: tls: opportunistic on ${ruleLabel(rule)} does not clear it${hint}.`;
  } else if (search.exhausted) {
    reason = `No fix within bounds: the search stopped after ${search.simulations} simulations.`;
  } else {
    reason =
      `No fix within bounds: neither ${RETRY_GUIDELINE}, nor a start up to ${START_SHIFTS_HOURS.at(-1)} h earlier, ` +
      `nor messagesPerHour up to ${groupDigits(search.ceiling.messagesPerHour)} and maxConnections up to ${groupDigits(search.ceiling.maxConnections)} ` +
      `on ${ruleLabel(rule)} (maxRaise ${options.maxRaise}× the base's values) meets the deadline.`;
  }
  return {
    ...finding,
    message: `${finding.message} ${reason}`,
    details: {
      ...finding.details,
      fix: { verified: false, simulations: search.simulations, ...(search.budgetSpent ? { budgetSpent: true } : {}) },
    },
  };
}

function caveatOf(lever: Lever, options: Options, search: Search): string {
  if (lever === "retries") return DELIVERY_EDIT_CAVEAT;
  if (lever === "start") return START_CAVEAT;
  if (lever === "tls") return TLS_CAVEAT;
  return throughputCaveat(options.maxRaise, search.ceiling.messagesPerHour);
}

/**
 * Writes the trial into the file texts, parses them again and simulates the parsed model: the fix
 * is verified only when that meets the deadline. Returns the rule's replacement text when the rule
 * file changed (a suggestion for the finding's lines), or null when the rule file is unchanged.
 */
function verifyWritten(job: Job, described: Described, head: SideResult): { ok: boolean; ruleReplacement: string | null } {
  const copy = structuredClone(job.model);
  let ruleReplacement: string | null = null;
  if (Object.keys(described.ruleEdit).length > 0) {
    const written = editRuleFile(head.files[job.rule.span.file], job.rule, described.ruleEdit);
    if (!written) return { ok: false, ruleReplacement: null };
    copy.mxRules = written.parsed;
    ruleReplacement = written.replacement;
  }
  const delivery = job.search.found?.delivery;
  if (delivery && Object.keys(described.deliveryEdit).length > 0) {
    const original = job.model.traffic.deliveries[delivery.index]!;
    const written = editDeliveryFile(head.files[original.span.file], original, delivery.index, described.deliveryEdit);
    if (!written) return { ok: false, ruleReplacement: null };
    copy.traffic = written.parsed;
  }
  return { ok: meets(job.finding, job.sim.evaluate(copy)), ruleReplacement };
}

function withFix(job: Job, trial: Trial, head: SideResult, options: Options, extra: { shared: number; capped: boolean }): ReviewedFinding {
  const { finding, rule } = job;
  // Verifying is one more simulation: without budget left, the fix is not offered at all.
  if (job.sim.budget.spent()) return noFix({ ...job, search: { ...job.search, found: null, budgetSpent: true } }, options);
  const lever = job.search.lever ?? "throughput";
  const delivery = trial.delivery ? job.model.traffic.deliveries[trial.delivery.index] : undefined;
  const described = describeTrial(rule, delivery, trial);
  const written = verifyWritten({ ...job, search: { ...job.search, found: trial } }, described, head);
  const caveat = caveatOf(lever, options, job.search);
  if (!written.ok) {
    // The model met the deadline, but the change could not be written into the file and read back.
    return {
      ...finding,
      message: `${finding.message} Possible fix (not verified: it could not be written into the file and parsed again): ${described.text}${described.text.startsWith("on ") ? "" : ` on ${ruleLabel(rule)}`}. ${caveat}`,
      details: { ...finding.details, fix: { verified: false, lever, simulations: job.search.simulations, ...described.changes } },
    };
  }
  const shared =
    extra.shared > 2
      ? `; the same change clears all ${extra.shared} findings on this rule`
      : extra.shared === 2
        ? "; the same change clears both findings on this rule"
        : "";
  const capped = extra.capped ? "; the search was capped, a smaller value may suffice" : "";
  const fix = {
    verified: true,
    lever,
    effect: "meets-deadline",
    simulations: job.search.simulations,
    minimal: !extra.capped && extra.shared <= 1,
    ...described.changes,
  };
  const out: ReviewedFinding = { ...finding, details: { ...finding.details, fix } };
  const onRule = finding.file === rule.span.file && finding.line >= rule.span.line && finding.line <= rule.span.endLine;
  const deliveryOnly = Object.keys(described.ruleEdit).length === 0;
  const what = deliveryOnly ? described.text : `${described.text} on ${ruleLabel(rule)}`;
  if (onRule && written.ruleReplacement !== null && Object.keys(described.deliveryEdit).length === 0) {
    out.line = rule.span.line;
    out.endLine = rule.span.endLine;
    out.suggestion = written.ruleReplacement;
    out.message = `${finding.message} Fix (verified: written into the file, parsed and simulated again, it meets the deadline): ${described.text}${shared}${capped}. ${caveat}`;
  } else {
    out.message = `${finding.message} Fix (verified: written into the file, parsed and simulated again, it meets the deadline): ${what}${shared}${capped}. ${caveat}`;
  }
  return out;
}

/**
 * Adds verified fixes to the new and worsened fixable findings (others are returned unchanged, as
 * are findings that already carry a suggestion). Each finding is searched on its own; then the
 * findings whose fix raises one rule get one combined change (the largest values found, TLS
 * included) when a re-simulation shows it clears them all. Pure apart from calling `options.simulate`.
 */
export function computeFixes(findings: readonly ReviewedFinding[], head: SideResult, options: FixOptions): ReviewedFinding[] {
  const { totalSimulations, timeLimitMs, now, ...rest } = options;
  const opts: Options = {
    maxSimulations: 24,
    maxFactor: 100,
    maxFindings: DEFAULT_FIX_BUDGET.findings,
    maxRaise: 2,
    ...rest,
    base: options.base,
  };
  const budget = new FixBudget(
    {
      findings: opts.maxFindings,
      simulations: totalSimulations ?? DEFAULT_FIX_BUDGET.simulations,
      timeMs: timeLimitMs ?? DEFAULT_FIX_BUDGET.timeMs,
    },
    now,
  );
  const sims = new Map<string, Simulator>();
  const memo = new Map<string, Outcome>();
  const jobs: Job[] = [];
  findings.forEach((finding, index) => {
    if (!isChange(finding)) return;
    if (finding.suggestion !== undefined || !isFixable(finding)) return;
    const model = head.models.find((candidate) => candidate.name === finding.instance);
    const rule = model ? ruleOfFinding(finding, model) : undefined;
    if (!model || !rule) return;
    const position = model.mxRules.rules.indexOf(rule);
    const key = `${model.name}\u0000${position}`;
    let sim = sims.get(key);
    if (!sim) {
      sim = new Simulator(opts.simulate, model, position, budget, memo);
      sims.set(key, sim);
    }
    const search: Search =
      jobs.length >= opts.maxFindings
        ? {
            found: null,
            lever: null,
            simulations: 0,
            exhausted: true,
            budgetSpent: true,
            ceiling: { messagesPerHour: rule.messagesPerHour, maxConnections: rule.maxConnections },
          }
        : FINDINGS[finding.id].fix === "tls"
          ? searchTls(sim, finding, rule)
          : searchCapacity(sim, finding, rule, opts);
    jobs.push({ index, finding, model, rule, sim, search });
  });

  const out = [...findings];
  const groups = new Map<Simulator, Job[]>();
  for (const job of jobs) groups.set(job.sim, [...(groups.get(job.sim) ?? []), job]);
  for (const group of groups.values()) {
    // Only rule changes combine; a delivery's retries or start are its own.
    const onRule = group.filter((job) => job.search.found !== null && job.search.found.delivery === undefined);
    const rule = group[0]!.rule;
    const combined: Trial | null =
      onRule.length < 2
        ? null
        : {
            messagesPerHour: Math.max(...onRule.map((job) => job.search.found!.messagesPerHour)),
            maxConnections: Math.max(...onRule.map((job) => job.search.found!.maxConnections)),
            tls: onRule.some((job) => job.search.found!.tls !== rule.tls) ? "opportunistic" : rule.tls,
          };
    const clearedByCombined = combined ? onRule.filter((job) => !budget.spent() && meets(job.finding, job.sim.run(combined))) : [];
    const capped = onRule.some((job) => job.search.exhausted);
    for (const job of group) {
      if (combined && clearedByCombined.includes(job)) {
        const lever: Lever =
          combined.messagesPerHour !== rule.messagesPerHour || combined.maxConnections !== rule.maxConnections ? "throughput" : "tls";
        out[job.index] = withFix({ ...job, search: { ...job.search, lever } }, combined, head, opts, {
          shared: clearedByCombined.length,
          capped,
        });
      } else if (job.search.found) {
        out[job.index] = withFix(job, job.search.found, head, opts, { shared: 1, capped: job.search.exhausted });
      } else {
        out[job.index] = noFix(job, opts);
      }
    }
  }
  return out;
}
