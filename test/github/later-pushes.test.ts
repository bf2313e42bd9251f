import { describe, expect, it } from "vitest";
import { CAMPAIGN_TREE, RULES_BAD, TRAFFIC } from "./helpers/campaign.js";
import { CHECK_RUN_ID, expectStarted, hunkPatch, type FakeRepository } from "./helpers/github.js";
import { BASE_SHA, HEAD_SHA, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { RULES_CHANGED, scenario } from "./helpers/scenario.js";

const BASE_TREE = CAMPAIGN_TREE;
const BAD_TREE = { ...BASE_TREE, "campaign/mx-rules.yaml": RULES_BAD };
const SAME_SHA = "3333333333333333333333333333333333333333";
const FIXED_SHA = "4444444444444444444444444444444444444444";
const FIXED_TREE = { ...BASE_TREE, "campaign/traffic.yaml": TRAFFIC.replace("6h", "8h") };

describe("later pushes to the same pull request", () => {
  it("posts once, stays quiet when nothing changed, and updates the sticky comment in place when fixed", async () => {
    const repo: FakeRepository = {
      trees: { [BASE_SHA]: BASE_TREE, [HEAD_SHA]: BAD_TREE, [SAME_SHA]: BAD_TREE, [FIXED_SHA]: FIXED_TREE },
      comments: [{ id: 5, body: "LGTM, but check the quotas", mine: false }],
      reviews: [],
    };

    // 1. opened: failure, one review, sticky created.
    const opened = await scenario({ files: RULES_CHANGED, repo, review: true, comment: true });
    const { probot, reviews, comments: stickies } = opened;
    let { scope, updates } = opened;
    await deliver(probot, "pull_request", pullRequestEvent("opened"));
    expect(scope.pendingMocks()).toStrictEqual([]);
    expect(updates[0]).toMatchObject({ conclusion: "failure" });
    const stickyBody = String(stickies[0]!.body);
    repo.reviews!.push({ body: String(reviews[0]!.body), mine: true, commit: HEAD_SHA });
    repo.comments!.push({ id: 77, body: stickyBody, mine: true });

    // 2. a push that changes nothing relevant: same verdict, no new review, sticky untouched.
    const unchanged = opened.next({ head: SAME_SHA, files: RULES_CHANGED, repo });
    const { calls, started } = unchanged;
    ({ scope, updates } = unchanged);
    await deliver(probot, "pull_request", pullRequestEvent("synchronize", { head: SAME_SHA }));
    expect(scope.pendingMocks()).toStrictEqual([]);
    expectStarted(started, SAME_SHA, "pull_request.synchronize");
    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(calls).toHaveLength(6);
    expect(calls.some((c) => c.includes("/reviews") || c.includes("/comments"))).toBe(false);

    // 3. a push that fixes the problem: success, the sticky comment is edited in place, no review.
    const fixed = opened.next({
      head: FIXED_SHA,
      files: [{ filename: "campaign/traffic.yaml", patch: hunkPatch(FIXED_TREE["campaign/traffic.yaml"], 2, 5) }],
      repo,
      edit: 77,
    });
    const { edits } = fixed;
    ({ updates } = fixed);
    await deliver(probot, "pull_request", pullRequestEvent("synchronize", { head: FIXED_SHA }));
    expect(edits).toHaveLength(1);
    expect(edits[0]!.body).not.toEqual(stickyBody);
    expect(edits[0]!.body).toContain("## MX Guard: success");
    expect(edits[0]!.body).not.toContain("google-quota");
    expect(edits[0]!.body).toContain("<!-- mx-guard:sticky -->");
    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "success", output: { title: "MX Guard: no new problem" } });
    expect(updates[0]!.output.annotations).toBeUndefined();
    expect(CHECK_RUN_ID).toBe(4242);
  });

  it("does not edit a comment another author wrote, even if it quotes the marker", async () => {
    const repo: FakeRepository = {
      trees: { [BASE_SHA]: BASE_TREE, [HEAD_SHA]: BAD_TREE },
      comments: [{ id: 9, body: "> <!-- mx-guard:sticky -->\n> quoted", mine: false }],
      reviews: [{ body: "<!-- mx-guard:review fingerprints=google-quota -->", mine: false, commit: HEAD_SHA }],
    };
    // Someone else's markers do not count: the review goes out and a comment of our own is created.
    const { probot, reviews, comments: created } = await scenario({ files: RULES_CHANGED, repo, review: true, comment: true });
    await deliver(probot, "pull_request", pullRequestEvent("opened"));
    expect(reviews).toHaveLength(1);
    expect(created).toHaveLength(1);
  });
});
