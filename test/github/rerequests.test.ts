import { describe, expect, it } from "vitest";
import { RULES_BAD, RULES_OK, TRAFFIC } from "./helpers/campaign.js";
import { createFakeEngine } from "./helpers/fake-engine.js";
import { API, capture, expectStarted, github, graphql, hunkPatch } from "./helpers/github.js";
import { BASE_SHA, HEAD_SHA, REPO_PATH, deliver, fixture } from "./helpers/payloads.js";
import { loadApp } from "./helpers/probot.js";
import { RULES_CHANGED, scenario } from "./helpers/scenario.js";

const FORK_SHA = "5555555555555555555555555555555555555555";
const TREES = {
  [BASE_SHA]: { "campaign/mx-rules.yaml": RULES_OK, "campaign/traffic.yaml": TRAFFIC },
  [FORK_SHA]: { "campaign/mx-rules.yaml": RULES_BAD, "campaign/traffic.yaml": TRAFFIC },
  [HEAD_SHA]: { "campaign/mx-rules.yaml": RULES_BAD, "campaign/traffic.yaml": TRAFFIC },
};

function pullSummary(number: number, headSha: string, draft = false): Record<string, unknown> {
  return { number, state: "open", draft, head: { sha: headSha, ref: "patch-1" }, base: { sha: BASE_SHA, ref: "master" } };
}

describe("Re-run buttons", () => {
  it("maps a fork's check_run.rerequested (empty pull_requests) to its pull request through the paginated open pulls", async () => {
    const engine = createFakeEngine();
    const { probot } = await loadApp(engine);
    const payload = fixture("check_run.rerequested");
    payload.check_run.name = "MX Guard";
    payload.check_run.head_sha = FORK_SHA;
    payload.check_run.pull_requests = [];
    const repoPath = `/repos/${payload.repository.owner.login}/${payload.repository.name}`;
    expect(repoPath).not.toBe(REPO_PATH);

    const scope = github();
    scope
      .get(`${repoPath}/pulls`)
      .query({ state: "open", per_page: "100" })
      .reply(
        200,
        Array.from({ length: 100 }, (_, i) => pullSummary(100 + i, `${i}`.padStart(40, "9"))),
        {
          link: `<${API}${repoPath}/pulls?state=open&per_page=100&page=2>; rel="next", <${API}${repoPath}/pulls?state=open&per_page=100&page=2>; rel="last"`,
        },
      )
      .get(`${repoPath}/pulls`)
      .query({ state: "open", per_page: "100", page: "2" })
      .reply(200, [pullSummary(7, "8".repeat(40)), pullSummary(8, FORK_SHA)]);
    // A re-run always runs: no lookup of earlier runs.
    const started = capture(scope, "post", `${repoPath}/check-runs`, 201, { id: 31 });
    scope
      .get(`${repoPath}/contents/.github%2Fmx-guard.yml`)
      .reply(404, {})
      .get(`/repos/github/.github/contents/.github%2Fmx-guard.yml`)
      .reply(404, {});
    scope
      .get(`${repoPath}/pulls/8/files`)
      .query({ per_page: "100" })
      .reply(200, [{ filename: "campaign/mx-rules.yaml", status: "modified", patch: hunkPatch(RULES_BAD, 1, 7) }]);
    graphql(scope, { trees: TREES }, (_query, variables) => {
      expect(variables.number).toBe(8);
    });
    const updates = capture(scope, "patch", `${repoPath}/check-runs/31`, 200);
    const reviews = capture(scope, "post", `${repoPath}/pulls/8/reviews`, 200, { id: 3 });
    const comments = capture(scope, "post", `${repoPath}/issues/8/comments`, 201, { id: 4 });

    await deliver(probot, "check_run", payload);

    expectStarted(started, FORK_SHA, "check_run.rerequested");
    expect(updates[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(reviews[0]).toMatchObject({ commit_id: FORK_SHA });
    expect(comments).toHaveLength(1);
  });

  it("runs check_suite.rerequested for the listed pull request, reading its draft state and base", async () => {
    const { probot, scope, started, updates } = await scenario({
      previousRuns: false,
      files: RULES_CHANGED,
      repo: { trees: TREES },
      inspect: (query) => {
        // A draft: nothing will be posted, so the history is not read.
        expect(query).not.toContain("pullRequest(");
      },
    });
    const payload = fixture("check_suite.rerequested");
    expect(payload.check_suite.pull_requests[0].number).toBe(2);
    scope.get(`${REPO_PATH}/pulls/2`).reply(200, pullSummary(2, HEAD_SHA, true));

    await deliver(probot, "check_suite", payload);

    expectStarted(started, HEAD_SHA, "check_suite.rerequested");
    expect(updates[0]).toMatchObject({ conclusion: "failure" });
    expect(updates[0]!.output.summary).toContain("draft");
  });

  it("ignores a re-run of another check and a commit that no open pull request has", async () => {
    const engine = createFakeEngine();
    const { probot } = await loadApp(engine);
    const other = fixture("check_run.rerequested");
    await deliver(probot, "check_run", other); // "randscape": not ours, no API call at all

    const orphan = fixture("check_run.rerequested");
    orphan.check_run.name = "MX Guard";
    orphan.check_run.pull_requests = [];
    const repoPath = `/repos/${orphan.repository.owner.login}/${orphan.repository.name}`;
    const scope = github();
    scope
      .get(`${repoPath}/pulls`)
      .query({ state: "open", per_page: "100" })
      .reply(200, [pullSummary(3, "1".repeat(40))]);
    await deliver(probot, "check_run", orphan);
    expect(engine.sides).toHaveLength(0);
  });
});
