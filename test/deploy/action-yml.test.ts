/**
 * action.yml as the runner executes it: a JavaScript action whose `runs.main` (dist/index.js, the
 * committed bundle) is started with Node as a real process, the way the runner starts it: every
 * input exported as INPUT_<NAME> with its default, the GITHUB_* variables, an event file,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the artifact service's ACTIONS_RUNTIME_TOKEN and
 * ACTIONS_RESULTS_URL. It reviews a pull request against a fake GitHub API and a fake artifact
 * service on 127.0.0.1, and sets the job's exit code. It runs from a copy of the action without
 * node_modules, as the runner downloads it: everything the bundle needs must be inside it.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPORT } from "../../src/action/report.js";
import { ACTION_INPUT_ENV, inputEnvName } from "../../src/action/settings.js";
import { STICKY_MARKER } from "../../src/render/sticky-comment.js";
import {
  BASE_SHA,
  BASE_TREE,
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
import { ROOT, cleanEnv, start, stop, stopAll, withTimeout } from "./helpers.js";

interface ActionYml {
  name: string;
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { description: string; value?: string }>;
  runs: { using: string; main: string; steps?: unknown };
}

const text = readFileSync(join(ROOT, "action.yml"), "utf8");
const action = parse(text) as ActionYml;
/** What the Action writes to GITHUB_OUTPUT (src/action/main.ts). */
const OUTPUTS = ["check-run-id", "check-run-url", "conclusion", "report-url"];

/** `${{ github.token }}` → the workflow token; the only expression action.yml's defaults use. */
function expandDefault(value: string): string {
  return value.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expr: string) => {
    if (expr === "github.token") return TOKEN;
    throw new Error(`unexpected expression ${expr} in an input default`);
  });
}

/** The runner's INPUT_* variables for a step `with:` these values: every declared input, its default when not given. */
function inputEnv(given: Record<string, string>): Record<string, string> {
  for (const name of Object.keys(given)) if (!(name in action.inputs)) throw new Error(`action.yml has no input ${name}`);
  return Object.fromEntries(
    Object.entries(action.inputs).map(([name, input]) => [inputEnvName(name), given[name] ?? expandDefault(input.default ?? "")]),
  );
}

describe("action.yml", () => {
  it("is a JavaScript action on Node 24 whose main is the committed bundle", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(existsSync(join(ROOT, action.runs.main)), "run `npm run build:action`").toBe(true);
  });

  it("declares the inputs the glue reads, under the variable names the runner exports", () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(ACTION_INPUT_ENV).sort());
    for (const [input, env] of Object.entries(ACTION_INPUT_ENV)) expect(env).toBe(inputEnvName(input));
    expect(inputEnvName("github-token")).toBe("INPUT_GITHUB-TOKEN");
    expect(action.inputs["github-token"]!.default).toBe("${{ github.token }}");
    expect(action.inputs.config!.default).toBe(".github/mx-guard.yml");
    expect(action.inputs["fail-on-findings"]!.default).toBe("true");
    expect(action.inputs.report!.default).toBe("true");
  });

  it("declares exactly the outputs the glue writes (a JavaScript action's outputs have no value:)", () => {
    expect(Object.keys(action.outputs).sort()).toEqual(OUTPUTS);
    for (const output of Object.values(action.outputs)) expect(output.value).toBeUndefined();
  });
});

// ---- dist/index.js as a real process against a fake API on loopback ---------------------------

interface Seen {
  method: string;
  path: string;
  authorization: string | undefined;
  body: any;
  raw: string;
}

const CHECK_RUN_URL = "https://github.com/Codertocat/Hello-World/runs/31";
const ARTIFACT_SERVICE = "/twirp/github.actions.results.api.v1.ArtifactService";

let server: Server;
let apiUrl: string;
/** The action as the runner downloads it: the repository's files, no node_modules. */
let actionPath: string;
let seen: Seen[] = [];
let scenario: "campaign" | "docs" = "campaign";
const runners: Runner[] = [];

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let data = "";
    req.on("data", (c: Buffer) => (data += c.toString("utf8")));
    req.on("end", () => resolveBody(data));
    req.on("error", reject);
  });
}

/** Only what the App asks for on one pull request, and the artifact service; anything else is a 404 and shows in `seen`. */
function answer(method: string, path: string, request: any): [number, unknown, string?] {
  const route = `${method} ${path.replace(/\?.*$/, "")}`;
  switch (route) {
    case `GET ${REPO_PATH}/commits/${HEAD_SHA}/check-runs`:
      return [200, { total_count: 0, check_runs: [] }];
    case `POST ${REPO_PATH}/check-runs`:
      return [201, { id: 31, html_url: CHECK_RUN_URL, check_suite: { id: 700 } }];
    case `PATCH ${REPO_PATH}/check-runs/31`:
      return [200, { id: 31 }];
    case `GET ${REPO_PATH}/compare/${BASE_SHA}...${HEAD_SHA}`:
      return [200, { merge_base_commit: { sha: BASE_SHA }, files: [] }];
    case `GET ${REPO_PATH}/contents/.github%2Fmx-guard.yml`:
      return [200, POLICY, "application/vnd.github.raw; charset=utf-8"];
    case `GET ${REPO_PATH}/pulls/${PULL}/files`:
      return [200, changedFiles(scenario)];
    case "POST /graphql":
      // A docs-only change leaves every watched file's blob as it was on the base.
      return [
        200,
        scenario === "docs" ? snapshotAnswer(request, { [BASE_SHA]: BASE_TREE, [HEAD_SHA]: BASE_TREE }) : snapshotAnswer(request),
      ];
    case `POST ${REPO_PATH}/pulls/${PULL}/reviews`:
      return [200, { id: 1 }];
    case `POST ${REPO_PATH}/issues/${PULL}/comments`:
      return [201, { id: 2 }];
    // This workflow run: the check run above is in its check suite.
    case `GET ${REPO_PATH}/actions/runs/9876543210`:
      return [200, { id: 9876543210, check_suite_id: 700 }];
    // The artifact service (Twirp, JSON) and the blob storage it hands out an upload URL for.
    case `POST ${ARTIFACT_SERVICE}/CreateArtifact`:
      return [200, { ok: true, signed_upload_url: `${apiUrl}/blob/report?sig=test` }];
    case "PUT /blob/report":
      return [201, ""];
    case `POST ${ARTIFACT_SERVICE}/FinalizeArtifact`:
      return [200, { ok: true, artifact_id: "4242" }];
    default:
      return [404, { message: "Not Found" }];
  }
}

beforeAll(async () => {
  actionPath = mkdtempSync(join(tmpdir(), "mx-guard-action-path-"));
  for (const file of ["action.yml", "package.json", action.runs.main])
    cpSync(join(ROOT, file), join(actionPath, file), { recursive: true });
  expect(existsSync(join(actionPath, "node_modules"))).toBe(false);
  expect(existsSync(join(dirname(actionPath), "node_modules"))).toBe(false);
  server = createServer((req, res) => {
    void body(req).then((raw) => {
      const parsed = raw && req.headers["content-type"]?.includes("json") ? JSON.parse(raw) : raw;
      seen.push({ method: req.method!, path: req.url!, authorization: req.headers.authorization, body: parsed, raw });
      const [status, payload, type] = answer(req.method!, req.url!, parsed);
      res.writeHead(status, { "content-type": type ?? "application/json; charset=utf-8" });
      res.end(typeof payload === "string" ? payload : JSON.stringify(payload));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.address();
  apiUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterEach(() => {
  seen = [];
  for (const r of runners.splice(0)) r.cleanup();
});

afterAll(async () => {
  await stopAll();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(actionPath, { recursive: true, force: true });
});

/** A runtime token as the artifact client reads it: a JWT whose `scp` names the run's and the job's backend ids. */
function runtimeToken(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part({ scp: "Actions.GenericRead Actions.Results:run-backend-id:job-backend-id" })}.`;
}

/** dist/index.js as the runner starts a node24 action: `node <main>`, the job's environment, the inputs as INPUT_*. */
async function runAction(
  given: Record<string, string>,
  extra: Record<string, string> = {},
): Promise<{ code: number | null; output: string; r: Runner }> {
  const r = runner({ env: { GITHUB_API_URL: apiUrl, GITHUB_GRAPHQL_URL: `${apiUrl}/graphql` } });
  runners.push(r);
  const runnerEnv = Object.fromEntries(Object.entries(r.env).filter(([name]) => !name.startsWith("INPUT_")));
  const child = start(process.execPath, [join(actionPath, action.runs.main)], {
    cwd: r.dir,
    env: cleanEnv({ ...runnerEnv, ...inputEnv(given), RUNNER_TEMP: r.dir, GITHUB_ACTION_PATH: actionPath, LOG_LEVEL: "warn", ...extra }),
  });
  const code = await withTimeout(child.exited, 45_000, "dist/index.js").finally(() => stop(child));
  return { code, output: child.output(), r };
}

const routes = () => seen.map((s) => `${s.method} ${s.path.replace(/\?.*$/, "")}`);

describe("dist/index.js, started as the runner starts it", () => {
  it("reviews a pull request that cuts Gmail's quota and fails the job (exit 1)", async () => {
    scenario = "campaign";
    const { code, output, r } = await runAction({ report: "false" });
    expect(code, output).toBe(1);
    expect(seen.every((s) => s.authorization === `token ${TOKEN}`)).toBe(true);
    expect(routes()).toEqual([
      `GET ${REPO_PATH}/commits/${HEAD_SHA}/check-runs`,
      `POST ${REPO_PATH}/check-runs`,
      `GET ${REPO_PATH}/compare/${BASE_SHA}...${HEAD_SHA}`,
      `GET ${REPO_PATH}/contents/.github%2Fmx-guard.yml`,
      `GET ${REPO_PATH}/pulls/${PULL}/files`,
      "POST /graphql",
      `PATCH ${REPO_PATH}/check-runs/31`,
      `POST ${REPO_PATH}/pulls/${PULL}/reviews`,
      `POST ${REPO_PATH}/issues/${PULL}/comments`,
      // Which check suite GitHub put the check run in: this workflow run's (no warning).
      `GET ${REPO_PATH}/actions/runs/9876543210`,
    ]);
    expect(seen[1]!.body).toMatchObject({
      name: "MX Guard",
      details_url: "https://github.com/Codertocat/Hello-World/actions/runs/9876543210",
    });
    expect(seen[6]!.body).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(String(seen[8]!.body.body)).toContain(STICKY_MARKER);
    expect(outputs(r.outputFile)).toEqual({
      conclusion: "failure",
      "check-run-id": "31",
      "check-run-url": CHECK_RUN_URL,
      "report-url": "",
    });
    expect(Object.keys(outputs(r.outputFile)).sort()).toEqual(OUTPUTS);
    expect(output).toContain("::error title=MX Guard::");
    expect(output).not.toContain("::warning");
  });

  it("passes (exit 0) with fail-on-findings: false, and when no Campaign file changed", async () => {
    scenario = "campaign";
    let run = await runAction({ "fail-on-findings": "false", report: "false" });
    expect(run.code, run.output).toBe(0);
    expect(outputs(run.r.outputFile).conclusion).toBe("failure");
    seen = [];
    scenario = "docs";
    run = await runAction({});
    expect(run.code, run.output).toBe(0);
    expect(outputs(run.r.outputFile).conclusion).toBe("success");
    // The watched files' blob ids at base and head (one GraphQL query) decide that nothing changed:
    // the engine does not run, so there is no report to upload either.
    expect(routes()).toEqual([
      `GET ${REPO_PATH}/commits/${HEAD_SHA}/check-runs`,
      `POST ${REPO_PATH}/check-runs`,
      // The merge base: the base side is what GitHub's diff shows, not the base branch's tip.
      `GET ${REPO_PATH}/compare/${BASE_SHA}...${HEAD_SHA}`,
      `GET ${REPO_PATH}/contents/.github%2Fmx-guard.yml`,
      `GET ${REPO_PATH}/pulls/${PULL}/files`,
      "POST /graphql",
      `PATCH ${REPO_PATH}/check-runs/31`,
      `GET ${REPO_PATH}/actions/runs/9876543210`,
    ]);
  });

  it("uploads the report through the bundled artifact client and links it from the check run (report's default: on)", async () => {
    scenario = "campaign";
    const { code, output, r } = await runAction(
      {},
      { ACTIONS_RUNTIME_TOKEN: runtimeToken(), ACTIONS_RESULTS_URL: `${apiUrl}/`, ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY: "1" },
    );
    expect(code, output).toBe(1);
    const create = seen.find((s) => s.path === `${ARTIFACT_SERVICE}/CreateArtifact`);
    expect(create?.body).toMatchObject({
      workflow_run_backend_id: "run-backend-id",
      workflow_job_run_backend_id: "job-backend-id",
      name: REPORT.file,
    });
    const report = readFileSync(join(r.dir, "mx-guard-report-9876543210-1", REPORT.file), "utf8");
    const uploaded = seen
      .filter((s) => s.method === "PUT" && s.path.startsWith("/blob/report") && !s.path.includes("comp=blocklist"))
      .map((s) => s.raw)
      .join("");
    expect(uploaded).toBe(report);
    expect(seen.some((s) => s.path === `${ARTIFACT_SERVICE}/FinalizeArtifact`)).toBe(true);
    const url = "https://github.com/Codertocat/Hello-World/actions/runs/9876543210/artifacts/4242";
    const patch = seen.find((s) => s.method === "PATCH" && s.body?.status === "completed")!;
    expect(patch.body.output.summary).toContain(`](${url})`);
    expect(patch.body.conclusion).toBe("failure");
    expect(outputs(r.outputFile)["report-url"]).toBe(url);
    expect(readFileSync(r.summaryFile, "utf8")).toContain(url);
  });
});
