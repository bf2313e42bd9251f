/**
 * The GitHub Action glue (src/action/main.ts) with the real engine, fed like a runner feeds it:
 * GITHUB_* variables, an event file, the inputs as action.yml passes them. GitHub is nock: every
 * request is expected, bodies are asserted, nothing is left pending, no real network.
 */
import nock from "nock";
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runAction, toRun, escapeCommand, resultOf, ERRORED_TITLE } from "../../src/action/main.js";
import {
  ActionSettingsError,
  expectedGraphqlUrl,
  normalizePolicyPath,
  parseBooleanInput,
  readActionSettings,
} from "../../src/action/settings.js";
import { defaultEngine, REVIEW_FORMATS, type Engine, type ReviewResult } from "../../src/engine/index.js";
import { REPORT, reportFileName, type UploadReport } from "../../src/action/report.js";
import { STICKY_MARKER } from "../../src/render/sticky-comment.js";
import type { Log } from "../../src/github/types.js";
import {
  BASE_SHA,
  BASE_TREE,
  CHANGED_LINE,
  HEAD_SHA,
  POLICY,
  PULL,
  REPO_PATH,
  TOKEN,
  changedFiles,
  outputs,
  runner,
  snapshotAnswer,
  type Runner,
} from "./action-support.js";
import { RULES } from "./helpers.js";

const API = "https://api.github.com";
const CHECK_RUN_ID = 5150;
const unmatched: string[] = [];
const runners: Runner[] = [];
let written: string[] = [];

function silentLogger(): Log {
  const noop = () => {};
  return { debug: noop, info: noop, warn: noop, error: noop };
}

/** The Action's own client, with plugin-throttling's write pacing off and the plugins' waits in milliseconds. */
const deps = () => ({
  log: silentLogger(),
  client: { throttle: false, waitUnitMs: 1, retry: { sleep: async () => {} } },
  write: (text: string) => void written.push(text),
});

function job(options: Parameters<typeof runner>[0] = {}): Runner {
  const r = runner(options);
  runners.push(r);
  return r;
}

/** Every request must carry the workflow token (no App JWT, no installation token). */
function github(base = API): { scope: nock.Scope; calls: string[] } {
  const scope = nock(base, { reqheaders: { authorization: `token ${TOKEN}` } });
  const calls: string[] = [];
  scope.on("request", (req: { method: string; path: string }) => calls.push(`${req.method} ${req.path.replace(/\?.*$/, "")}`));
  return { scope, calls };
}

function capture(
  scope: nock.Scope,
  method: "post" | "patch",
  path: string,
  status: number,
  reply: Record<string, unknown>,
): Record<string, any>[] {
  const bodies: Record<string, any>[] = [];
  scope[method](path, (body: Record<string, any>) => {
    bodies.push(body);
    return true;
  }).reply(status, reply);
  return bodies;
}

function noEarlierRun(scope: nock.Scope, prefix = "", runs: unknown[] = []): void {
  scope
    .get(`${prefix}${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
    .query({ check_name: "MX Guard", filter: "all", per_page: "100" })
    .reply(200, { total_count: runs.length, check_runs: runs });
}

function policy(scope: nock.Scope, prefix = "", path = ".github%2Fmx-guard.yml", yaml = POLICY): void {
  scope.get(`${prefix}${REPO_PATH}/contents/${path}`).reply(200, yaml, { "content-type": "application/vnd.github.raw; charset=utf-8" });
}

function files(scope: nock.Scope, kind: "campaign" | "docs", prefix = ""): void {
  scope.get(`${prefix}${REPO_PATH}/pulls/${PULL}/files`).query({ per_page: "100" }).reply(200, changedFiles(kind));
}

function snapshot(scope: nock.Scope, path = "/graphql"): { queries: string[] } {
  const seen = { queries: [] as string[] };
  scope.post(path).reply(200, (_uri, body) => {
    const request = body as { query: string; variables: Record<string, unknown> };
    seen.queries.push(request.query);
    return snapshotAnswer(request);
  });
  return seen;
}

/** The full run on a pull request that cuts Gmail's quota: check, review, sticky comment. */
function failingPullRequest(
  prefix = "",
  base = API,
  options: { policyPath?: string; graphqlPath?: string; reviewStatus?: number; created?: Record<string, unknown> } = {},
) {
  const { scope, calls } = github(base);
  noEarlierRun(scope, prefix);
  const started = capture(scope, "post", `${prefix}${REPO_PATH}/check-runs`, 201, { id: CHECK_RUN_ID, ...options.created });
  policy(scope, prefix, options.policyPath);
  files(scope, "campaign", prefix);
  const graphql = snapshot(scope, options.graphqlPath ?? `${prefix}/graphql`);
  const completed = capture(scope, "patch", `${prefix}${REPO_PATH}/check-runs/${CHECK_RUN_ID}`, 200, { id: CHECK_RUN_ID });
  const reviews = capture(scope, "post", `${prefix}${REPO_PATH}/pulls/${PULL}/reviews`, options.reviewStatus ?? 200, { id: 1 });
  const comments = capture(scope, "post", `${prefix}${REPO_PATH}/issues/${PULL}/comments`, 201, { id: 90 });
  return { calls, started, completed, reviews, comments, graphql };
}

function onNoMatch(req: { method?: string; path?: string; options?: { method?: string; path?: string } }): void {
  unmatched.push(`${req.method ?? req.options?.method ?? "?"} ${req.path ?? req.options?.path ?? "?"}`);
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.emitter.on("no match", onNoMatch);
});
beforeEach(() => {
  unmatched.length = 0;
  written = [];
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  for (const r of runners.splice(0)) r.cleanup();
  expect(unmatched, "requests no interceptor expected").toStrictEqual([]);
  expect(pending, "interceptors never called").toStrictEqual([]);
});
afterAll(() => {
  nock.emitter.removeListener("no match", onNoMatch);
  nock.enableNetConnect();
});

describe("the Action on a pull_request event", () => {
  it("runs the App's review with the workflow token, fails the job on a failing check, and reports it", async () => {
    const r = job();
    const api = failingPullRequest();

    const result = await runAction(r.env, deps());

    expect(result).toMatchObject({ exitCode: 1, conclusion: "failure", checkRunId: CHECK_RUN_ID });
    expect(api.calls).toEqual([
      `GET ${REPO_PATH}/commits/${HEAD_SHA}/check-runs`,
      `POST ${REPO_PATH}/check-runs`,
      `GET ${REPO_PATH}/contents/.github%2Fmx-guard.yml`,
      `GET ${REPO_PATH}/pulls/${PULL}/files`,
      "POST /graphql",
      `PATCH ${REPO_PATH}/check-runs/${CHECK_RUN_ID}`,
      `POST ${REPO_PATH}/pulls/${PULL}/reviews`,
      `POST ${REPO_PATH}/issues/${PULL}/comments`,
    ]);
    expect(api.started[0]).toMatchObject({
      name: "MX Guard",
      head_sha: HEAD_SHA,
      status: "in_progress",
      external_id: "mx-guard:pull_request.opened:9876543210:pr-2",
    });
    expect(api.completed[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(api.completed[0]!.output.annotations.length).toBeGreaterThan(0);
    // The same one-click suggestion the App posts, on the changed line.
    const comments = api.reviews[0]!.comments as { path: string; line: number; body: string }[];
    expect(comments.find((c) => c.body.includes("suggestion\n"))).toMatchObject({ path: RULES, line: CHANGED_LINE });
    expect(api.reviews[0]).toMatchObject({ commit_id: HEAD_SHA, event: "COMMENT" });
    expect(api.comments[0]!.body).toContain(STICKY_MARKER);
    // Step outputs, job summary and an error annotation in the log.
    expect(outputs(r.outputFile)).toEqual({
      conclusion: "failure",
      "check-run-id": String(CHECK_RUN_ID),
      "check-run-url": expect.stringMatching(new RegExp(`/runs/${CHECK_RUN_ID}$`)),
      "report-url": "",
    });
    expect(readFileSync(r.summaryFile, "utf8")).toContain(`https://github.com/Codertocat/Hello-World/runs/${CHECK_RUN_ID}`);
    expect(written.join("")).toMatch(/^::error title=MX Guard::.*\(failure\)/);
  });

  it("keeps the job green on the same failing check when fail-on-findings is false", async () => {
    const r = job({ env: { "INPUT_FAIL-ON-FINDINGS": "false" } });
    const api = failingPullRequest();

    const result = await runAction(r.env, deps());

    expect(result).toMatchObject({ exitCode: 0, conclusion: "failure" });
    expect(api.completed[0]).toMatchObject({ conclusion: "failure" });
    expect(written.join("")).toMatch(/^::notice title=MX Guard::/);
  });

  it("passes at once when no Campaign file changed", async () => {
    const r = job({ action: "synchronize" });
    const { scope } = github();
    noEarlierRun(scope);
    const started = capture(scope, "post", `${REPO_PATH}/check-runs`, 201, { id: CHECK_RUN_ID });
    policy(scope);
    files(scope, "docs");
    // The watched files have the same blob ids at base and head.
    scope
      .post("/graphql")
      .reply(200, (_uri, body) =>
        snapshotAnswer(body as { query: string; variables: Record<string, unknown> }, { [BASE_SHA]: BASE_TREE, [HEAD_SHA]: BASE_TREE }),
      );
    const completed = capture(scope, "patch", `${REPO_PATH}/check-runs/${CHECK_RUN_ID}`, 200, { id: CHECK_RUN_ID });

    const result = await runAction(r.env, deps());

    expect(result).toMatchObject({ exitCode: 0, conclusion: "success", checkRunId: CHECK_RUN_ID });
    expect(started[0]!.external_id).toBe("mx-guard:pull_request.synchronize:9876543210:pr-2");
    expect(completed[0]).toMatchObject({
      status: "completed",
      conclusion: "success",
      output: { title: "No Campaign configuration changed" },
    });
  });

  it("talks to GitHub Enterprise Server through GITHUB_API_URL (GraphQL on /api/graphql) and reads the policy from the config input", async () => {
    const r = job({
      eventName: "pull_request_target",
      env: {
        GITHUB_API_URL: "https://ghes.example.com/api/v3",
        GITHUB_GRAPHQL_URL: "https://ghes.example.com/api/graphql",
        GITHUB_SERVER_URL: "https://ghes.example.com",
        INPUT_CONFIG: "./ops/mx-guard.yml",
      },
    });
    const api = failingPullRequest("/api/v3", "https://ghes.example.com", {
      policyPath: "ops%2Fmx-guard.yml",
      graphqlPath: "/api/graphql",
    });

    const result = await runAction(r.env, deps());

    expect(result).toMatchObject({ exitCode: 1, conclusion: "failure" });
    expect(api.calls).toContain("GET /api/v3/repos/Codertocat/Hello-World/contents/ops%2Fmx-guard.yml");
    expect(api.calls).toContain("POST /api/graphql");
    expect(api.graphql.queries).toHaveLength(1);
    expect(readFileSync(r.summaryFile, "utf8")).toContain(`https://ghes.example.com/Codertocat/Hello-World/runs/${CHECK_RUN_ID}`);
  });

  it("fails the job (exit 2) with a permissions hint when GitHub refuses the workflow token", async () => {
    const r = job({ env: { "INPUT_FAIL-ON-FINDINGS": "false" } });
    const { scope } = github();
    noEarlierRun(scope);
    scope.post(`${REPO_PATH}/check-runs`).reply(403, { message: "Resource not accessible by integration" });

    const result = await runAction(r.env, deps());

    expect(result.exitCode).toBe(2);
    expect(result.message).toContain("GitHub answered 403 to POST /repos/Codertocat/Hello-World/check-runs");
    expect(result.message).toContain("checks: write");
    expect(result.message).toContain("pull_request_target");
    expect(written.join("")).toMatch(/^::error title=MX Guard::MX Guard could not run/);
  });

  it("fails the job (exit 2) when the run errors, even with fail-on-findings false: the check says why", async () => {
    const r = job({ env: { "INPUT_FAIL-ON-FINDINGS": "false" } });
    const { scope } = github();
    noEarlierRun(scope);
    capture(scope, "post", `${REPO_PATH}/check-runs`, 201, { id: CHECK_RUN_ID });
    policy(scope);
    files(scope, "campaign");
    // Waited out and asked again 3 times (src/github/retry.ts), then the run errors.
    scope
      .post("/graphql")
      .times(4)
      .reply(200, { data: null, errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded" }] });
    const completed = capture(scope, "patch", `${REPO_PATH}/check-runs/${CHECK_RUN_ID}`, 200, { id: CHECK_RUN_ID });

    const result = await runAction(r.env, deps());

    expect(completed[0]).toMatchObject({ status: "completed", conclusion: "failure", output: { title: ERRORED_TITLE } });
    expect(completed[0]!.output.summary).toContain("API rate limit exceeded");
    expect(result).toMatchObject({ exitCode: 2, conclusion: "failure", checkRunId: CHECK_RUN_ID });
  });

  it("treats a re-run of the workflow as the check's Re-run: the commit is simulated again", async () => {
    const r = job({ env: { GITHUB_RUN_ATTEMPT: "2" } });
    const { scope, calls } = github();
    scope.get(`${REPO_PATH}/pulls/${PULL}`).reply(200, { number: PULL, state: "open", draft: false, base: { sha: BASE_SHA } });
    const started = capture(scope, "post", `${REPO_PATH}/check-runs`, 201, { id: CHECK_RUN_ID });
    policy(scope);
    files(scope, "docs");
    // The watched files have the same blob ids at base and head.
    scope
      .post("/graphql")
      .reply(200, (_uri, body) =>
        snapshotAnswer(body as { query: string; variables: Record<string, unknown> }, { [BASE_SHA]: BASE_TREE, [HEAD_SHA]: BASE_TREE }),
      );
    const completed = capture(scope, "patch", `${REPO_PATH}/check-runs/${CHECK_RUN_ID}`, 200, { id: CHECK_RUN_ID });

    const result = await runAction(r.env, deps());

    expect(result).toMatchObject({ exitCode: 0, conclusion: "success" });
    // No look-up of an earlier run: a re-run always runs.
    expect(calls.some((c) => c.includes("/commits/"))).toBe(false);
    expect(started[0]).toMatchObject({ head_sha: HEAD_SHA, external_id: "mx-guard:pull_request.opened:9876543210:pr-2" });
    expect(completed[0]).toMatchObject({ conclusion: "success" });
  });

  it("sends a review POST that GitHub answered 502 only once when GitHub shows it landed, and still fails the job on the check", async () => {
    const r = job();
    const api = failingPullRequest("", API, { reviewStatus: 502 });
    nock(API)
      .get(`${REPO_PATH}/pulls/${PULL}/reviews`)
      .query(true)
      .reply(200, () => [{ id: 1, body: api.reviews[0]?.body }]);

    const result = await runAction(r.env, deps());

    // One interceptor per request: a re-sent review would be a request nobody expected (afterEach).
    expect(api.calls.filter((c) => c.endsWith("/reviews"))).toHaveLength(1);
    expect(api.comments).toHaveLength(1);
    expect(result).toMatchObject({ exitCode: 1, conclusion: "failure", checkRunId: CHECK_RUN_ID });
  });

  it("reports the earlier verdict when the App skips an event it already checked", async () => {
    const r = job();
    const { scope } = github();
    noEarlierRun(scope, "", [
      {
        id: 77,
        status: "completed",
        conclusion: "failure",
        external_id: "mx-guard:pull_request.opened:1234",
        output: { title: "MX Guard: 1 delivery misses its deadline" },
      },
    ]);

    const result = await runAction(r.env, deps());

    expect(result).toMatchObject({ exitCode: 1, conclusion: "failure", checkRunId: 77 });
    expect(result.message).toContain("from an earlier run of this event");
  });
});

// ---- the report artifact ----------------------------------------------------------------------

const ARTIFACT_ID = 4242;
const ARTIFACT_URL = `https://github.com/Codertocat/Hello-World/actions/runs/9876543210/artifacts/${ARTIFACT_ID}`;
/** What the runner gives a JavaScript action for the artifact service. */
const IN_ACTIONS = { ACTIONS_RUNTIME_TOKEN: "runtime-token", ACTIONS_RESULTS_URL: "https://results.example.com/" };

/** The real engine, keeping each review it returned (the report must be that review, rendered). */
function recordingEngine(): { engine: Engine; reviews: ReviewResult[] } {
  const reviews: ReviewResult[] = [];
  return {
    reviews,
    engine: {
      watchedPaths: (policy) => defaultEngine.watchedPaths(policy),
      reviewChange: async (base, head, policy) => {
        const result = await defaultEngine.reviewChange(base, head, policy);
        reviews.push(result);
        return result;
      },
    },
  };
}

function uploader(fail?: Error): { upload: UploadReport; calls: { path: string; directory: string; text: string }[] } {
  const calls: { path: string; directory: string; text: string }[] = [];
  return {
    calls,
    upload: async (path, directory) => {
      calls.push({ path, directory, text: readFileSync(path, "utf8") });
      if (fail) throw fail;
      return { id: ARTIFACT_ID };
    },
  };
}

describe("the Action's report", () => {
  it("writes the review's report to RUNNER_TEMP, uploads it, and links the artifact from the check run and the job summary", async () => {
    const r = job({ env: { INPUT_REPORT: "true", RUNNER_TEMP: "", ...IN_ACTIONS } });
    r.env.RUNNER_TEMP = r.dir;
    const api = failingPullRequest();
    const { engine, reviews } = recordingEngine();
    const { upload, calls } = uploader();

    const result = await runAction(r.env, { ...deps(), engine, upload });

    expect(result).toMatchObject({ exitCode: 1, conclusion: "failure", checkRunId: CHECK_RUN_ID });
    expect(reviews).toHaveLength(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.path.startsWith(r.dir)).toBe(true);
    expect(calls[0]!.path.endsWith(`/${REPORT.file}`)).toBe(true);
    expect(calls[0]!.text).toBe(REVIEW_FORMATS[REPORT.format](reviews[0]!));
    expect(calls[0]!.text.length).toBeGreaterThan(200);
    const summary = api.completed[0]!.output.summary as string;
    expect(summary).toContain(`](${ARTIFACT_URL})`);
    // The check's verdict and the rest of the summary are the engine's.
    expect(summary.startsWith(reviews[0]!.check.summary)).toBe(true);
    expect(outputs(r.outputFile)["report-url"]).toBe(ARTIFACT_URL);
    expect(readFileSync(r.summaryFile, "utf8")).toContain(`](${ARTIFACT_URL})`);
  });

  it("names the file after the attempt on a re-run (artifact names are unique within a run)", () => {
    expect(reportFileName(1)).toBe(REPORT.file);
    expect(reportFileName(3)).toBe(REPORT.file.replace(/\.(\w+)$/, "-attempt-3.$1"));
  });

  it("logs a failed upload and keeps the verdict: same conclusion, same exit code, no link", async () => {
    const r = job({ env: { INPUT_REPORT: "true", ...IN_ACTIONS } });
    const api = failingPullRequest();
    const { upload, calls } = uploader(new Error("artifact service answered 503"));

    const result = await runAction(r.env, { ...deps(), upload });

    expect(calls).toHaveLength(1);
    expect(result).toMatchObject({ exitCode: 1, conclusion: "failure", checkRunId: CHECK_RUN_ID });
    expect(api.completed[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(api.completed[0]!.output.summary).not.toContain("/artifacts/");
    expect(written.join("")).toContain(
      "::warning title=MX Guard::MX Guard could not upload its report as an artifact (the verdict stands): artifact service answered 503",
    );
    expect(outputs(r.outputFile)["report-url"]).toBe("");
  });

  it("gives up on an upload that does not answer, and completes the check without the link", async () => {
    const r = job({ env: { INPUT_REPORT: "true", ...IN_ACTIONS } });
    const api = failingPullRequest();
    const never: UploadReport = () => new Promise(() => {});
    const { engine } = recordingEngine();
    const base = deps();

    const result = await runAction(r.env, { ...base, engine, upload: never, uploadTimeoutMs: 50 });

    expect(result).toMatchObject({ exitCode: 1, conclusion: "failure" });
    expect(api.completed[0]!.output.summary).not.toContain("/artifacts/");
    expect(written.join("")).toContain("no answer from the artifact service within 0.05 s");
  });

  it("writes the file but uploads nothing outside a JavaScript action's runtime (no ACTIONS_RUNTIME_TOKEN)", async () => {
    const r = job({ env: { INPUT_REPORT: "true", RUNNER_TEMP: "" } });
    r.env.RUNNER_TEMP = r.dir;
    const api = failingPullRequest();
    const { upload, calls } = uploader();

    await runAction(r.env, { ...deps(), upload });

    expect(calls).toHaveLength(0);
    expect(readFileSync(`${r.dir}/mx-guard-report-9876543210-1/${REPORT.file}`, "utf8").length).toBeGreaterThan(200);
    expect(api.completed[0]!.output.summary).not.toContain("Full report");
  });

  it("is off with report: false", async () => {
    const r = job({ env: { INPUT_REPORT: "false", ...IN_ACTIONS } });
    const api = failingPullRequest();
    const { upload, calls } = uploader();

    const result = await runAction(r.env, { ...deps(), upload });

    expect(calls).toHaveLength(0);
    expect(result).toMatchObject({ exitCode: 1, conclusion: "failure" });
    expect(api.completed[0]!.output.summary).not.toContain("Full report");
  });
});

// ---- which check suite the check run lands in --------------------------------------------------

describe("the Action's check run and the workflow's check suite", () => {
  const RUN_URL = "https://github.com/Codertocat/Hello-World/actions/runs/9876543210";
  const HTML_URL = `https://github.com/Codertocat/Hello-World/runs/${CHECK_RUN_ID}`;

  it("creates the check run with details_url on this workflow run, and says nothing when GitHub put it in this run's suite", async () => {
    const r = job();
    const api = failingPullRequest("", API, { created: { html_url: HTML_URL, check_suite: { id: 111 } } });
    nock(API).get(`${REPO_PATH}/actions/runs/9876543210`).reply(200, { id: 9876543210, check_suite_id: 111 });

    const result = await runAction(r.env, deps());

    expect(result.exitCode).toBe(1);
    expect(api.started[0]).toMatchObject({ name: "MX Guard", details_url: RUN_URL });
    expect(outputs(r.outputFile)["check-run-url"]).toBe(HTML_URL);
    expect(written.join("")).not.toContain("::warning");
  });

  it("names the other workflow when GitHub attached the check run to its suite", async () => {
    const r = job();
    failingPullRequest("", API, { created: { html_url: HTML_URL, check_suite: { id: 111 } } });
    nock(API).get(`${REPO_PATH}/actions/runs/9876543210`).reply(200, { id: 9876543210, check_suite_id: 222 });
    nock(API)
      .get(`${REPO_PATH}/actions/runs`)
      .query({ check_suite_id: "111", per_page: "1" })
      .reply(200, {
        total_count: 1,
        workflow_runs: [
          { id: 5, name: "CI", path: ".github/workflows/ci.yml", html_url: "https://github.com/Codertocat/Hello-World/actions/runs/5" },
        ],
      });

    const result = await runAction(r.env, deps());

    expect(result).toMatchObject({ exitCode: 1, conclusion: "failure" });
    const note = 'GitHub attached the MX Guard check run to the "CI" workflow run https://github.com/Codertocat/Hello-World/actions/runs/5';
    expect(written.join("")).toContain(`::warning title=MX Guard::${note}`);
    expect(readFileSync(r.summaryFile, "utf8")).toContain(`> ${note}`);
  });

  it("cannot tell without actions: read, and then says nothing (the verdict stands)", async () => {
    const r = job();
    failingPullRequest("", API, { created: { check_suite: { id: 111 } } });
    nock(API).get(`${REPO_PATH}/actions/runs/9876543210`).reply(403, { message: "Resource not accessible by integration" });

    const result = await runAction(r.env, deps());

    expect(result).toMatchObject({ exitCode: 1, conclusion: "failure" });
    expect(written.join("")).not.toContain("::warning");
    expect(outputs(r.outputFile)["check-run-url"]).toBe(HTML_URL);
  });
});

describe("the Action does nothing, and says so, when there is nothing to check", () => {
  it("on a push event", async () => {
    const r = job({ eventName: "push", event: { ref: "refs/heads/main" } });
    const result = await runAction(r.env, deps());
    expect(result).toMatchObject({ exitCode: 0, conclusion: null });
    expect(written.join("")).toMatch(/^::notice title=MX Guard::Nothing to do: .*push/);
    expect(outputs(r.outputFile)).toEqual({ conclusion: "", "check-run-id": "", "check-run-url": "", "report-url": "" });
  });

  it("warns when the runner's GraphQL URL is not the one Octokit derives from GITHUB_API_URL", async () => {
    const r = job({ eventName: "push", event: {}, env: { GITHUB_GRAPHQL_URL: "https://proxy.example.com/graphql" } });
    const result = await runAction(r.env, deps());
    expect(result.exitCode).toBe(0);
    expect(written[0]).toMatch(/^::warning title=MX Guard::GraphQL requests go to https:\/\/api.github.com\/graphql/);
  });

  it("on a closed pull request", async () => {
    const r = job({ action: "closed" });
    const result = await runAction(r.env, deps());
    expect(result).toMatchObject({ exitCode: 0, conclusion: null });
    expect(result.message).toContain("pull_request.closed does not start a check");
  });

  it("on a re-run whose pull request was closed since", async () => {
    const r = job({ env: { GITHUB_RUN_ATTEMPT: "3" } });
    const { scope } = github();
    scope.get(`${REPO_PATH}/pulls/${PULL}`).reply(200, { number: PULL, state: "closed", draft: false, base: { sha: BASE_SHA } });
    const result = await runAction(r.env, deps());
    expect(result).toMatchObject({ exitCode: 0, conclusion: null });
  });
});

describe("the job's result comes from the pipeline's outcome", () => {
  const link = (id: number) => ` — run ${id}`;
  const completed = {
    kind: "completed",
    checkRunId: 9,
    title: "MX Guard: 1 delivery misses its deadline",
    errored: false,
    review: "posted",
    sticky: "create",
  } as const;

  it("a failing check fails the job with fail-on-findings, and only then", () => {
    expect(resultOf({ ...completed, conclusion: "failure" }, { failOnFindings: true }, link)).toEqual({
      exitCode: 1,
      conclusion: "failure",
      checkRunId: 9,
      message: "MX Guard: 1 delivery misses its deadline (failure) — run 9",
    });
    expect(resultOf({ ...completed, conclusion: "failure" }, { failOnFindings: false }, link)).toMatchObject({
      exitCode: 0,
      conclusion: "failure",
    });
    expect(resultOf({ ...completed, conclusion: "success" }, { failOnFindings: true }, link)).toMatchObject({
      exitCode: 0,
      conclusion: "success",
    });
  });

  it("a run that errored is exit 2 whatever fail-on-findings says; an earlier run's verdict counts like a new one", () => {
    const errored = { ...completed, conclusion: "failure", title: ERRORED_TITLE, errored: true } as const;
    expect(resultOf(errored, { failOnFindings: false }, link)).toMatchObject({
      exitCode: 2,
      message: `${ERRORED_TITLE} (failure) — run 9: see the check run for the cause.`,
    });
    const duplicate = { kind: "duplicate", checkRunId: 4, conclusion: "failure", title: "t" } as const;
    expect(resultOf(duplicate, { failOnFindings: true }, link)).toMatchObject({
      exitCode: 1,
      checkRunId: 4,
      message: "t (failure, from an earlier run of this event) — run 4",
    });
    expect(resultOf({ kind: "commit-gone" }, { failOnFindings: true }, link)).toMatchObject({ exitCode: 0, checkRunId: null });
  });
});

describe("the Action's settings", () => {
  it("cannot start without a token or outside a runner (exit 2)", async () => {
    const r = job({ env: { "INPUT_GITHUB-TOKEN": "" } });
    let result = await runAction(r.env, deps());
    expect(result.exitCode).toBe(2);
    expect(result.message).toContain("no GitHub token");
    result = await runAction({ ...r.env, "INPUT_GITHUB-TOKEN": TOKEN, GITHUB_EVENT_PATH: "" }, deps());
    expect(result).toMatchObject({ exitCode: 2 });
    expect(result.message).toContain("GITHUB_EVENT_PATH is not set");
  });

  it("falls back to GITHUB_TOKEN and github.com, and derives the GraphQL URL like Octokit", () => {
    const settings = readActionSettings({
      GITHUB_TOKEN: "t",
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: "/e",
      GITHUB_RUN_ID: "1",
    });
    expect(settings).toMatchObject({
      token: "t",
      apiUrl: "https://api.github.com",
      graphqlUrl: "https://api.github.com/graphql",
      runAttempt: 1,
      failOnFindings: true,
      policyPath: ".github/mx-guard.yml",
    });
    expect(expectedGraphqlUrl("https://ghes.example.com/api/v3")).toBe("https://ghes.example.com/api/graphql");
  });

  it("reads boolean inputs strictly and keeps the policy path inside the repository", () => {
    expect(parseBooleanInput("x", "False", true)).toBe(false);
    expect(parseBooleanInput("x", "", true)).toBe(true);
    expect(() => parseBooleanInput("x", "maybe", true)).toThrow(ActionSettingsError);
    expect(normalizePolicyPath("/ops//./policy.yml")).toBe("ops/policy.yml");
    expect(() => normalizePolicyPath("../elsewhere.yml")).toThrow(ActionSettingsError);
  });

  it("escapes workflow command text so a message cannot inject commands", () => {
    expect(escapeCommand("50%\n::set-output name=x::y")).toBe("50%25%0A::set-output name=x::y");
  });

  it("maps pull_request_target to the App's pull_request event, and a workflow re-run to a Re-run", () => {
    const env = { GITHUB_TOKEN: "t", GITHUB_EVENT_NAME: "pull_request_target", GITHUB_EVENT_PATH: "/e", GITHUB_RUN_ID: "1" };
    const event = {
      action: "reopened",
      repository: { id: 7, name: "r", owner: { login: "o" } },
      pull_request: { number: 3, head: { sha: "h" }, base: { sha: "b" } },
    };
    expect(toRun(readActionSettings(env), event)).toEqual({
      owner: "o",
      repo: "r",
      repositoryId: 7,
      pull: { number: 3, headSha: "h", baseSha: "b", draft: false },
      eventKey: "pull_request.reopened",
      rerequest: false,
    });
    expect(toRun(readActionSettings({ ...env, GITHUB_RUN_ATTEMPT: "2" }), event)).toMatchObject({
      eventKey: "pull_request.reopened",
      rerequest: true,
    });
  });
});
