import { describe, expect, it } from "vitest";
import { CONFIG_PROD, RULES_BAD, RULES_OK, SERVER_CONF, TRAFFIC } from "./helpers/campaign.js";
import { createFakeEngine } from "./helpers/fake-engine.js";
import {
  CHECK_RUN_ID,
  capture,
  checkCreated,
  expectStarted,
  checkUpdates,
  github,
  graphql,
  hunkPatch,
  noPreviousRun,
  policy,
  pullFiles,
  recordCalls,
  type FakeRepository,
} from "./helpers/github.js";
import { BASE_SHA, HEAD_SHA, REPO_PATH, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { loadApp } from "./helpers/probot.js";

const BASE_TREE = {
  "campaign/serverConf.xml": SERVER_CONF,
  "campaign/config-prod.xml": CONFIG_PROD,
  "campaign/mx-rules.yaml": RULES_OK,
  "campaign/traffic.yaml": TRAFFIC,
};
const BAD_TREE = { ...BASE_TREE, "campaign/mx-rules.yaml": RULES_BAD };
const SAME_SHA = "3333333333333333333333333333333333333333";
const FIXED_SHA = "4444444444444444444444444444444444444444";
const FIXED_TREE = { ...BASE_TREE, "campaign/traffic.yaml": TRAFFIC.replace("6h", "8h") };

describe("later pushes to the same pull request", () => {
  it("posts once, stays quiet when nothing changed, and updates the sticky comment in place when fixed", async () => {
    const engine = createFakeEngine();
    const { probot } = await loadApp(engine);
    const repo: FakeRepository = {
      trees: { [BASE_SHA]: BASE_TREE, [HEAD_SHA]: BAD_TREE, [SAME_SHA]: BAD_TREE, [FIXED_SHA]: FIXED_TREE },
      comments: [{ id: 5, body: "LGTM, but check the quotas", mine: false }],
      reviews: [],
    };
    const rulesChanged = [{ filename: "campaign/mx-rules.yaml", patch: hunkPatch(RULES_BAD, 1, 7) }];

    // 1. opened: failure, one review, sticky created.
    let scope = github();
    noPreviousRun(scope);
    checkCreated(scope);
    policy(scope);
    pullFiles(scope, rulesChanged);
    graphql(scope, repo);
    let updates = checkUpdates(scope, 1);
    const reviews = capture(scope, "post", `${REPO_PATH}/pulls/2/reviews`, 200, { id: 1 });
    const stickies = capture(scope, "post", `${REPO_PATH}/issues/2/comments`, 201, { id: 77 });
    await deliver(probot, "pull_request", pullRequestEvent("opened"));
    expect(scope.pendingMocks()).toStrictEqual([]);
    expect(updates[0]).toMatchObject({ conclusion: "failure" });
    const stickyBody = String(stickies[0]!.body);
    repo.reviews!.push({ body: String(reviews[0]!.body), mine: true, commit: HEAD_SHA });
    repo.comments!.push({ id: 77, body: stickyBody, mine: true });

    // 2. a push that changes nothing relevant: same verdict, no new review, sticky untouched.
    scope = github(false);
    const calls = recordCalls(scope);
    noPreviousRun(scope, SAME_SHA);
    const started = checkCreated(scope);
    policy(scope);
    pullFiles(scope, rulesChanged);
    graphql(scope, repo);
    updates = checkUpdates(scope, 1);
    await deliver(probot, "pull_request", pullRequestEvent("synchronize", { head: SAME_SHA }));
    expect(scope.pendingMocks()).toStrictEqual([]);
    expectStarted(started, SAME_SHA, "pull_request.synchronize");
    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(calls).toHaveLength(6);
    expect(calls.some((c) => c.includes("/reviews") || c.includes("/comments"))).toBe(false);

    // 3. a push that fixes the problem: success, the sticky comment is edited in place, no review.
    scope = github(false);
    noPreviousRun(scope, FIXED_SHA);
    checkCreated(scope);
    policy(scope);
    pullFiles(scope, [{ filename: "campaign/traffic.yaml", patch: hunkPatch(FIXED_TREE["campaign/traffic.yaml"], 2, 5) }]);
    graphql(scope, repo);
    updates = checkUpdates(scope, 1);
    const edits = capture(scope, "patch", `${REPO_PATH}/issues/comments/77`, 200, { id: 77 });
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
    const engine = createFakeEngine();
    const { probot } = await loadApp(engine);
    const repo: FakeRepository = {
      trees: { [BASE_SHA]: BASE_TREE, [HEAD_SHA]: BAD_TREE },
      comments: [{ id: 9, body: "> <!-- mx-guard:sticky -->\n> quoted", mine: false }],
      reviews: [{ body: "<!-- mx-guard:review fingerprints=google-quota -->", mine: false, commit: HEAD_SHA }],
    };
    const scope = github();
    noPreviousRun(scope);
    checkCreated(scope);
    policy(scope);
    pullFiles(scope, [{ filename: "campaign/mx-rules.yaml", patch: hunkPatch(RULES_BAD, 1, 7) }]);
    graphql(scope, repo);
    checkUpdates(scope, 1);
    // Someone else's markers do not count: the review goes out and a comment of our own is created.
    const reviews = capture(scope, "post", `${REPO_PATH}/pulls/2/reviews`, 200, { id: 1 });
    const created = capture(scope, "post", `${REPO_PATH}/issues/2/comments`, 201, { id: 78 });
    await deliver(probot, "pull_request", pullRequestEvent("opened"));
    expect(reviews).toHaveLength(1);
    expect(created).toHaveLength(1);
  });
});
