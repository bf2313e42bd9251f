import { describe, expect, it } from "vitest";
import { renderDiffJson, renderDiffMarkdown, renderDiffText } from "../../src/render/diff.js";
import { renderSimulateJson } from "../../src/render/simulate-json.js";
import { renderSimulateText } from "../../src/render/simulate-text.js";
import { isBlocking } from "../../src/review/verdict.js";
import { policy } from "../fixtures/review/build.js";
import { failureReview, multiInstanceReview, quietReview } from "../fixtures/review/scenarios.js";
import { expectGolden } from "./golden.js";

const SCENARIOS = { quiet: quietReview, failure: failureReview, "multi-instance": multiInstanceReview };

describe("mx-guard diff output", () => {
  for (const [name, build] of Object.entries(SCENARIOS)) {
    it(`text, markdown and json match the golden files: ${name}`, () => {
      const review = build();
      expectGolden(`diff.${name}.txt`, renderDiffText(review));
      expectGolden(`diff.${name}.md`, renderDiffMarkdown(review));
      expectGolden(`diff.${name}.json`, renderDiffJson(review));
    });
  }

  it("json keeps the SPEC §9 names, with conclusion and a status on every finding", () => {
    const review = failureReview();
    const json = JSON.parse(renderDiffJson(review));
    expect(json.version).toBe(1);
    expect(json.conclusion).toBe("failure");
    const inst = json.instances[0];
    expect(Object.keys(inst)).toEqual(expect.arrayContaining(["name", "mode", "sites", "deliveries"]));
    expect(Object.keys(inst.sites[0])).toEqual(
      expect.arrayContaining(["site", "domains", "mx", "rule", "publicIds", "hourlyCapacity", "slotCapacity", "limitedBy", "tls"]),
    );
    expect(inst.sites[0].hourly).toBeUndefined();
    expect(Object.keys(inst.deliveries[0])).toEqual(
      expect.arrayContaining(["name", "recipients", "sent", "deferred", "expired", "completionHours", "domains"]),
    );
    expect(inst.deliveries[0].completionHours).toBeNull();
    expect(inst.deliveries[0].base).toMatchObject({ completionHours: 7.25, deferred: 1_200 });
    expect(json.findings).toHaveLength(review.findings.length);
    for (const f of json.findings) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining(["id", "severity", "status", "instance", "file", "line", "endLine", "message", "fingerprint"]),
      );
    }
    expect(json.findings.map((f: { status: string }) => f.status).sort()).toEqual([
      "existing",
      "fixed",
      "new",
      "new",
      "new",
      "new",
      "worsened",
    ]);
  });

  it("text output has no Markdown and no terminal colours", () => {
    const text = renderDiffText(failureReview());
    expect(text).not.toMatch(/\*\*|<details>|\u001b\[/);
    expect(text).toContain("7.3 h -> expires");
  });

  it("markdown output shows suggestions", () => {
    expect(renderDiffMarkdown(failureReview())).toContain('messagesPerHour: "14,000"');
  });
});

describe("mx-guard simulate output", () => {
  it("text, markdown and json match the golden files", () => {
    const report = failureReview().head.report;
    expectGolden("simulate.failure.txt", renderSimulateText(report, policy()));
    expectGolden("simulate.failure.md", renderSimulateText(report, policy(), { markdown: true }));
    const blocking = report.findings.filter((finding) => isBlocking({ ...finding, status: "new" }, policy()));
    expect(blocking.length).toBeGreaterThan(0);
    expectGolden("simulate.failure.json", renderSimulateJson(report, "failure", blocking));
    const json = JSON.parse(renderSimulateJson(report, "failure", blocking));
    expect(json.conclusion).toBe("failure");
    expect(json.findings.every((f: { status?: string }) => f.status === undefined)).toBe(true);
    // Each finding says whether it is one that fails the verdict: exactly the failOn ids here.
    for (const finding of json.findings) expect(finding.blocking).toBe(policy().failOn.includes(finding.id));
  });

  it("json carries each delivery's deadlineHours, null when it has no deadline (and in a diff's base)", () => {
    const review = failureReview();
    const [first, ...rest] = review.head.report.instances[0]!.deliveries;
    const withDeadline = { ...first!, deadlineHours: 6.5 };
    const head = { ...review.head.report, instances: [{ ...review.head.report.instances[0]!, deliveries: [withDeadline, ...rest] }] };
    const simulated = JSON.parse(renderSimulateJson(head, "failure", [])).instances[0].deliveries;
    expect(simulated[0].deadlineHours).toBe(6.5);
    for (const other of simulated.slice(1)) expect(other.deadlineHours).toBeNull();
    const diffed = JSON.parse(renderDiffJson({ ...review, head: { ...review.head, report: head } })).instances[0].deliveries;
    expect(diffed[0].deadlineHours).toBe(6.5);
    expect(diffed[0].base.deadlineHours).toBeNull();
  });
});
