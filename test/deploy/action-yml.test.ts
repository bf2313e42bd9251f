/**
 * action.yml as the runner executes it: its inputs reach the glue under the names the glue reads,
 * its outputs are the ones the glue writes, the install step runs (with npm stubbed: no registry
 * here), and the run step, started as a real process with bash exactly as written, reviews a pull
 * request against a GitHub API fake on 127.0.0.1 and sets the job's exit code.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ACTION_INPUT_ENV } from "../../src/action/settings.js";
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

interface Step {
  name: string;
  id?: string;
  shell: string;
  run: string;
  env?: Record<string, string>;
  "working-directory"?: string;
}
interface ActionYml {
  name: string;
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const text = readFileSync(join(ROOT, "action.yml"), "utf8");
const action = parse(text) as ActionYml;
const runStep = action.runs.steps.find((s) => s.run.includes("mx-guard-action.js"))!;
const installStep = action.runs.steps.find((s) => s.run.includes("npm ci"))!;

/** `${{ inputs.x }}` → the input's value; `${{ github.token }}` → the workflow token. */
function expand(value: string, inputs: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expr: string) => {
    if (expr.startsWith("inputs.")) return expand(inputs[expr.slice(7)] ?? action.inputs[expr.slice(7)]?.default ?? "", inputs);
    if (expr === "github.token") return TOKEN;
    if (expr === "github.action_path") return ROOT;
    throw new Error(`unexpected expression ${expr}`);
  });
}

describe("action.yml", () => {
  it("is a composite action with the documented inputs and defaults", () => {
    expect(action.runs.using).toBe("composite");
    expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(ACTION_INPUT_ENV).sort());
    expect(action.inputs["github-token"]!.default).toBe("${{ github.token }}");
    expect(action.inputs.config!.default).toBe(".github/mx-guard.yml");
    expect(action.inputs["fail-on-findings"]!.default).toBe("true");
    for (const step of action.runs.steps) expect(step.shell, step.name).toBe("bash");
  });

  it("references only inputs it declares, and hands each one to the glue under the name it reads", () => {
    for (const [, name] of text.matchAll(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g)) expect(Object.keys(action.inputs)).toContain(name);
    const expected = Object.fromEntries(Object.entries(ACTION_INPUT_ENV).map(([input, env]) => [env, `\${{ inputs.${input} }}`]));
    expect(runStep.env).toEqual(expected);
  });

  it("declares the outputs the glue writes", () => {
    expect(runStep.id).toBeDefined();
    expect(action.outputs).toEqual({
      conclusion: expect.objectContaining({ value: `\${{ steps.${runStep.id}.outputs.conclusion }}` }),
      "check-run-id": expect.objectContaining({ value: `\${{ steps.${runStep.id}.outputs.check-run-id }}` }),
      "check-run-url": expect.objectContaining({ value: `\${{ steps.${runStep.id}.outputs.check-run-url }}` }),
    });
  });

  it("starts a script that exists and loads the compiled glue", () => {
    expect(existsSync(join(ROOT, "bin/mx-guard-action.js"))).toBe(true);
    expect(readFileSync(join(ROOT, "bin/mx-guard-action.js"), "utf8")).toContain('from "../lib/action/main.js"');
    expect(existsSync(join(ROOT, "lib/action/main.js")), "run `npm run build` first").toBe(true);
  });

  it("install step: checks Node and runs npm ci without scripts, then the build, in the action's folder", () => {
    const bin = mkdtempSync(join(tmpdir(), "mx-guard-npm-stub-"));
    try {
      const log = join(bin, "calls");
      writeFileSync(join(bin, "npm"), `#!/bin/sh\necho "$PWD|$*" >> "${log}"\n`);
      chmodSync(join(bin, "npm"), 0o755);
      const result = spawnSync("bash", ["-e", "-c", expand(installStep.run, {})], {
        cwd: expand(installStep["working-directory"] ?? "", {}),
        env: cleanEnv({ PATH: `${bin}:${process.env.PATH}` }),
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(result.status, result.stderr).toBe(0);
      const calls = readFileSync(log, "utf8").trim().split("\n");
      expect(calls).toHaveLength(2);
      expect(calls[0]).toMatch(new RegExp(`^${ROOT}\\|ci .*--ignore-scripts`));
      expect(calls[1]).toMatch(new RegExp(`^${ROOT}\\|run build`));
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

// ---- the run step as a real process against a fake API on loopback ----------------------------

interface Seen {
  method: string;
  path: string;
  authorization: string | undefined;
  body: any;
}

let server: Server;
let apiUrl: string;
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

/** Only what the App asks for on one pull request; anything else is a 404 and shows in `seen`. */
function answer(method: string, path: string, request: any): [number, unknown, string?] {
  const route = `${method} ${path.replace(/\?.*$/, "")}`;
  switch (route) {
    case `GET ${REPO_PATH}/commits/${HEAD_SHA}/check-runs`:
      return [200, { total_count: 0, check_runs: [] }];
    case `POST ${REPO_PATH}/check-runs`:
      return [201, { id: 31 }];
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
    default:
      return [404, { message: "Not Found" }];
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void body(req).then((raw) => {
      const parsed = raw && req.headers["content-type"]?.includes("json") ? JSON.parse(raw) : raw;
      seen.push({ method: req.method!, path: req.url!, authorization: req.headers.authorization, body: parsed });
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
});

/** The run step as the runner runs it: bash, the step's env with inputs expanded, GITHUB_ACTION_PATH. */
async function runStepProcess(inputs: Record<string, string>): Promise<{ code: number | null; output: string; r: Runner }> {
  const r = runner({ env: { GITHUB_API_URL: apiUrl, GITHUB_GRAPHQL_URL: `${apiUrl}/graphql` } });
  runners.push(r);
  const stepEnv = Object.fromEntries(Object.entries(runStep.env ?? {}).map(([k, v]) => [k, expand(v, inputs)]));
  const { INPUT_GITHUB_TOKEN: _t, INPUT_CONFIG: _c, INPUT_FAIL_ON_FINDINGS: _f, ...runnerEnv } = r.env;
  const child = start("bash", ["-e", "-c", runStep.run], {
    cwd: r.dir,
    env: cleanEnv({ ...runnerEnv, ...stepEnv, GITHUB_ACTION_PATH: ROOT, LOG_LEVEL: "warn" }),
  });
  const code = await withTimeout(child.exited, 45_000, "the action's run step").finally(() => stop(child));
  return { code, output: child.output(), r };
}

describe("the run step, as a real process", () => {
  it("reviews a pull request that cuts Gmail's quota and fails the job (exit 1)", async () => {
    scenario = "campaign";
    const { code, output, r } = await runStepProcess({});
    expect(code, output).toBe(1);
    expect(seen.every((s) => s.authorization === `token ${TOKEN}`)).toBe(true);
    expect(seen.map((s) => `${s.method} ${s.path.replace(/\?.*$/, "")}`)).toEqual([
      `GET ${REPO_PATH}/commits/${HEAD_SHA}/check-runs`,
      `POST ${REPO_PATH}/check-runs`,
      `GET ${REPO_PATH}/compare/${BASE_SHA}...${HEAD_SHA}`,
      `GET ${REPO_PATH}/contents/.github%2Fmx-guard.yml`,
      `GET ${REPO_PATH}/pulls/${PULL}/files`,
      "POST /graphql",
      `PATCH ${REPO_PATH}/check-runs/31`,
      `POST ${REPO_PATH}/pulls/${PULL}/reviews`,
      `POST ${REPO_PATH}/issues/${PULL}/comments`,
    ]);
    expect(seen[6]!.body).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(String(seen[8]!.body.body)).toContain(STICKY_MARKER);
    expect(outputs(r.outputFile)).toMatchObject({ conclusion: "failure", "check-run-id": "31" });
    expect(outputs(r.outputFile)["check-run-url"]).toMatch(/\/runs\/31$/);
    expect(output).toContain("::error title=MX Guard::");
  });

  it("passes (exit 0) with fail-on-findings: false, and when no Campaign file changed", async () => {
    scenario = "campaign";
    let run = await runStepProcess({ "fail-on-findings": "false" });
    expect(run.code, run.output).toBe(0);
    expect(outputs(run.r.outputFile).conclusion).toBe("failure");
    seen = [];
    scenario = "docs";
    run = await runStepProcess({});
    expect(run.code, run.output).toBe(0);
    expect(outputs(run.r.outputFile).conclusion).toBe("success");
    // The watched files' blob ids at base and head (one GraphQL query) decide that nothing changed.
    expect(seen.map((s) => `${s.method} ${s.path.replace(/\?.*$/, "")}`)).toEqual([
      `GET ${REPO_PATH}/commits/${HEAD_SHA}/check-runs`,
      `POST ${REPO_PATH}/check-runs`,
      // The merge base: the base side is what GitHub's diff shows, not the base branch's tip.
      `GET ${REPO_PATH}/compare/${BASE_SHA}...${HEAD_SHA}`,
      `GET ${REPO_PATH}/contents/.github%2Fmx-guard.yml`,
      `GET ${REPO_PATH}/pulls/${PULL}/files`,
      "POST /graphql",
      `PATCH ${REPO_PATH}/check-runs/31`,
    ]);
  });
});
