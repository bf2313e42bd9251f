/**
 * Least privilege, checked against the code: every GitHub endpoint the App calls maps to a
 * permission that app.yml grants (at the access it needs), app.yml grants nothing no call needs,
 * and docs/github-app.md tells the same story. The endpoint list comes from two sides: a scan of
 * src/github/ for the client methods it names, and the requests a full run actually made.
 */
import { UNCHANGED_REPO } from "./helpers/github.js";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Probot, ProbotOctokit } from "probot";
import { createApp } from "../../src/github/app.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { RULES_BAD } from "./helpers/campaign.js";
import { createFakeEngine } from "./helpers/fake-engine.js";
import { BASE_SHA, HEAD_SHA, REPO_PATH, deliver, fixture, pullRequestEvent } from "./helpers/payloads.js";
import { privateKey } from "./helpers/probot.js";
import { RULES_CHANGED, RULES_REPO, scenario } from "./helpers/scenario.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

type Access = "read" | "write";
interface Need {
  permission: "checks" | "pull_requests" | "contents" | "merge_queues" | "metadata";
  access: Access;
  why: string;
}

/**
 * Every client method the App may call, with the permission GitHub documents for it (fine-grained
 * permissions of each REST endpoint; GraphQL reads need read access to what they select).
 */
const REST: Record<string, Need> = {
  "checks.listForRef": { permission: "checks", access: "read", why: "earlier runs on the commit" },
  "checks.create": { permission: "checks", access: "write", why: "create the MX Guard run" },
  "checks.update": { permission: "checks", access: "write", why: "complete it, with annotations" },
  "pulls.listFiles": { permission: "pull_requests", access: "read", why: "changed files and patches" },
  "pulls.get": { permission: "pull_requests", access: "read", why: "Re-run: the pull request of a commit" },
  "pulls.list": { permission: "pull_requests", access: "read", why: "Re-run from a fork: find the pull request" },
  "pulls.createReview": { permission: "pull_requests", access: "write", why: "the review" },
  "pulls.listReviews": { permission: "pull_requests", access: "read", why: "did a review POST that failed land?" },
  "pulls.createReviewComment": { permission: "pull_requests", access: "write", why: "file-level comments (subject_type: file)" },
  "pulls.listReviewComments": { permission: "pull_requests", access: "read", why: "did a file-level comment POST that failed land?" },
  "issues.listComments": { permission: "pull_requests", access: "read", why: "did a comment POST that failed land?" },
  // Issue comments on a pull request take "Pull requests: write" (or "Issues: write").
  "issues.createComment": { permission: "pull_requests", access: "write", why: "the summary comment" },
  "issues.updateComment": { permission: "pull_requests", access: "write", why: "edit the summary comment" },
  "issues.deleteComment": { permission: "pull_requests", access: "write", why: "delete duplicate summary comments" },
  "git.getBlob": { permission: "contents", access: "read", why: "files GraphQL truncated" },
  "repos.getContent": { permission: "contents", access: "read", why: "the policy (context.config)" },
  "repos.compareCommitsWithBasehead": { permission: "contents", access: "read", why: "the merge base; a merge group's files" },
  // The reconcile: the app's own installations (app JWT) and the repositories each can reach.
  "apps.listInstallations": { permission: "metadata", access: "read", why: "reconcile: the app's installations" },
  "apps.listReposAccessibleToInstallation": { permission: "metadata", access: "read", why: "reconcile: their repositories" },
};
const GRAPHQL: Need[] = [
  { permission: "contents", access: "read", why: "repository.object: files at base and head" },
  { permission: "pull_requests", access: "read", why: "repository.pullRequest: earlier comments, reviews and review threads" },
  {
    permission: "pull_requests",
    access: "write",
    why: "resolveReviewThread, minimizeComment: tidy fixed findings' threads and old summaries",
  },
];
const METADATA: Need = { permission: "metadata", access: "read", why: "every App" };
/** Events, not calls: GitHub sends merge_group only to Apps that can read merge queues. */
const EVENTS: Need[] = [{ permission: "merge_queues", access: "read", why: "merge_group.checks_requested" }];

const rank = (access: string): number => (access === "write" ? 2 : access === "read" ? 1 : 0);

function appYml(): { default_permissions: Record<string, string>; default_events: string[] } {
  return parse(readFileSync(join(ROOT, "app.yml"), "utf8")) as { default_permissions: Record<string, string>; default_events: string[] };
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith(".ts") ? [full] : [];
  });
}

/** "METHOD /route/{template}" of a client method, from Octokit's own endpoint table. */
function routeOf(method: string): string {
  const [namespace, name] = method.split(".") as [string, string];
  const octokit = new ProbotOctokit();
  const endpoint = (octokit.rest as unknown as Record<string, Record<string, { endpoint: { DEFAULTS: { method: string; url: string } } }>>)[
    namespace
  ]?.[name];
  if (!endpoint) throw new Error(`no such Octokit method: ${method}`);
  return `${endpoint.endpoint.DEFAULTS.method} ${endpoint.endpoint.DEFAULTS.url}`;
}

function matches(route: string, call: string): boolean {
  const [method, template] = route.split(" ") as [string, string];
  const pattern = new RegExp(`^${method} ${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
  return pattern.test(call);
}

describe("permissions: app.yml against the calls the App makes", () => {
  it("every client method named in src/github/ has a permission in the table", () => {
    const named = new Set<string>();
    let graphqlUsed = false;
    let configUsed = false;
    const unknown: string[] = [];
    for (const file of files(join(ROOT, "src/github"))) {
      const text = readFileSync(file, "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/\/\/.*$/gm, "");
      for (const m of text.matchAll(/\boctokit\s*\.\s*rest\s*\.\s*(\w+)\s*\.\s*(\w+)/g)) named.add(`${m[1]}.${m[2]}`);
      if (/\boctokit\s*\.\s*graphql\b/.test(text)) graphqlUsed = true;
      // Probot's context.config, or the same plugin's octokit.config.get (policy.ts).
      if (/\bcontext\s*\.\s*config\s*\(|\boctokit\s*\.\s*config\s*\.\s*get\s*\(/.test(text)) configUsed = true;
      // Raw requests would escape the table: none allowed without an entry.
      for (const m of text.matchAll(/\boctokit\s*\.\s*request\s*\(\s*["'`]([^"'`]+)/g))
        unknown.push(`${relative(ROOT, file)}: octokit.request(${m[1]})`);
    }
    expect(named.size).toBeGreaterThanOrEqual(9);
    expect(graphqlUsed).toBe(true);
    expect(configUsed).toBe(true);
    for (const method of named) if (!REST[method]) unknown.push(method);
    expect(unknown).toEqual([]);
  });

  it("app.yml grants each needed permission at the needed access, and nothing more", () => {
    const granted = appYml().default_permissions;
    const needs = [...Object.values(REST), ...GRAPHQL, METADATA, ...EVENTS];
    const needed = new Map<string, Access>();
    for (const need of needs) {
      expect(rank(granted[need.permission] ?? "none"), `${need.permission}: ${need.access} (${need.why})`).toBeGreaterThanOrEqual(
        rank(need.access),
      );
      if (rank(need.access) > rank(needed.get(need.permission) ?? "none")) needed.set(need.permission, need.access);
    }
    expect(granted).toEqual(Object.fromEntries(needed));
  });

  it("a full run and a Re-run from a fork only call endpoints of the table", async () => {
    const repo = {
      ...RULES_REPO,
      truncated: [`${HEAD_SHA}:campaign/mx-rules.yaml`],
      comments: [{ id: 7, body: "<!-- mx-guard:sticky -->\nold", mine: true }],
    };
    const full = await scenario({ files: RULES_CHANGED, repo, review: true, edit: 7 });
    const { probot } = full;
    full.scope.get(/\/git\/blobs\//).reply(200, RULES_BAD, { "content-type": "application/vnd.github.raw" });
    await deliver(probot, "pull_request", pullRequestEvent("opened"));

    // Re-run from a fork: the pull request is found among the open ones.
    const rerun = full.next({ previousRuns: false, files: [{ filename: "README.md" }], repo: UNCHANGED_REPO });
    const payload = fixture("check_run.rerequested");
    payload.check_run.head_sha = HEAD_SHA;
    payload.check_run.name = "MX Guard";
    payload.check_run.pull_requests = [];
    const opened = pullRequestEvent("opened");
    payload.repository = opened.repository;
    payload.installation = opened.installation;
    rerun.scope
      .get(`${REPO_PATH}/pulls`)
      .query(true)
      .reply(200, [{ number: 2, head: { sha: HEAD_SHA }, base: { sha: BASE_SHA }, draft: false }]);
    await deliver(probot, "check_run", payload);
    const calls = [...full.calls, ...rerun.calls];

    const routes = Object.keys(REST).map((method) => ({ method, route: routeOf(method) }));
    const unmapped = calls.filter((call) => call !== "POST /graphql" && !routes.some((r) => matches(r.route, call)));
    expect(unmapped).toEqual([]);
    // The run exercised most of the table (what it did not: pulls.get, issues.createComment).
    const used = new Set(routes.filter((r) => calls.some((c) => matches(r.route, c))).map((r) => r.method));
    expect(used.size).toBeGreaterThanOrEqual(8);
    expect(calls).toContain("POST /graphql");
  });

  it("subscribes to exactly the events it handles", async () => {
    const probot = new Probot({ appId: 123, privateKey });
    await probot.ready();
    const handled = new Set<string>();
    const on = probot.on;
    probot.on = ((names: Parameters<typeof on>[0], callback: Parameters<typeof on>[1]) => {
      for (const name of [names].flat()) handled.add(String(name).split(".")[0]!);
      return on(names, callback);
    }) as typeof on;
    await probot.load(createApp(createFakeEngine()));
    expect(handled.size).toBeGreaterThan(0);
    // GitHub sends installation events to every App; they cannot be subscribed to.
    const alwaysSent = new Set(["installation", "installation_repositories"]);
    expect([...handled].filter((e) => !alwaysSent.has(e)).sort()).toEqual([...appYml().default_events].sort());
  });

  it("docs/github-app.md lists the same permissions and access as app.yml", () => {
    const docs = readFileSync(join(ROOT, "docs/github-app.md"), "utf8");
    const rows = [
      ...docs.matchAll(/^\|\s*(Checks|Pull requests|Contents|Merge queues|Metadata|Issues|Actions|Statuses)\s*\|\s*(read|write)\s*\|/gm),
    ];
    const fromDocs = Object.fromEntries(rows.map((m) => [m[1]!.toLowerCase().replace(" ", "_"), m[2]]));
    expect(fromDocs).toEqual(appYml().default_permissions);
  });
});
