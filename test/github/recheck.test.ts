/**
 * Stale verdicts: a pull request whose base was changed, and the open pull requests into the default
 * branch after a push changed the policy there, are checked again.
 */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { createFakeEngine } from "./helpers/fake-engine.js";
import {
  UNCHANGED_TREE,
  capture,
  checkUpdates,
  github,
  graphql,
  noPreviousRun,
  policy,
  pullFiles,
  recordCalls,
  unchangedCampaign,
} from "./helpers/github.js";
import { BASE_SHA, HEAD_SHA, REPO_PATH, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { loadApp } from "./helpers/probot.js";

function edited(changes: Record<string, unknown>) {
  return { ...pullRequestEvent("opened"), action: "edited", changes };
}

function pushEvent(ref: string, modified: string[]) {
  const opened = pullRequestEvent("opened");
  return {
    ref,
    before: BASE_SHA,
    after: HEAD_SHA,
    repository: opened.repository,
    installation: opened.installation,
    commits: [{ id: HEAD_SHA, added: [], removed: [], modified }],
  };
}

describe("re-checks when the verdict went stale", () => {
  it("checks a pull request again when its base branch was changed (no earlier-run lookup: like a Re-run)", async () => {
    const { probot } = await loadApp(createFakeEngine());
    const scope = github();
    const calls = recordCalls(scope);
    const started = capture(scope, "post", `${REPO_PATH}/check-runs`, 201, { id: 4242 });
    policy(scope);
    pullFiles(scope, [{ filename: "README.md" }]);
    unchangedCampaign(scope);
    checkUpdates(scope, 1);

    await deliver(probot, "pull_request", edited({ base: { ref: { from: "release" }, sha: { from: BASE_SHA } } }));

    expect(started[0]!.external_id).toMatch(/^mx-guard:pull_request\.edited:.+:pr-2$/);
    expect(calls.some((c) => c.includes("/commits/"))).toBe(false);
  });

  it("ignores an edit of the title or body", async () => {
    const { probot } = await loadApp(createFakeEngine());
    const scope = nock("https://api.github.com");
    const calls = recordCalls(scope);
    await deliver(probot, "pull_request", edited({ title: { from: "old title" } }));
    expect(calls).toEqual([]);
  });

  it("checks every open pull request into the default branch again after a push changed .github/mx-guard.yml there", async () => {
    const { probot } = await loadApp(createFakeEngine());
    const scope = github();
    const branch = (pullRequestEvent("opened").repository as { default_branch: string }).default_branch;
    scope
      .get(`${REPO_PATH}/pulls`)
      .query({ state: "open", base: branch, sort: "created", direction: "desc", per_page: "30" })
      .reply(200, [
        { number: 5, head: { sha: "5".repeat(40) }, base: { sha: BASE_SHA }, draft: false },
        { number: 2, head: { sha: HEAD_SHA }, base: { sha: BASE_SHA }, draft: false },
      ]);
    const started = capture(scope, "post", `${REPO_PATH}/check-runs`, 201, { id: 4242 }, 2);
    policy(scope);
    policy(scope);
    pullFiles(scope, [{ filename: "README.md" }], 5);
    pullFiles(scope, [{ filename: "README.md" }], 2);
    // Neither pull request changes a Campaign file: one snapshot query each.
    const unchanged = { trees: { [BASE_SHA]: UNCHANGED_TREE, ["5".repeat(40)]: UNCHANGED_TREE, [HEAD_SHA]: UNCHANGED_TREE } };
    graphql(scope, unchanged);
    graphql(scope, unchanged);
    checkUpdates(scope, 2);

    await deliver(probot, "push", pushEvent(`refs/heads/${branch}`, [".github/mx-guard.yml"]));

    expect(started.map((s) => [s.head_sha, String(s.external_id).replace(/:[^:]+:pr/, ":…:pr")])).toEqual([
      ["5".repeat(40), "mx-guard:push.policy:…:pr-5"],
      [HEAD_SHA, "mx-guard:push.policy:…:pr-2"],
    ]);
  });

  it("ignores pushes to other branches and pushes that leave the policy alone", async () => {
    const { probot } = await loadApp(createFakeEngine());
    const scope = nock("https://api.github.com");
    const calls = recordCalls(scope);
    const branch = (pullRequestEvent("opened").repository as { default_branch: string }).default_branch;
    await deliver(probot, "push", pushEvent("refs/heads/feature", [".github/mx-guard.yml"]));
    await deliver(probot, "push", pushEvent(`refs/heads/${branch}`, ["README.md"]));
    expect(calls).toEqual([]);
  });
});

describe("pull requests opened before the app was installed", () => {
  it("get their first check when the app is added to the repository; those already checked are left alone", async () => {
    const { probot } = await loadApp(createFakeEngine());
    const scope = github();
    scope
      .get(`${REPO_PATH}/pulls`)
      .query({ state: "open", sort: "created", direction: "desc", per_page: "30" })
      .reply(200, [
        { number: 5, head: { sha: "5".repeat(40) }, base: { sha: BASE_SHA }, draft: false },
        { number: 2, head: { sha: HEAD_SHA }, base: { sha: BASE_SHA }, draft: false },
      ]);
    noPreviousRun(scope, "5".repeat(40), [
      { id: 9, name: "MX Guard", status: "completed", conclusion: "success", external_id: "mx-guard:pull_request.opened:x:pr-5" },
    ]);
    noPreviousRun(scope, HEAD_SHA);
    const started = capture(scope, "post", `${REPO_PATH}/check-runs`, 201, { id: 4242 });
    policy(scope);
    pullFiles(scope, [{ filename: "README.md" }]);
    unchangedCampaign(scope);
    const updates = checkUpdates(scope, 1);

    await deliver(probot, "installation_repositories", {
      action: "added",
      installation: { id: 2 },
      repository_selection: "selected",
      repositories_added: [{ id: 1296269, name: "Hello-World", full_name: "Codertocat/Hello-World", private: false }],
      repositories_removed: [],
    });

    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ head_sha: HEAD_SHA });
    expect(started[0]!.external_id).toMatch(/^mx-guard:installation\.backfill:.+:pr-2$/);
    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "success" });
  });
});
