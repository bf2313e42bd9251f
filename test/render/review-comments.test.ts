import { describe, expect, it } from "vitest";
import { parseFingerprintMarker, renderReviewComments } from "../../src/render/review-comments.js";
import { failureReview, hugeReview, multiInstanceReview, quietReview } from "../fixtures/review/scenarios.js";
import { expectGolden } from "./golden.js";

describe("renderReviewComments", () => {
  it("matches the golden file", () => {
    expectGolden("review-comments.failure.json", `${JSON.stringify(renderReviewComments(failureReview()), null, 2)}\n`);
    expectGolden("review-comments.multi-instance.json", `${JSON.stringify(renderReviewComments(multiInstanceReview()), null, 2)}\n`);
  });

  it("posts one comment per new or worsened finding, none when quiet", () => {
    const review = failureReview();
    const comments = renderReviewComments(review);
    const expected = review.findings.filter((f) => f.status === "new" || f.status === "worsened");
    expect(comments.map((c) => c.fingerprint)).toEqual(expected.map((f) => f.fingerprint));
    expect(renderReviewComments(quietReview())).toEqual([]);
  });

  it("spans the suggestion's lines: startLine..line, startLine omitted on one line", () => {
    const comments = renderReviewComments(failureReview());
    const expiry = comments.find((c) => c.body.includes("`delivery-expiry`"))!;
    expect([expiry.startLine, expiry.line]).toEqual([4, 12]);
    expect(expiry.body).toMatch(/```suggestion\n {2}- mask: "\*\.google\.com" {3}# Gmail\n[\s\S]*tls: opportunistic\n```/);
    const single = comments.find((c) => c.path === "campaign/traffic.yaml")!;
    expect(single.startLine).toBeUndefined();
    expect(single.line).toBe(20);
    expect(single.body).not.toContain("```suggestion");
  });

  it("ends every body with the hidden fingerprint marker", () => {
    for (const comment of renderReviewComments(failureReview())) {
      expect(comment.body.trimEnd().endsWith(`<!-- mx-guard:fp=${comment.fingerprint} -->`)).toBe(true);
      expect(parseFingerprintMarker(comment.body)).toBe(comment.fingerprint);
    }
    expect(parseFingerprintMarker("just a comment")).toBeNull();
  });

  it("keeps every body under 65,536 characters", () => {
    const comments = renderReviewComments(hugeReview());
    expect(comments).toHaveLength(3_000);
    expect(Math.max(...comments.map((c) => c.body.length))).toBeLessThan(65_536);
  });
});
