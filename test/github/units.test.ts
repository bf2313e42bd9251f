import { describe, expect, it } from "vitest";
import { STICKY_MARKER } from "../../src/render/sticky-comment.js";
import { parsePatch, placeComment } from "../../src/github/diff-lines.js";
import { describeError, redactSecrets } from "../../src/github/errors.js";
import { readFingerprints, reviewMarker } from "../../src/github/markers.js";
import { changedPaths } from "../../src/github/fetch-files.js";
import { hunksByPath } from "../../src/github/pull-request-files.js";
import { planReview } from "../../src/github/review.js";
import { secondaryRateLimitWait } from "../../src/github/retry.js";
import { minimalWindow } from "../../src/github/suggestion-window.js";
import type { ReviewComment } from "../../src/model/outputs.js";
import { fingerprintMarker } from "../../src/render/review-comments.js";
import { planSticky } from "../../src/github/sticky-comment.js";

const PATCH = [
  "@@ -1,3 +1,4 @@",
  " rules:",
  "-  - mask: old",
  "+  - mask: new",
  "+    shared: true",
  " ",
  "@@ -10,2 +11,3 @@ rules:",
  " a",
  "+b",
  "\\ No newline at end of file",
  " c",
].join("\n");

describe("parsePatch", () => {
  it("maps RIGHT-side lines (added and context) to their hunk and skips deleted lines", () => {
    expect([...parsePatch(PATCH)]).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 0],
      [11, 1],
      [12, 1],
      [13, 1],
    ]);
    expect(parsePatch(undefined).size).toBe(0);
    expect(parsePatch("Binary files differ").size).toBe(0);
  });

  it("places ranges within one hunk, narrows ranges across hunks, and refuses lines outside the diff", () => {
    const hunks = parsePatch(PATCH);
    expect(placeComment(hunks, 4, 2)).toEqual({ kind: "range", startLine: 2, line: 4 });
    expect(placeComment(hunks, 12, 3)).toEqual({ kind: "line", line: 12, narrowed: true });
    expect(placeComment(hunks, 12, 12)).toEqual({ kind: "line", line: 12, narrowed: false });
    expect(placeComment(hunks, 7)).toBeNull();
    expect(placeComment(hunks, 7, 2)).toBeNull();
    expect(placeComment(undefined, 1)).toBeNull();
  });
});

describe("hunks by path", () => {
  it("keeps head-side names of renames and leaves removed files out", () => {
    const files = [
      { filename: "campaign/new.yaml", previousFilename: "campaign/mx-rules.yaml", status: "renamed" },
      { filename: "campaign/traffic.yaml", status: "removed", patch: "@@ -1 +0,0 @@\n-x" },
      { filename: "docs/readme.md", status: "modified" },
    ];
    expect([...hunksByPath(files).keys()]).toEqual(["campaign/new.yaml", "docs/readme.md"]);
  });
});

describe("changedPaths", () => {
  it("compares blob ids: added, removed and modified paths changed; equal ids and absent on both sides did not", () => {
    const oids = {
      base: { "a.yaml": "1", "b.yaml": "2", "c.yaml": null, "d.yaml": "4", "e.yaml": null },
      head: { "a.yaml": "1", "b.yaml": "3", "c.yaml": "5", "d.yaml": null, "e.yaml": null },
    };
    expect(changedPaths({ base: {}, head: {}, oids }, ["a.yaml", "b.yaml", "c.yaml", "d.yaml", "e.yaml"])).toEqual([
      "b.yaml",
      "c.yaml",
      "d.yaml",
    ]);
  });
});

describe("planReview", () => {
  const hunks = new Map([["campaign/mx-rules.yaml", parsePatch(PATCH)]]);
  it("keeps new, placeable, not yet posted fingerprints once each", () => {
    const at = (path: string, line: number, prose: string, fingerprint: string, startLine?: number): ReviewComment => ({
      anchor: { path, line, ...(startLine ? { startLine } : {}) },
      prose,
      fingerprint,
    });
    const plan = planReview(
      [
        at("campaign/mx-rules.yaml", 3, "A", "a", 2),
        at("campaign/mx-rules.yaml", 3, "A again", "a"),
        at("campaign/mx-rules.yaml", 4, "B", "b"),
        at("campaign/mx-rules.yaml", 8, "C", "c"),
        at("campaign/other.yaml", 1, "D", "d"),
      ],
      hunks,
      new Set(["b"]),
    );
    expect(plan.fingerprints).toEqual(["a", "c"]);
    expect(plan.comments).toEqual([
      {
        path: "campaign/mx-rules.yaml",
        line: 3,
        side: "RIGHT",
        start_line: 2,
        start_side: "RIGHT",
        body: `A\n\n${fingerprintMarker("a")}`,
      },
    ]);
    expect(plan.alreadyPosted).toBe(1);
    // c: a changed file, outside its hunk: file level; d: a file the diff does not show.
    expect(plan.fileComments).toEqual([
      {
        path: "campaign/mx-rules.yaml",
        subject_type: "file",
        body: `C\n\n_On line 8 of this file, which this diff does not show._\n\n${fingerprintMarker("c")}`,
      },
    ]);
    expect(plan.outsideDiff).toBe(1);
  });
});

describe("markers", () => {
  it("round-trips fingerprints, including characters that would break the comment", () => {
    const fps = ["a1b2", "with,comma", "arrow-->x"];
    const body = `text\n${reviewMarker(fps)}\n${reviewMarker(["solo"])}`;
    expect(readFingerprints(body)).toEqual([...fps, "solo"]);
    expect(body).not.toMatch(/-->[^\n]*-->/);
    expect(readFingerprints("no markers")).toEqual([]);
  });
});

describe("planSticky", () => {
  const body = `${STICKY_MARKER}\n## Report`;
  it("update: creates once, edits in place, skips when unchanged (line endings aside)", () => {
    expect(planSticky("update", body, [], "h1")).toEqual({ kind: "create", body });
    expect(
      planSticky(
        "update",
        body,
        [
          { id: 3, body: "old" },
          { id: 9, body: `${body.replace("\n", "\r\n")}\n` },
        ],
        "h1",
      ),
    ).toEqual({
      kind: "skip",
      reason: "unchanged",
    });
    expect(planSticky("update", `${body}!`, [{ id: 9, body }], "h1")).toEqual({ kind: "update", id: 9, body: `${body}!` });
  });
  it("new: one per head commit; off: none", () => {
    const created = planSticky("new", body, [], "h1");
    expect(created.kind).toBe("create");
    expect(created.kind === "create" && created.body).toContain("<!-- mx-guard:head h1 -->");
    const posted = created.kind === "create" ? created.body : "";
    expect(planSticky("new", body, [{ id: 1, body: posted }], "h1")).toEqual({ kind: "skip", reason: "already-posted-for-head" });
    expect(planSticky("new", body, [{ id: 1, body: posted }], "h2").kind).toBe("create");
    expect(planSticky("off", body, [], "h1")).toEqual({ kind: "skip", reason: "off" });
  });
  it("keeps the marker when the engine forgot it or the body is too long", () => {
    const plain = planSticky("update", "no marker", [], "h");
    expect(plain.kind === "create" && plain.body).toContain(STICKY_MARKER);
    const long = planSticky("update", "x".repeat(70_000), [], "h");
    expect(long.kind === "create" && long.body.length).toBeLessThanOrEqual(65_535);
    expect(long.kind === "create" && long.body).toContain(STICKY_MARKER);
  });
});

describe("secondaryRateLimitWait", () => {
  const err = (status: number, headers: Record<string, string>, message = "x") => ({ status, message, response: { headers } });
  it("reads Retry-After, falls back to a minute, and leaves primary limits and other errors alone", () => {
    expect(secondaryRateLimitWait(err(403, { "retry-after": "12" }))).toBe(12);
    expect(secondaryRateLimitWait(err(429, {}))).toBe(60);
    expect(secondaryRateLimitWait(err(403, {}, "You have exceeded a secondary rate limit"))).toBe(60);
    expect(secondaryRateLimitWait(err(403, { "x-ratelimit-remaining": "0", "retry-after": "5" }))).toBeNull();
    expect(secondaryRateLimitWait(err(403, {}, "Resource not accessible by integration"))).toBeNull();
    expect(secondaryRateLimitWait(err(500, { "retry-after": "1" }))).toBeNull();
    expect(secondaryRateLimitWait(new Error("network"))).toBeNull();
  });
});

describe("describeError", () => {
  it("names the GitHub request without query string and masks secrets", () => {
    const error = Object.assign(new Error("Bad credentials"), {
      status: 401,
      request: { method: "GET", url: "https://ghe.example.com/api/v3/repos/o/r/pulls?access_token=abc" },
    });
    expect(describeError(error)).toBe("GitHub answered 401 to GET /api/v3/repos/o/r/pulls: Bad credentials");
    expect(redactSecrets("token ghs_abcdefghijklmnopqrstuvwxyz and Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl")).toBe(
      "token [redacted] and [redacted]",
    );
    expect(redactSecrets("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----")).toBe("[redacted]");
    expect(redactSecrets("https://x/y?token=secret&a=1")).toBe("https://x/y?token=[redacted]&a=1");
    expect(describeError("plain")).toBe("plain");
  });
});

describe("suggestion windows", () => {
  const rule = [
    "rules:",
    "  - mask: a",
    "    shared: true",
    "    maxConnections: 3",
    "    messagesPerHour: 100",
    "    tls: default",
    "",
  ].join("\n");
  it("keeps only the lines a suggestion changes", () => {
    const fix = "  - mask: a\n    shared: true\n    maxConnections: 3\n    messagesPerHour: 9000\n    tls: default";
    expect(minimalWindow(rule, 2, 6, fix)).toEqual({ startLine: 5, line: 5, replacement: "    messagesPerHour: 9000" });
    expect(
      minimalWindow(rule, 2, 6, "  - mask: a\n    shared: false\n    maxConnections: 30\n    messagesPerHour: 100\n    tls: default\n"),
    ).toEqual({
      startLine: 3,
      line: 4,
      replacement: "    shared: false\n    maxConnections: 30",
    });
  });
  it("gives an insertion a neighbouring line, and nothing for a no-op or lines outside the file", () => {
    const insert =
      "  - mask: a\n    shared: true\n    maxConnections: 3\n    messagesPerHour: 100\n    tls: opportunistic\n    tls: default";
    expect(minimalWindow(rule, 2, 6, insert)).toEqual({
      startLine: 5,
      line: 5,
      replacement: "    messagesPerHour: 100\n    tls: opportunistic",
    });
    expect(minimalWindow(rule, 5, 5, "    messagesPerHour: 100")).toBeNull();
    expect(minimalWindow(rule, 5, 40, "x")).toBeNull();
  });
  it("lets planReview post a one-click fix on the one changed line of a rule whose anchor leaves the hunk", () => {
    const text = rule.replace("messagesPerHour: 100", "messagesPerHour: 10");
    const hunks = new Map([
      [
        "mx.yaml",
        parsePatch(
          "@@ -3,4 +3,4 @@\n     shared: true\n     maxConnections: 3\n-    messagesPerHour: 100\n+    messagesPerHour: 10\n     tls: default",
        ),
      ],
    ]);
    const suggestion = "  - mask: a\n    shared: true\n    maxConnections: 3\n    messagesPerHour: 9000\n    tls: default";
    const replaces = text.split("\n").slice(1, 6).join("\n");
    const comment: ReviewComment = {
      anchor: { path: "mx.yaml", startLine: 2, line: 6 },
      prose: "Too slow.",
      fingerprint: "f",
      suggestion: { text: suggestion, replaces },
    };
    const plan = planReview([comment], hunks, new Set());
    expect(plan.comments).toEqual([
      {
        path: "mx.yaml",
        line: 5,
        side: "RIGHT",
        body: `Too slow.\n\n\`\`\`suggestion\n    messagesPerHour: 9000\n\`\`\`\n\n${fingerprintMarker("f")}`,
      },
    ]);
    // Without the head's lines the fix cannot be narrowed: the comment sits on its last changed line, to apply by hand.
    const blind = planReview([{ ...comment, suggestion: { text: suggestion, replaces: null } }], hunks, new Set());
    expect(blind.comments).toHaveLength(1);
    expect(blind.comments[0]!.body).toContain("apply it by hand");
    expect(blind.comments[0]!.body).not.toContain("```suggestion");
  });
});
