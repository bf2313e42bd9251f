import { describe, expect, it } from "vitest";
import { simulateSide } from "../../src/engine/index.js";
import type { SideResult } from "../../src/model/review.js";
import type { InstanceModel, MxRule, Policy } from "../../src/model/config.js";
import type { Finding, ReviewedFinding } from "../../src/model/findings.js";
import { computeFixes, roundLadder, type SimulateFn } from "../../src/review/fixes.js";
import { review } from "../../src/review/review.js";
import { applySuggestion } from "../../src/review/rule-text.js";
import { finding, instance, magnitude, model, report, rule, run } from "../fixtures/review/build.js";
import { editFile, exampleFiles, examplePolicy, lateNewsletterFiles, replaceOnce, RULES, TRAFFIC } from "../fixtures/review/campaign.js";

const RULES_TEXT = [
  "rules:",
  '  - mask: "*.google.example"',
  "    maxConnections: 10",
  '    messagesPerHour: "10,000"',
  "    tls: default",
  "",
].join("\n");

function setup(overrides: Partial<MxRule> = {}) {
  const r = rule(0, "*.google.example", 2, 5, { messagesPerHour: 10_000, maxConnections: 10, ...overrides });
  const m = model("prod", [r]);
  const f: ReviewedFinding = {
    ...finding("deadline-miss", "Newsletter", { line: 2, endLine: 5, magnitude: magnitude(0, 0, 9) }),
    status: "new",
  };
  const head: SideResult = run(report([instance("prod", [])], [f]), [m], { [RULES]: RULES_TEXT });
  return { rule: r, model: m, finding: f, head };
}

/** A simulation that reports `f` until `ok(rule)` holds, counting its calls. */
function fake(f: Finding, ok: (rule: MxRule) => boolean): SimulateFn & { calls: number } {
  const fn = ((m: InstanceModel) => {
    fn.calls++;
    const r = m.mxRules.rules[0]!;
    return { result: instance(m.name, []), findings: ok(r) ? [] : [f] };
  }) as SimulateFn & { calls: number };
  fn.calls = 0;
  return fn;
}

describe("roundLadder", () => {
  it("lists two-significant-digit values above lo, up to and including hi", () => {
    expect(roundLadder(95, 130)).toEqual([96, 97, 98, 99, 100, 110, 120, 130]);
    expect(roundLadder(10_000, 1_000_000).slice(0, 3)).toEqual([11_000, 12_000, 13_000]);
    expect(roundLadder(10_000, 1_000_000).at(-1)).toBe(1_000_000);
    expect(roundLadder(5, 5)).toEqual([]);
  });
});

describe("computeFixes with a stand-in simulation", () => {
  it("finds the smallest round messagesPerHour that clears the finding, within 24 simulations", () => {
    const { finding: f, head } = setup();
    const sim = fake(f, (r) => r.messagesPerHour >= 13_217);
    const [out] = computeFixes([f], head, { simulate: sim });
    expect(out!.suggestion).toBe(
      ['  - mask: "*.google.example"', "    maxConnections: 10", '    messagesPerHour: "14,000"', "    tls: default"].join("\n"),
    );
    expect(out!.message).toContain("messagesPerHour 10,000 → 14,000");
    expect(out!.details?.["fix"]).toMatchObject({ verified: true, messagesPerHour: { from: 10_000, to: 14_000 } });
    expect(sim.calls).toBeLessThanOrEqual(24);
  });

  it("raises maxConnections when messagesPerHour alone cannot clear it, then the smallest messagesPerHour", () => {
    const { finding: f, head } = setup();
    const sim = fake(f, (r) => Math.min(r.messagesPerHour, r.maxConnections * 500) >= 20_000);
    const [out] = computeFixes([f], head, { simulate: sim, maxRaise: 5 });
    expect(out!.details?.["fix"]).toMatchObject({ maxConnections: { from: 10, to: 40 }, messagesPerHour: { from: 10_000, to: 20_000 } });
    expect(out!.suggestion).toContain("    maxConnections: 40");
    expect(out!.suggestion).toContain('    messagesPerHour: "20,000"');
    expect(sim.calls).toBeLessThanOrEqual(24);
  });

  it("says 'no fix within bounds' when nothing up to maxRaise × the value clears it, and suggests nothing", () => {
    const { finding: f, head } = setup();
    const sim = fake(f, () => false);
    const [out] = computeFixes([f], head, { simulate: sim });
    expect(out!.suggestion).toBeUndefined();
    expect(out!.message).toContain("No fix within bounds");
    expect(out!.message).toContain("messagesPerHour up to 20,000 and maxConnections up to 20");
    expect(out!.message).toContain("maxRaise 2×");
    expect(sim.calls).toBeLessThanOrEqual(24);
  });

  it("stops at the simulation cap and keeps the last verified value", () => {
    const { finding: f, head } = setup();
    const sim = fake(f, (r) => r.messagesPerHour >= 13_217);
    const [out] = computeFixes([f], head, { simulate: sim, maxSimulations: 3 });
    expect(sim.calls).toBe(4); // 3 for the search, 1 for the file written with the fix and parsed again
    const to = (out!.details!["fix"] as { messagesPerHour: { to: number } }).messagesPerHour.to;
    expect(to).toBeGreaterThanOrEqual(13_217);
    expect(out!.message).toContain("capped");
  });

  it("sets tls: opportunistic for TLS findings only when the re-simulation clears them", () => {
    const { head } = setup();
    const tls: ReviewedFinding = { ...finding("tls-required", "google", { line: 5 }), status: "new" };
    const works = computeFixes([tls], head, { simulate: fake(tls, (r) => r.tls === "opportunistic") });
    expect(works[0]!.suggestion?.split("\n")[3]).toBe("    tls: opportunistic");
    expect([works[0]!.line, works[0]!.endLine]).toEqual([2, 5]);
    const fails = computeFixes([tls], head, { simulate: fake(tls, () => false) });
    expect(fails[0]!.suggestion).toBeUndefined();
    expect(fails[0]!.message).toContain("No verified fix");
  });

  it("leaves existing and fixed findings, non-fixable ids and findings on no rule alone", () => {
    const { finding: f, head } = setup();
    const sim = fake(f, () => true);
    const input: ReviewedFinding[] = [
      { ...f, status: "existing" },
      { ...f, status: "fixed" },
      { ...finding("quota-deferral", "google", { line: 2 }), status: "new" },
      { ...f, status: "new", file: "campaign/traffic.yaml", line: 40, endLine: 44 },
    ];
    expect(computeFixes(input, head, { simulate: sim })).toEqual(input);
    expect(sim.calls).toBe(0);
  });

  it("gives findings on one rule one combined change that clears them all", () => {
    const { finding: f, head } = setup();
    const g: ReviewedFinding = { ...finding("delivery-expiry", "Newsletter", { line: 2, endLine: 5 }), status: "new" };
    const sim = ((m: InstanceModel) => {
      const r = m.mxRules.rules[0]!;
      const findings = [...(r.messagesPerHour >= 30_000 ? [] : [f]), ...(r.messagesPerHour >= 12_000 ? [] : [g])];
      return { result: instance("prod", []), findings };
    }) as SimulateFn;
    const out = computeFixes([f, g], head, { simulate: sim, maxRaise: 5 });
    expect(out[0]!.suggestion).toBe(out[1]!.suggestion);
    expect(out[1]!.suggestion).toContain('"30,000"');
    expect(out[1]!.message).toContain("clears both findings on this rule");
  });
});

describe("the throughput ceiling", () => {
  it("never asks for more than maxRaise × the base's value: with the base at 5,000, 10,000 is the most", () => {
    const { finding: f, head } = setup();
    const baseRule = rule(0, "*.google.example", 2, 5, { messagesPerHour: 5_000, maxConnections: 10 });
    const base: SideResult = run(report([instance("prod", [])], []), [model("prod", [baseRule])], { [RULES]: RULES_TEXT });
    const tried: number[] = [];
    const sim = ((m: InstanceModel) => {
      tried.push(m.mxRules.rules[0]!.messagesPerHour);
      return { result: instance(m.name, []), findings: m.mxRules.rules[0]!.messagesPerHour >= 14_000 ? [] : [f] };
    }) as SimulateFn;
    const [out] = computeFixes([f], head, { simulate: sim, base });
    expect(Math.max(...tried)).toBeLessThanOrEqual(10_000);
    expect(out!.suggestion).toBeUndefined();
    expect(out!.message).toContain("messagesPerHour up to 10,000");
  });

  it("states its caveat: maxRaise, reputation, and the daily overwrite outside Custom mode", () => {
    const { finding: f, head } = setup();
    const [out] = computeFixes([f], head, { simulate: fake(f, (r) => r.messagesPerHour >= 13_217) });
    expect(out!.message).toContain("Fix (verified: written into the file, parsed and simulated again, it meets the deadline)");
    expect(out!.message).toMatch(/Caveat: stays within the policy's maxRaise \(2× the base's value, at most 20,000 messagesPerHour\)/);
    expect(out!.message).toContain("reputation");
    expect(out!.message).toContain("Custom mode");
  });

  it("calls nothing verified when the change cannot be written into the file and parsed back", () => {
    const { finding: f, head } = setup();
    const broken: SideResult = { ...head, files: { [RULES]: "rules:\n  - mask: [\n" } };
    const [out] = computeFixes([f], broken, { simulate: fake(f, (r) => r.messagesPerHour >= 13_217) });
    expect(out!.suggestion).toBeUndefined();
    expect(out!.message).toContain("Possible fix (not verified");
    expect(out!.details?.["fix"]).toMatchObject({ verified: false });
  });
});

describe("levers that raise no throughput come first", () => {
  const policy: Policy = examplePolicy();
  // The example passes; with the newsletter's deadline cut to 5h its Gmail mail (5.83 h) misses it.
  const head = simulateSide(lateNewsletterFiles(), policy);
  const newsletter = head.report.findings.find((x) => x.id === "deadline-miss" && x.details?.["delivery"] === "Black Friday newsletter")!;

  /** A stand-in that reports the newsletter's miss until `ok` holds for its delivery and rule. */
  function until(ok: (m: InstanceModel) => boolean): SimulateFn & { models: InstanceModel[] } {
    const fn = ((m: InstanceModel) => {
      fn.models.push(m);
      return { result: head.report.instances[0]!, findings: ok(m) ? [] : [newsletter] };
    }) as SimulateFn & { models: InstanceModel[] };
    fn.models = [];
    return fn;
  }
  const deliveryOf = (m: InstanceModel) => m.traffic.deliveries.find((d) => d.name === "Black Friday newsletter")!;

  it("the retry guideline first: a 30-minute period and 21 retries, written into traffic.yaml and read back", () => {
    const sim = until((m) => deliveryOf(m).retries >= 21 && deliveryOf(m).retryPeriodSec <= 1800);
    const [out] = computeFixes([{ ...newsletter, status: "new" }], head, { simulate: sim });
    expect(out!.details?.["fix"]).toMatchObject({
      verified: true,
      lever: "retries",
      retries: { from: 5, to: 21 },
      retryPeriod: { from: "1h", to: "30m" },
    });
    expect(out!.message).toContain('on delivery "Black Friday newsletter" (campaign/traffic.yaml:5): retryPeriod 1h → 30m, retries 5 → 21');
    expect(out!.message).toContain("Caveat: this follows Adobe's retry guideline");
    expect(out!.suggestion).toBeUndefined(); // the finding sits on the rule; the change is in another file
    // The last simulation ran on the traffic plan parsed again from the edited text.
    expect(deliveryOf(sim.models.at(-1)!)).toMatchObject({ retries: 21, retryPeriodSec: 1800 });
    // No rule was touched.
    for (const m of sim.models)
      expect(m.mxRules.rules.map((r) => r.messagesPerHour)).toEqual(head.models[0]!.mxRules.rules.map((r) => r.messagesPerHour));
  });

  it("then an earlier start, before any throughput", () => {
    const start = deliveryOf(head.models[0]!).start;
    const sim = until((m) => deliveryOf(m).start <= start - 2 * 3_600_000);
    const [out] = computeFixes([{ ...newsletter, status: "new" }], head, { simulate: sim });
    expect(out!.details?.["fix"]).toMatchObject({ verified: true, lever: "start", start: { to: "2026-11-27T06:00:00Z" } });
    expect(out!.message).toContain("2h earlier");
    expect(out!.message).toContain("Caveat: the delivery's content and audience must be ready that much earlier");
  });

  it("shares one memo per review: the retry trial of one delivery is simulated once for findings on two rules", () => {
    const sim = until((m) => deliveryOf(m).retries >= 21);
    const yahoo = head.models[0]!.mxRules.rules.find((r) => r.mask === "*.yahoodns.net")!;
    expect(newsletter.details?.["ruleIndex"]).not.toBe(yahoo.index);
    const other: ReviewedFinding = {
      ...newsletter,
      status: "new",
      fingerprint: `${newsletter.fingerprint}-yahoo`,
      line: yahoo.span.line,
      endLine: yahoo.span.endLine,
      details: { ...newsletter.details, ruleIndex: yahoo.index },
    };
    const out = computeFixes([{ ...newsletter, status: "new" }, other], head, { simulate: sim });
    expect(out.map((f) => (f.details?.["fix"] as { lever?: string } | undefined)?.lever)).toEqual(["retries", "retries"]);
    // One trial for both findings, then each fix written into traffic.yaml, parsed and simulated again.
    expect(sim.models).toHaveLength(3);
  });

  it("throughput last, when neither retries nor the start help", () => {
    expect(newsletter.line).toBe(4); // the miss sits on the *.google.com rule
    const google = head.models[0]!.mxRules.rules.findIndex((r) => r.mask === "*.google.com");
    const sim = until((m) => m.mxRules.rules[google]!.messagesPerHour >= 75_000);
    const [out] = computeFixes([{ ...newsletter, status: "new" }], head, { simulate: sim });
    expect(out!.details?.["fix"]).toMatchObject({ verified: true, lever: "throughput", messagesPerHour: { from: 60_000, to: 75_000 } });
    expect(out!.suggestion).toContain('messagesPerHour: "75,000"');
    const firstRaise = sim.models.findIndex((m) => m.mxRules.rules[google]!.messagesPerHour !== 60_000);
    expect(sim.models.slice(0, firstRaise).some((m) => deliveryOf(m).retries === 21)).toBe(true);
  });
});

describe("fixes through the real loader and simulation", () => {
  const policy: Policy = examplePolicy();
  // Deadlines the base meets, so a verified fix (one that meets them) exists for a head that breaks them.
  const files = editFile(exampleFiles(), TRAFFIC, (t) =>
    replaceOnce(replaceOnce(t, "deadline: 8h", "deadline: 12h"), "deadline: 2h", "deadline: 12h"),
  );
  const base = simulateSide(files, policy);

  /** Applies a finding's suggestion to the head file, re-runs, and returns the same finding afterwards. */
  function applyAndRerun(headFiles: ReturnType<typeof exampleFiles>, f: ReviewedFinding) {
    const fixedText = applySuggestion(headFiles[f.file]!, f.line, f.endLine, f.suggestion!);
    const rerun = simulateSide({ ...headFiles, [f.file]: fixedText }, policy);
    return {
      text: fixedText,
      after: review(base, rerun, policy, { simulate: null }).findings.find((x) => x.fingerprint === f.fingerprint),
    };
  }

  it("a reordered catch-all: no suggestion raises the catch-all above maxRaise × its base value", () => {
    const headFiles = editFile(files, RULES, (t) => {
      const at = t.indexOf('  - mask: "*"  ');
      return `${t
        .slice(0, at)
        .trimEnd()
        .replace("rules:\n", `rules:\n${t.slice(at).trimEnd()}\n\n`)}\n`;
    });
    const result = review(base, simulateSide(headFiles, policy), policy);
    expect(result.conclusion).toBe("failure");
    expect(result.findings.some((f) => f.id === "quota-raise" && f.status === "new")).toBe(true);
    for (const f of result.findings) {
      const to = (f.details?.["fix"] as { messagesPerHour?: { to: number } } | undefined)?.messagesPerHour?.to;
      if (to !== undefined && f.details?.["mask"] === "*") expect(to).toBeLessThanOrEqual(10_000);
    }
  });

  it("a lowered messagesPerHour: every suggestion, applied to the file, clears its finding", () => {
    const headFiles = editFile(files, RULES, (t) => replaceOnce(t, 'messagesPerHour: "60,000"', 'messagesPerHour: "6,000"'));
    const result = review(base, simulateSide(headFiles, policy), policy);
    const fixed = result.findings.filter((f) => f.suggestion !== undefined);
    expect(fixed.length).toBeGreaterThan(0);
    for (const f of fixed) {
      expect(f.suggestion).toMatch(/messagesPerHour: "\d{1,3}(,\d{3})+"/);
      const { text, after } = applyAndRerun(headFiles, f);
      expect(after === undefined || after.status === "existing").toBe(true);
      // only the messagesPerHour line changed
      const changed = text.split("\n").filter((line, i) => line !== headFiles[RULES]!.split("\n")[i]);
      expect(changed).toHaveLength(1);
      expect(changed[0]).toMatch(/^ {4}messagesPerHour: "/);
    }
  });

  it("connections that bind: the suggestion raises maxConnections and clears the finding", () => {
    const headFiles = editFile(files, RULES, (t) =>
      replaceOnce(t, "maxConnections: 30\n    maxMessagesPerConnection: 20", "maxConnections: 1\n    maxMessagesPerConnection: 2"),
    );
    const result = review(base, simulateSide(headFiles, policy), policy);
    const fixed = result.findings.filter((f) => f.suggestion !== undefined && (f.id === "delivery-expiry" || f.id === "deadline-miss"));
    expect(fixed.length).toBeGreaterThan(0);
    for (const f of fixed) {
      expect(f.suggestion).toMatch(/maxConnections: (\d+)/);
      expect(Number(/maxConnections: (\d+)/.exec(f.suggestion!)![1])).toBeGreaterThan(1);
      const { after } = applyAndRerun(headFiles, f);
      expect(after === undefined || after.status === "existing").toBe(true);
    }
  });

  it("enableTLS switched off: tls-downgrade suggestions add tls: opportunistic, and applying one clears it", () => {
    const headFiles = editFile(files, "campaign/config-prod.xml", (t) => replaceOnce(t, 'enableTLS="true"', 'enableTLS="false"'));
    const result = review(base, simulateSide(headFiles, policy), policy);
    const downgrades = result.findings.filter((f) => f.id === "tls-downgrade" && f.suggestion !== undefined);
    expect(downgrades.length).toBeGreaterThan(1);
    for (const f of downgrades) {
      const lines = f.suggestion!.split("\n");
      expect(lines.at(-1)).toBe("    tls: opportunistic");
      expect(lines.length).toBe(f.endLine - f.line + 2);
      const { after } = applyAndRerun(headFiles, f);
      expect(after).toBeUndefined();
    }
  });
});

describe("one fix search budget per review, shared by all findings", () => {
  /** n rules, one deadline-miss on each; a rule's finding clears only at 10× its value, never reached under maxRaise 2. */
  function many(n: number) {
    const rules = Array.from({ length: n }, (_, i) => rule(i, `*.r${i}.example`, 2 + 5 * i, 5 + 5 * i));
    const text = [
      "rules:",
      ...rules.flatMap((r) => [`  - mask: "${r.mask}"`, "    maxConnections: 10", '    messagesPerHour: "10,000"', "    tls: default", ""]),
    ].join("\n");
    const findings: ReviewedFinding[] = rules.map((r, i) => ({
      ...finding("deadline-miss", `d${i}`, { line: r.span.line, endLine: r.span.endLine, magnitude: magnitude(0, 0, 9) }),
      status: "new",
    }));
    const head: SideResult = run(report([instance("prod", [])], findings), [model("prod", rules)], { [RULES]: text });
    const sim = ((m: InstanceModel) => {
      sim.calls++;
      const still: Finding[] = findings.filter((_, i) => m.mxRules.rules[i]!.messagesPerHour < 100_000);
      return { result: instance(m.name, []), findings: still };
    }) as SimulateFn & { calls: number };
    sim.calls = 0;
    return { findings, head, sim };
  }

  it("stops at the review's total of simulations, and the findings it did not reach say the budget is spent", () => {
    const { findings, head, sim } = many(25);
    const out = computeFixes(findings, head, { simulate: sim, totalSimulations: 30 });
    expect(sim.calls).toBe(30);
    const spent = out.filter((f) => f.message.includes("fix search budget spent"));
    // Each finding alone costs more than one simulation, so at most the first few are searched to the end.
    expect(spent.length).toBeGreaterThanOrEqual(25 - 30 / 2);
    expect(spent.at(-1)!.message).toContain("30 simulations run");
    for (const f of spent) expect(f.details?.["fix"]).toMatchObject({ verified: false, budgetSpent: true });
    expect(out.every((f) => f.suggestion === undefined)).toBe(true);
  });

  it("uses 300 simulations at most by default, whatever the number of findings (24 per finding × 25 before)", () => {
    const { findings, head, sim } = many(40);
    const out = computeFixes(findings, head, { simulate: sim, maxSimulations: 1_000 });
    expect(sim.calls).toBeLessThanOrEqual(300);
    expect(out.slice(25).every((f) => f.message.includes("fix search budget spent"))).toBe(true);
  });

  it("stops when the time limit is reached, read from the injected clock, before starting another simulation", () => {
    const { findings, head, sim } = many(5);
    let clock = 0;
    const slow = ((m: InstanceModel) => {
      clock += 1_000; // every simulation takes one second of the injected clock
      return sim(m);
    }) as SimulateFn;
    const out = computeFixes(findings, head, { simulate: slow, timeLimitMs: 2_500, now: () => clock });
    expect(sim.calls).toBe(3);
    expect(out.at(-1)!.message).toContain("fix search budget spent");
    expect(out.at(-1)!.message).toContain("2.5 s per review");
  });

  it("still decides the verdict when the budget is spent", () => {
    const { head, sim } = many(3);
    const result = review(
      run(report([instance("prod", [])], []), [], {}),
      head,
      { ...examplePolicy(), failOn: ["deadline-miss"] },
      {
        simulate: sim,
        totalSimulations: 1,
      },
    );
    expect(result.conclusion).toBe("failure");
    expect(result.findings.filter((f) => f.message.includes("fix search budget spent")).length).toBeGreaterThanOrEqual(2);
  });
});
