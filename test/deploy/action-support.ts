/**
 * What the Action tests share: the example repository's files at a base and a head commit (the
 * head cuts Gmail's hourly quota tenfold), a runner environment with an event file, and a small
 * answer to the App's GraphQL snapshot query.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACTION_INPUT_ENV } from "../../src/action/settings.js";
import { CUT_QUOTA, EXAMPLE, GMAIL_QUOTA, ROOT, RULES } from "./helpers.js";

export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;
export const PULL = 2;
export const BASE_SHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
export const HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
export const TOKEN = "ghs_workflowToken0123456789abcdefABCDEF";

const read = (path: string) => readFileSync(join(EXAMPLE, path), "utf8");
export const POLICY = read(".github/mx-guard.yml");
/** The example, with deadlines its base meets: a fix is verified only when it meets them, so the cut gets one. */
export const BASE_TREE: Record<string, string> = Object.fromEntries(
  ["campaign/serverConf.xml", "campaign/config-prod.xml", RULES, "campaign/traffic.yaml"].map((p) => [
    p,
    p === "campaign/traffic.yaml" ? read(p).replace("deadline: 8h", "deadline: 12h").replace("deadline: 2h", "deadline: 12h") : read(p),
  ]),
);
export const HEAD_TREE: Record<string, string> = { ...BASE_TREE, [RULES]: BASE_TREE[RULES]!.replace(GMAIL_QUOTA, CUT_QUOTA) };
export const CHANGED_LINE = HEAD_TREE[RULES]!.split("\n").findIndex((l) => l.includes(CUT_QUOTA)) + 1;

/** The patch GitHub shows for the one changed line, with 3 lines of context each side. */
export function rulesPatch(): string {
  const a = BASE_TREE[RULES]!.split("\n");
  const b = HEAD_TREE[RULES]!.split("\n");
  const from = Math.max(1, CHANGED_LINE - 3);
  const to = Math.min(b.length, CHANGED_LINE + 3);
  const body: string[] = [];
  for (let n = from; n <= to; n++) {
    if (n === CHANGED_LINE) body.push(`-${a[n - 1]}`, `+${b[n - 1]}`);
    else body.push(` ${b[n - 1]}`);
  }
  return [`@@ -${from},${to - from + 1} +${from},${to - from + 1} @@`, ...body].join("\n");
}

export function changedFiles(kind: "campaign" | "docs"): Record<string, unknown>[] {
  const file =
    kind === "campaign"
      ? { filename: RULES, status: "modified", patch: rulesPatch() }
      : { filename: "docs/runbook.md", status: "modified", patch: "@@ -1 +1 @@\n-a\n+b" };
  return [{ sha: "0".repeat(40), additions: 1, deletions: 1, changes: 2, ...file }];
}

/** The GraphQL answer for the snapshot query: blobs by `<sha>:<path>` variable, no earlier posts. */
export function snapshotAnswer(
  body: { query: string; variables: Record<string, unknown> },
  trees: Record<string, Record<string, string>> = { [BASE_SHA]: BASE_TREE, [HEAD_SHA]: HEAD_TREE },
): Record<string, unknown> {
  const repository: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body.variables)) {
    if (!/^[bh]\d+$/.test(name)) continue;
    const expression = String(value);
    const at = expression.indexOf(":");
    const text = trees[expression.slice(0, at)]?.[expression.slice(at + 1)];
    repository[name] =
      text === undefined
        ? null
        : {
            oid: createHash("sha1").update(text).digest("hex"),
            text,
            isTruncated: false,
            isBinary: false,
            byteSize: Buffer.byteLength(text),
          };
  }
  if (body.query.includes("pullRequest(number: $number)")) {
    const page = { hasPreviousPage: false, startCursor: null };
    repository.pullRequest = { comments: { pageInfo: page, nodes: [] }, reviews: { pageInfo: page, nodes: [] } };
  }
  return { data: { repository } };
}

export interface Runner {
  dir: string;
  env: Record<string, string>;
  outputFile: string;
  summaryFile: string;
  cleanup: () => void;
}

/**
 * A runner's environment for one job: the event file (a fixture from test/fixtures/github with the
 * test's SHAs), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and the inputs as action.yml maps them.
 */
export function runner(
  options: { eventName?: string; action?: string; event?: Record<string, any>; env?: Record<string, string> } = {},
): Runner {
  const dir = mkdtempSync(join(tmpdir(), "mx-guard-action-"));
  const action = options.action ?? "opened";
  let event = options.event;
  if (!event) {
    const fixture = ["opened", "synchronize", "reopened", "ready_for_review"].includes(action) ? action : "opened";
    event = JSON.parse(readFileSync(join(ROOT, `test/fixtures/github/pull_request.${fixture}.json`), "utf8")) as Record<string, any>;
    event.action = action;
    event.pull_request.head.sha = HEAD_SHA;
    event.pull_request.base.sha = BASE_SHA;
    event.pull_request.draft = false;
  }
  const eventPath = join(dir, "event.json");
  writeFileSync(eventPath, JSON.stringify(event));
  const outputFile = join(dir, "output");
  const summaryFile = join(dir, "summary");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  const env: Record<string, string> = {
    GITHUB_EVENT_NAME: options.eventName ?? "pull_request",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_RUN_ID: "9876543210",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_API_URL: "https://api.github.com",
    GITHUB_GRAPHQL_URL: "https://api.github.com/graphql",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    [ACTION_INPUT_ENV["github-token"]]: TOKEN,
    [ACTION_INPUT_ENV.config]: ".github/mx-guard.yml",
    [ACTION_INPUT_ENV["fail-on-findings"]]: "true",
    // No report unless a test asks for one (action.test.ts checks it).
    [ACTION_INPUT_ENV.report]: "false",
    ...options.env,
  };
  return { dir, env, outputFile, summaryFile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** GITHUB_OUTPUT's `name=value` lines. */
export function outputs(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}
