import { describe, expect, it } from "vitest";
import { cutMiddle, cutMiddleBytes, MAX_BODY_CHARS, MAX_CHECK_TEXT_BYTES } from "../../src/render/truncate.js";

/** A report whose lines carry GitHub-unfriendly multi-byte characters, like the delivery table. */
function multiByteReport(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `| delivery ${i} | 7.3 h → **expires** · 30 000 – 3 000 × |`).join("\n");
}

describe("check run texts are cut by UTF-8 bytes, comments by characters", () => {
  it("cuts a report over 65,535 bytes but under 65,535 characters", () => {
    const report = multiByteReport(1_080);
    expect(report.length).toBeLessThan(MAX_CHECK_TEXT_BYTES);
    expect(Buffer.byteLength(report, "utf8")).toBeGreaterThan(MAX_CHECK_TEXT_BYTES);
    const cut = cutMiddleBytes(report);
    expect(Buffer.byteLength(cut, "utf8")).toBeLessThanOrEqual(MAX_CHECK_TEXT_BYTES);
    expect(Buffer.byteLength(cut, "utf8")).toBeGreaterThan(MAX_CHECK_TEXT_BYTES - 2_000);
    expect(cut).toContain("bytes) were cut from the middle of this report to stay under GitHub's 65,535-byte limit");
    expect(cut.startsWith("| delivery 0 |")).toBe(true);
    expect(cut.endsWith("| delivery 1079 | 7.3 h → **expires** · 30 000 – 3 000 × |")).toBe(true);
  });

  it("leaves a text within the byte budget untouched", () => {
    const report = multiByteReport(100);
    expect(cutMiddleBytes(report)).toBe(report);
  });

  it("counts characters for comment bodies: the same report fits a comment uncut", () => {
    const report = multiByteReport(1_080);
    expect(cutMiddle(report, MAX_BODY_CHARS)).toBe(report);
  });

  it("never splits a character when a single line is over the budget", () => {
    const cut = cutMiddleBytes("→".repeat(40_000), 1_000);
    expect(Buffer.byteLength(cut, "utf8")).toBeLessThanOrEqual(1_000);
    expect(cut).not.toContain("\uFFFD");
  });
});
