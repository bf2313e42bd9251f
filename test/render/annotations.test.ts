import { describe, expect, it } from "vitest";
import { annotationFor, batches, renderAnnotations } from "../../src/render/annotations.js";
import { finding } from "../fixtures/review/build.js";
import { failureReview, hugeReview } from "../fixtures/review/scenarios.js";
import { expectGolden } from "./golden.js";

describe("renderAnnotations", () => {
  it("matches the golden file", () => {
    expectGolden("annotations.failure.json", `${JSON.stringify(renderAnnotations(failureReview()), null, 2)}\n`);
  });

  it("annotates every head finding, new and worsened first, with the level from the severity", () => {
    const review = failureReview();
    const list = renderAnnotations(review);
    expect(list).toHaveLength(review.findings.filter((f) => f.status !== "fixed").length);
    const statuses = list.map((a) => JSON.parse(a.raw_details!).status as string);
    expect(statuses.indexOf("existing")).toBeGreaterThan(statuses.lastIndexOf("new"));
    expect(list.find((a) => a.title.startsWith("quota-deferral"))!.annotation_level).toBe("warning");
    expect(list.find((a) => a.title.startsWith("stale-mask"))!.annotation_level).toBe("notice");
    expect(list.find((a) => a.title.startsWith("delivery-expiry"))!.annotation_level).toBe("failure");
  });

  it("bounds title, message and raw_details", () => {
    const big = finding("no-rule", "x", { message: "é".repeat(70_000), details: { blob: "x".repeat(70_000) } });
    const a = annotationFor({ ...big, title: "t".repeat(400), status: "new" });
    expect(a.title.length).toBeLessThanOrEqual(255);
    expect(Buffer.byteLength(a.message, "utf8")).toBeLessThanOrEqual(65_535);
    expect(Buffer.byteLength(a.raw_details!, "utf8")).toBeLessThanOrEqual(65_535);
    expect(JSON.parse(a.raw_details!)).toMatchObject({ id: "no-rule", detailsOmitted: "larger than 64 KB" });
    expect(a.start_line).toBe(1);
  });

  it("is ready for batches of 50", () => {
    const list = renderAnnotations(hugeReview());
    const chunks = batches(list, 50);
    expect(chunks).toHaveLength(60);
    expect(chunks.every((c) => c.length === 50)).toBe(true);
    expect(chunks.flat()).toEqual(list);
  });
});

describe("batches", () => {
  it("splits into chunks of the given size, the last one shorter", () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 50)).toEqual([]);
    expect(batches(Array.from({ length: 120 }, (_, i) => i)).map((c) => c.length)).toEqual([50, 50, 20]);
  });

  it("refuses a size below 1", () => {
    expect(() => batches([1], 0)).toThrow(RangeError);
  });
});
