import { describe, expect, it } from "vitest";
import { review } from "../../src/review/review.js";
import { finding, instance, magnitude, policy, report, run, site, TRAFFIC_FILE } from "../fixtures/review/build.js";

describe("review", () => {
  const headFindings = [
    finding("stale-mask", "a", { line: 2 }),
    finding("quota-deferral", "google", { line: 9, magnitude: magnitude(5, 0, 3) }),
    finding("delivery-expiry", "d2", { file: TRAFFIC_FILE, line: 1 }),
    finding("deadline-miss", "d1", { line: 9 }),
    finding("delivery-expiry", "d1", { line: 9 }),
  ];
  const base = run(report([instance("prod", [], [site("google"), site("aol")])], [finding("no-rule", "x", { line: 50 })]));
  const head = (findings = headFindings) =>
    run(report([instance("prod", [], [site("google"), site("aol", { tls: "plaintext" })])], findings));

  it("orders findings by severity, file, line, id — whatever the input order", () => {
    const out = review(base, head(), policy(), { simulate: null });
    expect(out.findings.map((f) => `${f.severity} ${f.file}:${f.line} ${f.id} ${f.status}`)).toEqual([
      "failure campaign/mx-rules.yaml:9 deadline-miss new",
      "failure campaign/mx-rules.yaml:9 delivery-expiry new",
      "failure campaign/traffic.yaml:1 delivery-expiry new",
      "warning campaign/mx-rules.yaml:3 tls-downgrade new",
      "warning campaign/mx-rules.yaml:9 quota-deferral new",
      "warning campaign/mx-rules.yaml:50 no-rule fixed",
      "notice campaign/mx-rules.yaml:2 stale-mask new",
    ]);
    expect(review(base, head([...headFindings].reverse()), policy(), { simulate: null }).findings).toEqual(out.findings);
  });

  it("decides the verdict from failOn", () => {
    expect(review(base, head(), policy(), { simulate: null }).conclusion).toBe("failure");
    expect(review(base, head(), policy(["tls-required"]), { simulate: null }).conclusion).toBe("success");
    expect(review(base, head(), policy(["tls-downgrade"]), { simulate: null }).conclusion).toBe("failure");
  });
});
