/**
 * The CLI in CI: the built `mx-guard` (bin/mx-guard.js → lib/) run under Node and under Bun on a
 * scratch git repository with two commits of the example (the second cuts Gmail's hourly quota),
 * the SARIF it prints checked against what code scanning needs, and the example workflows' own
 * `run:` blocks executed with bash as the runner would (npx stubbed to the local build).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT, RULES, cleanEnv, exampleRepository, git } from "./helpers.js";

const BUN = join(ROOT, "node_modules/.bin/bun");
const RUNTIMES = { node: process.execPath, bun: BUN } as const;
type RuntimeName = keyof typeof RUNTIMES;

let repo: ReturnType<typeof exampleRepository>;
const sarifBy: Partial<Record<RuntimeName, string>> = {};

beforeAll(() => {
  expect(existsSync(join(ROOT, "lib/cli/main.js")), "run `npm run build` first").toBe(true);
  expect(existsSync(BUN), "bun is a devDependency").toBe(true);
  repo = exampleRepository();
});

afterAll(() => repo?.cleanup());

function cli(runtime: RuntimeName, args: string[], cwd = ROOT) {
  return spawnSync(RUNTIMES[runtime], [join(ROOT, "bin/mx-guard.js"), ...args], {
    cwd,
    env: cleanEnv({}),
    encoding: "utf8",
    timeout: 60_000,
  });
}

const LEVELS = ["error", "warning", "note", "none"];
const BASELINE = ["new", "unchanged", "updated", "absent"];

/** What code scanning's upload needs from a SARIF 2.1.0 log, and what mx-guard promises in it. */
function checkSarif(
  text: string,
  headRevision: string,
): { ruleId: string; level: string; baselineState?: string; uri: string; startLine: number }[] {
  const log = JSON.parse(text) as any;
  expect(log.version).toBe("2.1.0");
  expect(log.$schema).toMatch(/sarif-2\.1\.0/);
  expect(log.runs).toHaveLength(1);
  const run = log.runs[0];
  expect(run.tool.driver.name).toBe("mx-guard");
  const rules = run.tool.driver.rules as { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[];
  expect(rules.length).toBeGreaterThan(0);
  expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  for (const rule of rules) {
    expect(rule.shortDescription.text.length).toBeGreaterThan(0);
    expect(LEVELS).toContain(rule.defaultConfiguration.level);
  }
  const flat: { ruleId: string; level: string; baselineState?: string; uri: string; startLine: number }[] = [];
  for (const result of run.results) {
    expect(rules[result.ruleIndex]?.id).toBe(result.ruleId);
    expect(LEVELS).toContain(result.level);
    expect(result.message.text.length).toBeGreaterThan(0);
    if (result.baselineState !== undefined) expect(BASELINE).toContain(result.baselineState);
    for (const value of Object.values(result.partialFingerprints as Record<string, unknown>)) expect(typeof value).toBe("string");
    for (const location of result.locations) {
      const { artifactLocation, region } = location.physicalLocation;
      // Repository-relative, so code scanning maps it onto the checkout.
      expect(artifactLocation.uri).not.toMatch(/^(\/|[a-z]+:)/i);
      expect(artifactLocation.uriBaseId).toBe("%SRCROOT%");
      const file = git(repo.dir, "show", `${headRevision}:${decodeURIComponent(artifactLocation.uri)}`);
      expect(Number.isInteger(region.startLine)).toBe(true);
      expect(region.startLine).toBeGreaterThanOrEqual(1);
      expect(region.endLine ?? region.startLine).toBeLessThanOrEqual(file.split("\n").length);
      flat.push({
        ruleId: result.ruleId,
        level: result.level,
        baselineState: result.baselineState,
        uri: artifactLocation.uri,
        startLine: region.startLine,
      });
    }
  }
  return flat;
}

describe.each(["node", "bun"] as const)("mx-guard diff --format sarif under %s", (runtime) => {
  it("fails (exit 1) on the quota cut and prints SARIF that code scanning accepts, with the new findings on the rule", () => {
    const run = cli(runtime, ["diff", repo.base, repo.head, "--repo", repo.dir, "--format", "sarif"]);
    expect(run.status, run.stderr).toBe(1);
    sarifBy[runtime] = run.stdout;
    const results = checkSarif(run.stdout, repo.head);
    const newErrors = results.filter((r) => r.baselineState === "new" && r.level === "error");
    expect(newErrors.length).toBeGreaterThan(0);
    expect(new Set(newErrors.map((r) => r.uri))).toEqual(new Set([RULES]));
    const ruleLine =
      readFileSync(join(ROOT, "examples/campaign-repo", RULES), "utf8")
        .split("\n")
        .findIndex((l) => l.includes('mask: "*.google.com"')) + 1;
    expect(newErrors.every((r) => r.startLine === ruleLine)).toBe(true);
  });

  it("passes (exit 0) on two identical revisions, with no new finding", () => {
    const run = cli(runtime, ["diff", repo.base, repo.base, "--repo", repo.dir, "--format", "sarif"]);
    expect(run.status, run.stderr).toBe(0);
    const results = checkSarif(run.stdout, repo.base);
    expect(results.filter((r) => r.baselineState === "new")).toEqual([]);
  });

  it("answers 2 for a revision that is not in the clone (a checkout without fetch-depth: 0)", () => {
    const run = cli(runtime, ["diff", "origin/release", "HEAD", "--repo", repo.dir, "--format", "sarif"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("BASE origin/release");
  });
});

describe("Node and Bun", () => {
  it("print the same SARIF", () => {
    expect(sarifBy.node).toBeDefined();
    expect(sarifBy.bun).toBe(sarifBy.node);
  });
});

// ---- the example workflows' steps -------------------------------------------------------------

interface WorkflowStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, { steps: WorkflowStep[]; permissions?: Record<string, string> }>;
}

function workflow(name: string): Workflow {
  return parse(readFileSync(join(ROOT, "docs/examples", name), "utf8")) as Workflow;
}

/**
 * A directory with an `npx` that runs this repository's build instead of downloading mx-guard,
 * under the given runtime, and logs how it was called.
 */
function stubNpx(runtime: RuntimeName): { bin: string; calls: () => string[]; cleanup: () => void } {
  const bin = mkdtempSync(join(tmpdir(), "mx-guard-npx-"));
  const log = join(bin, "calls");
  writeFileSync(log, "");
  writeFileSync(
    join(bin, "npx"),
    `#!/usr/bin/env bash
echo "$*" >> "${log}"
[ "$1" = "--yes" ] && shift
# Only MX Guard from its git repository (github:<owner>/mx-guard#<tag>): nothing from the npm registry.
case "$1" in github:*/mx-guard#v*) shift ;; *) echo "npx stub: unexpected package $1" >&2; exit 99 ;; esac
exec "${RUNTIMES[runtime]}" "${join(ROOT, "bin/mx-guard.js")}" "$@"
`,
  );
  chmodSync(join(bin, "npx"), 0o755);
  return {
    bin,
    calls: () => readFileSync(log, "utf8").trim().split("\n").filter(Boolean),
    cleanup: () => rmSync(bin, { recursive: true, force: true }),
  };
}

/** A `run:` block as GitHub runs it on Linux: bash --noprofile --norc -eo pipefail. */
function runBlock(script: string, env: Record<string, string>, cwd: string) {
  return spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd, env, encoding: "utf8", timeout: 60_000 });
}

/** `${{ github.base_ref }}` → main (the pull request's base branch in the scratch repository). */
function stepEnv(step: WorkflowStep): Record<string, string> {
  return Object.fromEntries(
    Object.entries(step.env ?? {}).map(([k, v]) => {
      if (v !== "${{ github.base_ref }}") throw new Error(`unexpected step env ${k}: ${v}`);
      return [k, "main"];
    }),
  );
}

function checkoutStep(steps: WorkflowStep[]): WorkflowStep {
  const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"));
  expect(checkout?.with?.["fetch-depth"]).toBe(0);
  return checkout!;
}

describe("docs/examples/mx-guard-sarif.yml", () => {
  const wf = workflow("mx-guard-sarif.yml");
  const steps = wf.jobs["mx-guard"]!.steps;
  const simulate = steps.find((s) => s.id === "mx-guard")!;
  const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))!;
  const fail = steps.find((s) => s.name === "Fail on findings")!;

  it("checks out full history, may upload SARIF and reads nothing more", () => {
    checkoutStep(steps);
    expect(wf.permissions).toEqual({ contents: "read", "security-events": "write" });
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    expect(upload.with).toMatchObject({ sarif_file: "mx-guard.sarif" });
    expect(simulate.run).toContain('diff "origin/$BASE_REF" HEAD --format sarif > mx-guard.sarif');
    expect(steps.indexOf(simulate)).toBeLessThan(steps.indexOf(upload));
    expect(steps.indexOf(upload)).toBeLessThan(steps.indexOf(fail));
  });

  for (const runtime of ["node", "bun"] as const) {
    it(`its simulate step writes a SARIF log and exit-code=1 on the quota cut, then its last step fails the job (${runtime})`, () => {
      const npx = stubNpx(runtime);
      const work = mkdtempSync(join(tmpdir(), "mx-guard-runner-"));
      try {
        const outputFile = join(work, "output");
        writeFileSync(outputFile, "");
        const env = cleanEnv({ ...wf.env, ...stepEnv(simulate), GITHUB_OUTPUT: outputFile, PATH: `${npx.bin}:${process.env.PATH}` });
        git(repo.dir, "checkout", "-q", "change");
        const step = runBlock(simulate.run!, env, repo.dir);
        // The step itself succeeds: code 1 means findings, and the SARIF must still be uploaded.
        expect(step.status, step.stderr).toBe(0);
        expect(npx.calls()).toEqual([`--yes ${wf.env!.MX_GUARD} diff origin/main HEAD --format sarif`]);
        expect(readFileSync(outputFile, "utf8")).toBe("exit-code=1\n");
        const sarif = readFileSync(join(repo.dir, "mx-guard.sarif"), "utf8");
        // The same log as the direct run of the same two commits above.
        expect(sarifBy[runtime]).toBeDefined();
        expect(sarif).toBe(sarifBy[runtime]);
        expect(checkSarif(sarif, "HEAD").some((r) => r.baselineState === "new")).toBe(true);
        // Upload runs for exit codes 0 and 1, the final step fails the job for 1.
        expect(upload.if).toContain("steps.mx-guard.outputs.exit-code == '1'");
        expect(fail.if).toBe("${{ steps.mx-guard.outputs.exit-code == '1' }}");
        expect(runBlock(fail.run!, env, repo.dir).status).toBe(1);
      } finally {
        rmSync(join(repo.dir, "mx-guard.sarif"), { force: true });
        rmSync(work, { recursive: true, force: true });
        npx.cleanup();
      }
    });
  }

  it("its simulate step fails (and nothing is uploaded) when the base is not in the clone", () => {
    const npx = stubNpx("node");
    const work = mkdtempSync(join(tmpdir(), "mx-guard-runner-"));
    try {
      const outputFile = join(work, "output");
      writeFileSync(outputFile, "");
      const env = cleanEnv({ ...wf.env, BASE_REF: "release", GITHUB_OUTPUT: outputFile, PATH: `${npx.bin}:${process.env.PATH}` });
      const step = runBlock(simulate.run!, env, repo.dir);
      expect(step.status).not.toBe(0);
      expect(readFileSync(outputFile, "utf8")).toBe("exit-code=2\n");
      expect(upload.if).not.toContain("== '2'");
    } finally {
      rmSync(join(repo.dir, "mx-guard.sarif"), { force: true });
      rmSync(work, { recursive: true, force: true });
      npx.cleanup();
    }
  });
});

describe("docs/examples/mx-guard-cli.yml", () => {
  const wf = workflow("mx-guard-cli.yml");
  const steps = wf.jobs["mx-guard"]!.steps;
  const simulate = steps.find((s) => s.run?.includes("$MX_GUARD"))!;

  it("needs read access only and full history", () => {
    checkoutStep(steps);
    expect(wf.permissions).toEqual({ contents: "read" });
  });

  it("writes the Markdown report to the job summary, the text report to the log, and fails the job on the quota cut", () => {
    const npx = stubNpx("node");
    const work = mkdtempSync(join(tmpdir(), "mx-guard-runner-"));
    try {
      const summary = join(work, "summary");
      writeFileSync(summary, "");
      const env = cleanEnv({ ...wf.env, ...stepEnv(simulate), GITHUB_STEP_SUMMARY: summary, PATH: `${npx.bin}:${process.env.PATH}` });
      git(repo.dir, "checkout", "-q", "change");
      const step = runBlock(simulate.run!, env, repo.dir);
      expect(step.status).toBe(1);
      const markdown = readFileSync(summary, "utf8");
      expect(markdown).toBe(
        execFileSync(
          process.execPath,
          [join(ROOT, "bin/mx-guard.js"), "diff", "origin/main", "HEAD", "--repo", repo.dir, "--format", "markdown", "--exit-zero"],
          { encoding: "utf8", env: cleanEnv({}) },
        ),
      );
      expect(markdown).toMatch(/^#|\|/m);
      expect(step.stdout.length).toBeGreaterThan(0);
      expect(step.stdout).not.toBe(markdown);

      // The same step on an unchanged branch passes.
      git(repo.dir, "checkout", "-q", "main");
      writeFileSync(summary, "");
      expect(runBlock(simulate.run!, env, repo.dir).status).toBe(0);
    } finally {
      git(repo.dir, "checkout", "-q", "change");
      rmSync(work, { recursive: true, force: true });
      npx.cleanup();
    }
  });
});

describe("the CLI examples", () => {
  it("take MX Guard from its git repository at a tag, not from the npm registry", () => {
    for (const file of ["mx-guard-cli.yml", "mx-guard-sarif.yml"]) {
      const wf = workflow(file);
      expect(wf.env?.MX_GUARD, file).toMatch(/^github:[\w-]+\/mx-guard#v\d+(\.\d+)*$/);
      const scripts = wf.jobs["mx-guard"]!.steps.map((s) => s.run ?? "").join("\n");
      expect(scripts, file).not.toMatch(/npx[^\n]*\bmx-guard@/);
    }
  });
});

describe("docs/examples/mx-guard-action.yml", () => {
  const wf = workflow("mx-guard-action.yml");
  const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as { inputs: Record<string, unknown> };
  const steps = wf.jobs["mx-guard"]!.steps;

  it("grants exactly the permissions the Action needs and passes only inputs action.yml declares", () => {
    expect(wf.permissions).toEqual({ contents: "read", checks: "write", "pull-requests": "write", actions: "read" });
    const uses = steps.find((s) => s.uses?.includes("mx-guard"))!;
    for (const input of Object.keys(uses.with ?? {})) expect(Object.keys(action.inputs)).toContain(input);
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    const types = (wf.on.pull_request as { types: string[] }).types;
    expect(types.sort()).toEqual(["opened", "ready_for_review", "reopened", "synchronize"]);
  });

  it("runs the Action from its repository at a tag (dist/ in the tagged commit): no setup-node, no install step", () => {
    expect(steps).toHaveLength(1);
    expect(steps[0]!.uses).toMatch(/^[\w-]+\/mx-guard@v\d+(\.\d+)*$/);
    expect(steps.some((s) => s.run !== undefined || s.uses?.startsWith("actions/setup-node"))).toBe(false);
  });

  it("never cancels a run in progress (a cancelled run would leave the required check hanging)", () => {
    const concurrency = (wf as unknown as { concurrency: { "cancel-in-progress": boolean } }).concurrency;
    expect(concurrency["cancel-in-progress"]).toBe(false);
    expect(Object.values(wf.jobs).every((j) => (j as { name?: string }).name !== "MX Guard")).toBe(true);
  });
});
