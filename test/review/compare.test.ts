import { describe, expect, it } from "vitest";
import { simulateSide } from "../../src/engine/index.js";
import { compareFindings, magnitudeGrew } from "../../src/review/compare.js";
import { review } from "../../src/review/review.js";
import { finding, magnitude } from "../fixtures/review/build.js";
import { editFile, exampleFiles, examplePolicy, lateNewsletterFiles, replaceOnce, RULES } from "../fixtures/review/campaign.js";

describe("magnitudeGrew", () => {
  it("grows with more deferred, more expired, a later completion, or completion → null", () => {
    expect(magnitudeGrew(magnitude(10, 0, 3), magnitude(11, 0, 3))).toBe(true);
    expect(magnitudeGrew(magnitude(10, 0, 3), magnitude(10, 1, 3))).toBe(true);
    expect(magnitudeGrew(magnitude(10, 0, 3), magnitude(10, 0, 3.5))).toBe(true);
    expect(magnitudeGrew(magnitude(10, 0, 3), magnitude(10, 0, null))).toBe(true);
  });

  it("does not grow when equal, smaller, or when completion goes null → number", () => {
    expect(magnitudeGrew(magnitude(10, 5, 3), magnitude(10, 5, 3))).toBe(false);
    expect(magnitudeGrew(magnitude(10, 5, 3), magnitude(9, 4, 2))).toBe(false);
    expect(magnitudeGrew(magnitude(10, 5, null), magnitude(10, 5, 40))).toBe(false);
    expect(magnitudeGrew(magnitude(10, 5, null), magnitude(10, 5, null))).toBe(false);
    expect(magnitudeGrew(undefined, magnitude(10, 5, 3))).toBe(false);
    expect(magnitudeGrew(magnitude(10, 5, 3), undefined)).toBe(false);
  });

  it("ignores float noise in completion hours", () => {
    expect(magnitudeGrew(magnitude(0, 0, 0.1 + 0.2), magnitude(0, 0, 0.3))).toBe(false);
  });
});

describe("compareFindings", () => {
  const expiry = (expired: number, line = 4) =>
    finding("delivery-expiry", "Black Friday", { line, endLine: line + 5, magnitude: magnitude(100, expired, null) });

  it("classifies new, worsened, existing and fixed", () => {
    const base = [expiry(10), finding("stale-mask", "*.old.example", { line: 30 }), finding("no-rule", "acme", { line: 40 })];
    const head = [expiry(25), finding("stale-mask", "*.old.example", { line: 30 }), finding("tls-required", "google", { line: 9 })];
    const out = compareFindings(base, head);
    const status = Object.fromEntries(out.map((f) => [f.id, f.status]));
    expect(status).toEqual({ "delivery-expiry": "worsened", "stale-mask": "existing", "tls-required": "new", "no-rule": "fixed" });
    const worsened = out.find((f) => f.id === "delivery-expiry")!;
    expect(worsened.baseMagnitude).toEqual(magnitude(100, 10, null));
    expect(worsened.magnitude).toEqual(magnitude(100, 25, null));
    const fixed = out.find((f) => f.status === "fixed")!;
    expect(fixed.line).toBe(40);
  });

  it("keeps a finding whose rule moved two lines down as existing (fingerprints have no lines)", () => {
    const out = compareFindings([expiry(10, 4)], [expiry(10, 6)]);
    expect(out).toHaveLength(1);
    expect(out[0]!.status).toBe("existing");
    expect(out[0]!.line).toBe(6);
  });

  it("pairs duplicate fingerprints one to one", () => {
    const a = finding("config-error", "same", { line: 1 });
    const out = compareFindings([a], [a, { ...a, line: 2 }]);
    expect(out.map((f) => f.status)).toEqual(["existing", "new"]);
    const back = compareFindings([a, { ...a, line: 2 }], [a]);
    expect(back.map((f) => f.status)).toEqual(["existing", "fixed"]);
  });

  it("marks an improvement as existing, not worsened", () => {
    const out = compareFindings([expiry(25)], [expiry(10)]);
    expect(out[0]!.status).toBe("existing");
  });
});

describe("two simulated reports", () => {
  it("a rule moved two lines down changes nothing: every finding is existing, the check passes", () => {
    const policy = examplePolicy();
    // A base failing on the moved rule itself (the newsletter's Gmail mail misses a 5h deadline at *.google.com).
    const files = lateNewsletterFiles();
    const moved = editFile(files, RULES, (text) =>
      replaceOnce(text, 'rules:\n  - mask: "*.google.com"', 'rules:\n  # moved\n  # down\n  - mask: "*.google.com"'),
    );
    const base = simulateSide(files, policy);
    const head = simulateSide(moved, policy);
    expect(base.report.findings.some((f) => f.id === "deadline-miss" && f.file === RULES && f.line === 4)).toBe(true);
    const lines = (r: typeof base) => r.report.findings.map((f) => f.line);
    expect(lines(head)).not.toEqual(lines(base));
    const result = review(base, head, policy);
    expect(result.findings.map((f) => f.status).every((s) => s === "existing")).toBe(true);
    expect(result.findings).toHaveLength(base.report.findings.length);
    expect(result.conclusion).toBe("success");
  });

  it("lowering a quota makes deliveries worse and the check fail", () => {
    const policy = examplePolicy();
    const files = exampleFiles();
    const base = simulateSide(files, policy);
    const head = simulateSide(
      editFile(files, RULES, (text) => replaceOnce(text, 'messagesPerHour: "60,000"', 'messagesPerHour: "6,000"')),
      policy,
    );
    const result = review(base, head, policy, { simulate: null });
    const changed = result.findings.filter((f) => f.status === "new" || f.status === "worsened");
    expect(changed.some((f) => f.id === "delivery-expiry" || f.id === "deadline-miss")).toBe(true);
    expect(result.conclusion).toBe("failure");
  });
});
