import { describe, expect, it } from "vitest";
import { parsePatch } from "../../src/github/diff-lines.js";
import { MAX_REVIEW_COMMENTS, planReview, reviewBody } from "../../src/github/review.js";
import type { ReviewComment } from "../../src/model/outputs.js";

const PATH = "campaign/mx-rules.yaml";
/** A file added whole: every one of its 40 lines is commentable. */
const hunks = new Map([[PATH, parsePatch(`@@ -0,0 +1,40 @@\n${Array.from({ length: 40 }, (_, i) => `+line ${i + 1}`).join("\n")}`)]]);
const comment = (i: number): ReviewComment => ({
  anchor: { path: PATH, line: i + 1 },
  fingerprint: `fp-${i}`,
  prose: `**Finding ${i}**: messages expire\n\nDetails.`,
});

describe("one review carries at most 30 inline comments", () => {
  it("comments 30 findings inline and lists the rest in the review body, recording every fingerprint", () => {
    const plan = planReview(
      Array.from({ length: 35 }, (_, i) => comment(i)),
      hunks,
      new Set(),
    );

    expect(MAX_REVIEW_COMMENTS).toBe(30);
    expect(plan.comments).toHaveLength(30);
    expect(plan.listed.map((l) => l.line)).toEqual([31, 32, 33, 34, 35]);
    expect(plan.fingerprints).toHaveLength(35);
    const body = reviewBody(plan);
    expect(body).toContain("5 more findings on changed lines (one review carries at most 30 comments):");
    expect(body).toContain(`- \`${PATH}:31\`: Finding 30: messages expire`);
    expect(body).toContain("fingerprints=fp-0,");
    expect(body).toContain("fp-34 -->");
  });

  it("lists nothing when the findings fit", () => {
    const plan = planReview([comment(0), comment(1)], hunks, new Set());
    expect(plan.listed).toEqual([]);
    expect(reviewBody(plan)).not.toContain("more finding");
  });
});
