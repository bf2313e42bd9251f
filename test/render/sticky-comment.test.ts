import { describe, expect, it } from "vitest";
import { STICKY_MARKER } from "../../src/render/sticky-comment.js";
import { renderStickyComment } from "../../src/render/sticky-comment.js";
import { failureReview, hugeReview, quietReview, SCENARIOS } from "../fixtures/review/scenarios.js";
import { expectGolden } from "./golden.js";
import { checkXyChart, mermaidBlock } from "./xychart-check.js";

describe("renderStickyComment", () => {
  for (const [name, build] of Object.entries(SCENARIOS)) {
    it(`matches the golden file and stays under the limit: ${name}`, () => {
      const body = renderStickyComment(build());
      expect(body.startsWith(STICKY_MARKER)).toBe(true);
      expect(body.length).toBeLessThan(65_536);
      expectGolden(`sticky.${name}.md`, body);
    });
  }

  it("carries a valid xychart-beta chart of the worst site: base and head, messages sent so far", () => {
    const review = failureReview();
    const body = renderStickyComment(review);
    const chart = mermaidBlock(body);
    expect(chart).not.toBeNull();
    const { errors, shape } = checkXyChart(chart!);
    expect(errors).toEqual([]);
    expect(chart).toContain('title "Messages sent so far: google (prod)"');
    const total = (side: typeof review.head) =>
      side.report.instances[0]!.sites.find((s) => s.site === "google")!.hourly!.reduce((sum, p) => sum + p.sent, 0);
    expect(shape.series.map((s) => s.kind)).toEqual(["line", "line"]);
    const [base, head] = shape.series.map((s) => s.values);
    expect(base![0]).toBe(0);
    expect(head![0]).toBe(0);
    expect(base![base!.length - 1]).toBe(total(review.base));
    expect(head![head!.length - 1]).toBe(total(review.head));
    expect(body).toContain("First line: the base");
  });

  it("keeps the chart when a huge body is cut, and says it was cut", () => {
    const body = renderStickyComment(hugeReview());
    expect(checkXyChart(mermaidBlock(body)!).errors).toEqual([]);
    expect(body).toContain("were cut from the middle");
  });

  it("is short when nothing changed for the worse, without a chart", () => {
    const body = renderStickyComment(quietReview());
    expect(body).toContain("### MX Guard: No change for the worse");
    expect(mermaidBlock(body)).toBeNull();
    expect(body.split("\n").length).toBeLessThan(20);
  });
});
