/**
 * The App's pacing (AppOptions.pacing, on in src/index.ts): a run done within quickMs creates its
 * check run already completed in one request, with the same external_id, so a later delivery of the
 * event finds it; a slower run shows in progress from quickMs on; a run that changes a watched file
 * waits behind the installation's quick runs.
 */
import { describe, expect, it } from "vitest";
import { MemoryQueue } from "../../src/github/queue/index.js";
import { createFakeEngine } from "./helpers/fake-engine.js";
import { capture, github, graphql, noPreviousRun, policy, pullFiles, recordCalls, unchangedCampaign } from "./helpers/github.js";
import { HEAD_SHA, REPO_PATH, deliver, pullRequestEvent } from "./helpers/payloads.js";
import { loadApp } from "./helpers/probot.js";
import { RULES_CHANGED, RULES_REPO } from "./helpers/scenario.js";

const DOCS = [{ filename: "README.md" }];

describe("pacing", () => {
  it("creates a quick run's check already completed in one request, which a redelivery then finds", async () => {
    const { probot } = await loadApp(createFakeEngine(), { app: { pacing: { quickMs: 60_000 } } });
    const scope = github();
    const calls = recordCalls(scope);
    noPreviousRun(scope);
    policy(scope);
    pullFiles(scope, DOCS);
    unchangedCampaign(scope);
    const created = capture(scope, "post", `${REPO_PATH}/check-runs`, 201, { id: 7 });
    const id = "0b9a47d2-3333-4000-8000-00000000beef";

    await deliver(probot, "pull_request", pullRequestEvent("opened"), id);

    // Policy and files read once (the triage's reads are reused), one write, no PATCH.
    expect(calls.filter((c) => !c.startsWith("GET"))).toEqual(["POST /graphql", `POST ${REPO_PATH}/check-runs`]);
    expect(calls.filter((c) => c.includes("mx-guard.yml"))).toHaveLength(1);
    expect(created[0]).toMatchObject({
      name: "MX Guard",
      head_sha: HEAD_SHA,
      status: "completed",
      conclusion: "success",
      external_id: `mx-guard:pull_request.opened:${id}:pr-2`,
    });

    // Another delivery of the same event: after the triage's two reads, the completed run is found
    // and nothing is created.
    policy(scope);
    pullFiles(scope, DOCS);
    noPreviousRun(scope, HEAD_SHA, [
      { id: 7, name: "MX Guard", status: "completed", conclusion: "success", external_id: created[0]!.external_id, output: { title: "x" } },
    ]);
    await deliver(probot, "pull_request", pullRequestEvent("opened"));
    expect(calls.filter((c) => c.startsWith("POST") && c.includes("check-runs"))).toHaveLength(1);
  });

  it("shows a run that takes longer than quickMs in progress, then completes it", async () => {
    const engine = createFakeEngine();
    const { probot } = await loadApp(engine, { app: { pacing: { quickMs: 1 } } });
    const scope = github();
    noPreviousRun(scope);
    policy(scope);
    pullFiles(scope, RULES_CHANGED);
    // The snapshot answers after the deadline: by then the run is created, in progress.
    scope
      .post("/graphql")
      .delay(100)
      .reply(200, () => ({ data: { repository: null } }));
    const created = capture(scope, "post", `${REPO_PATH}/check-runs`, 201, { id: 8 });
    const updates = capture(scope, "patch", `${REPO_PATH}/check-runs/8`, 200, {});

    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    expect(created[0]).toMatchObject({ status: "in_progress" });
    expect(updates.at(-1)).toMatchObject({ status: "completed" });
  });

  it("moves a review behind the quick runs of its installation", async () => {
    const queue = new MemoryQueue({ attempts: 1, perInstallation: 1 });
    const { probot, logs } = await loadApp(createFakeEngine(), { app: { pacing: { quickMs: 60_000 }, queue } });
    const scope = github();
    scope.post("/app/installations/2/access_tokens").optionally().reply(200, { token: "ghs_second", permissions: {} });
    const calls = recordCalls(scope);
    const second = "6666666666666666666666666666666666666666";
    // First the review's triage; then the docs-only run (other head) goes ahead; then the review.
    policy(scope);
    pullFiles(scope, RULES_CHANGED);
    noPreviousRun(scope, second);
    policy(scope);
    pullFiles(scope, DOCS);
    unchangedCampaign(scope, second);
    scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: 9 });
    noPreviousRun(scope);
    policy(scope);
    pullFiles(scope, RULES_CHANGED);
    graphql(scope, RULES_REPO);
    const created = capture(scope, "post", `${REPO_PATH}/check-runs`, 201, { id: 10 });
    scope.post(`${REPO_PATH}/issues/2/comments`).optionally().reply(201, { id: 1 });
    scope.post(`${REPO_PATH}/pulls/2/reviews`).optionally().reply(200, { id: 1 });
    scope
      .get((path) => path.includes("/graphql"))
      .optionally()
      .reply(200, {});

    await Promise.all([
      deliver(probot, "pull_request", pullRequestEvent("opened")),
      deliver(probot, "pull_request", pullRequestEvent("opened", { head: second })),
    ]);

    const docsDone = calls.indexOf(`POST ${REPO_PATH}/check-runs`);
    const reviewLookup = calls.indexOf(`GET ${REPO_PATH}/commits/${HEAD_SHA}/check-runs`);
    expect(docsDone).toBeGreaterThan(0);
    expect(reviewLookup).toBeGreaterThan(docsDone);
    expect(created[0]).toMatchObject({ head_sha: HEAD_SHA, status: "completed", conclusion: "failure" });
    expect(logs.some((l) => l.text.includes("queued behind the quick runs"))).toBe(true);
  });
});
