import { describe, expect, it } from "vitest";
import { RULES_BAD, RULES_OK, mxRules } from "./helpers/campaign.js";
import { POLICY_YAML, UNCHANGED_REPO, UNCHANGED_TREE, blobOid, capture, hunkPatch } from "./helpers/github.js";
import { BASE_SHA, HEAD_SHA, REPO_PATH, deliver, fixture, pullRequestEvent } from "./helpers/payloads.js";
import { RULES_CHANGED, scenario } from "./helpers/scenario.js";

const TREES = { [BASE_SHA]: { "campaign/mx-rules.yaml": RULES_OK }, [HEAD_SHA]: { "campaign/mx-rules.yaml": RULES_BAD } };

describe("no Campaign file changed", () => {
  it("completes the check as success from the blob ids, without simulating", async () => {
    const { probot, engine, calls, updates } = await scenario({
      policy: null, // no policy anywhere: every default applies
      files: [{ filename: "README.md" }, { filename: "campaign/notes.md", status: "added" }],
      repo: UNCHANGED_REPO,
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates[0]).toMatchObject({
      status: "completed",
      conclusion: "success",
      output: { title: "No Campaign configuration changed" },
    });
    expect(updates[0]!.output.summary.split("\n")).toHaveLength(1);
    expect(updates[0]!.output.summary).toContain("`campaign/mx-rules.yaml`");
    expect(engine.sides).toHaveLength(0);
    expect(calls).toHaveLength(7); // the missing policy costs two reads (repository, then the owner's .github)
  });

  it("reviews a watched file the capped file list does not show: its blob id changed", async () => {
    const { probot, engine, updates } = await scenario({
      policy: POLICY_YAML.replace("comment: update", "comment: off").replace("review: true", "review: false"),
      // GitHub lists at most 3,000 files; the watched one came after the cut.
      files: [{ filename: "README.md" }],
      repo: { trees: { [BASE_SHA]: UNCHANGED_TREE, [HEAD_SHA]: { ...UNCHANGED_TREE, "campaign/mx-rules.yaml": RULES_BAD } } },
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(engine.sides).toHaveLength(2);
    expect(engine.sides[1]!["campaign/mx-rules.yaml"]).toBe(RULES_BAD);
    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure" });
  });

  it("passes a repository with no policy and none of the default files: nothing to guard", async () => {
    const { probot, engine, updates } = await scenario({ policy: null, files: [{ filename: "README.md" }], repo: { trees: {} } });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates[0]).toMatchObject({
      status: "completed",
      conclusion: "success",
      output: { title: "No Campaign configuration in this repository" },
    });
    expect(engine.sides).toHaveLength(0);
  });

  it("reviews an unchanged pull request when a file the policy names is missing on the head", async () => {
    const { probot, engine } = await scenario({
      policy: POLICY_YAML.replace("comment: update", "comment: off").replace("review: true", "review: false"),
      files: [{ filename: "README.md" }],
      repo: { trees: {} },
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(engine.sides).toHaveLength(2);
  });

  it("counts a rename away from a watched path and a removal as changes", async () => {
    const { probot, engine } = await scenario({
      files: [{ filename: "campaign/old-rules.yaml", previous_filename: "campaign/mx-rules.yaml", status: "renamed" }],
      repo: { trees: { [BASE_SHA]: { "campaign/mx-rules.yaml": RULES_OK }, [HEAD_SHA]: {} } },
      comment: true,
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(engine.sides[1]!["campaign/mx-rules.yaml"]).toBeNull();
    expect(engine.sides[0]!["campaign/mx-rules.yaml"]).toBe(RULES_OK);
  });
});

describe("findings and the diff", () => {
  it("comments a finding outside the hunks of a changed file at file level, and narrows a range that leaves its hunk", async () => {
    // Line 6 spans 2..6 with a fix, but the hunk shows only 5..7; line 12 is outside any hunk.
    const head = `${mxRules("100", "# finding google-quota start=2 fix")}\n\n\n# padding\n# finding far-away\n`;
    const { probot, updates, reviews, scope } = await scenario({
      files: [{ filename: "campaign/mx-rules.yaml", patch: hunkPatch(head, 5, 7) }],
      repo: { trees: { [BASE_SHA]: { "campaign/mx-rules.yaml": RULES_OK }, [HEAD_SHA]: { "campaign/mx-rules.yaml": head } } },
      review: true,
      comment: true,
    });
    const fileLevel = capture(scope, "post", `${REPO_PATH}/pulls/2/comments`, 201, { id: 77 });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    const annotations = updates[0]!.output.annotations as { title: string; start_line: number }[];
    expect(annotations.map((a) => [a.title, a.start_line])).toEqual([
      ["Deadline missed (google-quota)", 2],
      ["Deadline missed (far-away)", 12],
    ]);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.comments).toHaveLength(1);
    const [comment] = reviews[0]!.comments;
    expect(comment).toMatchObject({ path: "campaign/mx-rules.yaml", line: 6, side: "RIGHT" });
    expect(comment.start_line).toBeUndefined();
    expect(comment.body).not.toContain("```suggestion");
    expect(comment.body).toContain("apply it by hand");
    expect(reviews[0]!.body).toContain("left 1 comment on changed lines and 1 file-level comment on findings outside the diff's lines");
    expect(reviews[0]!.body).toContain("fingerprints=google-quota,far-away -->");
    expect(fileLevel).toHaveLength(1);
    expect(fileLevel[0]).toMatchObject({ path: "campaign/mx-rules.yaml", subject_type: "file", commit_id: HEAD_SHA });
    expect(fileLevel[0]!.line).toBeUndefined();
    expect(fileLevel[0]!.body).toContain("_On line 12 of this file, which this diff does not show._");
    expect(fileLevel[0]!.body).toContain("<!-- mx-guard:fp=far-away -->");
  });

  it("posts no review at all when every finding is on a file the diff does not list", async () => {
    const { probot, updates, calls } = await scenario({
      files: [{ filename: "campaign/traffic.yaml", patch: hunkPatch(RULES_BAD, 1, 3) }],
      repo: { trees: TREES },
      comment: true,
    });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(updates[0]!.output.annotations).toHaveLength(1);
    expect(calls.filter((c) => c.includes("/pulls/2/reviews") || c.includes("/pulls/2/comments"))).toEqual([]);
  });
});

describe("GraphQL truncation", () => {
  it("reads a truncated blob again through the REST blobs API, raw", async () => {
    const { probot, engine, scope, updates } = await scenario({
      policy: POLICY_YAML.replace("comment: update", "comment: off").replace("review: true", "review: false"),
      files: RULES_CHANGED,
      repo: { trees: TREES, truncated: [`${HEAD_SHA}:campaign/mx-rules.yaml`] },
    });
    scope
      .get(`${REPO_PATH}/git/blobs/${blobOid(RULES_BAD)}`)
      .matchHeader("accept", /raw/)
      .reply(200, Buffer.from(RULES_BAD), { "content-type": "application/vnd.github.raw" });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(engine.sides[1]!["campaign/mx-rules.yaml"]).toBe(RULES_BAD);
    expect(updates[0]).toMatchObject({ conclusion: "failure" });
  });
});

describe("drafts", () => {
  it("checks a draft without commenting, then reviews when it is ready for review", async () => {
    const draft = await scenario({
      files: RULES_CHANGED,
      repo: { trees: TREES },
      inspect: (query) => expect(query).not.toContain("pullRequest("),
    });
    const { probot } = draft;
    let updates = draft.updates;
    await deliver(probot, "pull_request", pullRequestEvent("opened", { draft: true }));
    expect(updates[0]).toMatchObject({ conclusion: "failure" });
    expect(updates[0]!.output.summary).toContain("marked ready for review");

    const ready = draft.next({
      previousRuns: [{ id: 1, name: "MX Guard", status: "completed", external_id: "mx-guard:pull_request.opened:x" }],
      files: RULES_CHANGED,
      repo: { trees: TREES },
      review: true,
      comment: true,
    });
    updates = ready.updates;
    const { reviews, comments } = ready;
    await deliver(probot, "pull_request", pullRequestEvent("ready_for_review"));
    expect(updates[0]!.output.summary).not.toContain("marked ready for review");
    expect(reviews).toHaveLength(1);
    expect(comments).toHaveLength(1);
  });
});

describe("comment: new", () => {
  it("adds one comment per head commit and none twice for the same commit", async () => {
    const newPolicy = POLICY_YAML.replace("comment: update", "comment: new").replace("review: true", "review: false");
    const first = await scenario({
      policy: newPolicy,
      files: RULES_CHANGED,
      repo: {
        trees: TREES,
        comments: [
          { id: 3, body: "<!-- mx-guard:sticky -->\nolder\n<!-- mx-guard:head 1111111111111111111111111111111111111111 -->", mine: true },
        ],
      },
      comment: true,
    });
    const { probot, comments: created } = first;
    await deliver(probot, "pull_request", pullRequestEvent("opened"));
    expect(created).toHaveLength(1);
    expect(created[0]!.body).toContain(`<!-- mx-guard:head ${HEAD_SHA} -->`);

    // A Re-run on the same commit: the comment for this commit exists, nothing is added.
    const { scope } = first.next({
      previousRuns: false,
      policy: newPolicy,
      files: RULES_CHANGED,
      repo: { trees: TREES, comments: [{ id: 4, body: String(created[0]!.body), mine: true }] },
    });
    scope
      .get(`${REPO_PATH}/pulls/2`)
      .reply(200, { number: 2, state: "open", draft: false, head: { sha: HEAD_SHA }, base: { sha: BASE_SHA } });
    await deliver(probot, "check_suite", fixture("check_suite.rerequested"));
  });
});

describe("a long pull request conversation", () => {
  it("reads older pages of comments to find its sticky comment instead of adding a second one", async () => {
    const { probot, scope, edits } = await scenario({ files: RULES_CHANGED, review: true, edit: 8589934593 });
    const chatter = Array.from({ length: 100 }, (_, i) => ({ id: 1000 + i, body: `comment ${i}`, mine: false }));
    scope.post("/graphql").reply(200, () => {
      const blob = (text: string) => ({ oid: "a".repeat(40), text, isTruncated: false, isBinary: false, byteSize: text.length });
      return {
        data: {
          repository: {
            b1: blob(RULES_OK),
            h1: blob(RULES_BAD),
            pullRequest: {
              comments: {
                pageInfo: { hasPreviousPage: true, startCursor: "Y3Vyc29yOjEwMA==" },
                nodes: chatter.map((c) => ({ fullDatabaseId: String(c.id), body: c.body, viewerDidAuthor: false })),
              },
              reviews: { pageInfo: { hasPreviousPage: false, startCursor: null }, nodes: [] },
            },
          },
        },
      };
    });
    const pages: Record<string, unknown>[] = [];
    scope
      .post("/graphql", (body: { query: string; variables: Record<string, unknown> }) => {
        pages.push(body.variables);
        return body.query.includes("comments(last: 100, before: $before)");
      })
      .reply(200, {
        data: {
          repository: {
            pullRequest: {
              comments: {
                pageInfo: { hasPreviousPage: false, startCursor: null },
                nodes: [{ fullDatabaseId: "8589934593", body: "<!-- mx-guard:sticky -->\nold report", viewerDidAuthor: true }],
              },
            },
          },
        },
      });

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(pages).toEqual([{ owner: "Codertocat", name: "Hello-World", number: 2, before: "Y3Vyc29yOjEwMA==" }]);
    expect(edits).toHaveLength(1);
  });
});
