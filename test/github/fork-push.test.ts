/**
 * A push to a fork is announced before the base repository shows the commit: check-run calls answer
 * 422 "No commit found for SHA" for a while. MX Guard waits (1, 2, 4 … s, two minutes in all) and is
 * never left without a completed check.
 */
import { describe, expect, it } from "vitest";
import { createFakeEngine } from "./helpers/fake-engine.js";
import {
  capture,
  CHECK_RUN_ID,
  checkCreated,
  checkUpdates,
  expectStarted,
  github,
  policy,
  pullFiles,
  unchangedCampaign,
} from "./helpers/github.js";
import { BASE_SHA, HEAD_SHA, REPO_PATH, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { loadApp } from "./helpers/probot.js";

const NOT_FOUND = { message: `No commit found for SHA: ${HEAD_SHA}` };

describe("a fork push GitHub does not show yet", () => {
  it("waits until the commit appears (two 422s on the lookup, one on the creation), then checks it", async () => {
    const { probot, sleeps } = await loadApp(createFakeEngine());
    const scope = github();
    const runs = `${REPO_PATH}/commits/${HEAD_SHA}/check-runs`;
    scope.get(runs).query(true).times(2).reply(422, NOT_FOUND);
    scope.get(runs).query(true).reply(200, { total_count: 0, check_runs: [] });
    scope.post(`${REPO_PATH}/check-runs`).reply(422, NOT_FOUND);
    const started = checkCreated(scope);
    policy(scope);
    pullFiles(scope, [{ filename: "README.md" }]);
    unchangedCampaign(scope);
    const updates = checkUpdates(scope, 1);

    await deliver(probot, "pull_request", pullRequestEvent("synchronize"));

    expect(sleeps).toEqual([1_000, 2_000, 1_000]);
    expectStarted(started, HEAD_SHA, "pull_request.synchronize");
    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "success" });
  });

  it("when the commit never appears and the head has not moved, completes a failure run naming the cause", async () => {
    const { probot, sleeps } = await loadApp(createFakeEngine());
    const scope = github();
    scope.get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] });
    scope.post(`${REPO_PATH}/check-runs`).times(8).reply(422, NOT_FOUND);
    scope.get(`${REPO_PATH}/pulls/2`).reply(200, { number: 2, state: "open", head: { sha: HEAD_SHA }, base: { sha: BASE_SHA } });
    const last = capture(scope, "post", `${REPO_PATH}/check-runs`, 201, { id: CHECK_RUN_ID });

    await deliver(probot, "pull_request", pullRequestEvent("synchronize"));

    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(120_000);
    expect(sleeps.slice(0, 4)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(last).toHaveLength(1);
    expect(last[0]).toMatchObject({
      head_sha: HEAD_SHA,
      status: "completed",
      conclusion: "failure",
      output: { title: "MX Guard could not finish" },
    });
    expect(last[0]!.output.summary).toContain(`No commit found for SHA: ${HEAD_SHA}" after 120 s`);
  });
});
