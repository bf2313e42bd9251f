/**
 * The fake GitHub on its own, for what real GitHub does that the app must survive: check texts
 * limited in UTF-8 bytes, commits that propagate late, pull request diffs from the merge base,
 * file-level review comments, minimizeComment and resolveReviewThread, token permissions, forks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub, readTree, replaceAfter } from "./fake-github/index.js";
import type { Repository } from "./fake-github/state.js";
import { EXAMPLE_REPO, testAppKey } from "./harness.js";

const fake = new FakeGitHub();
let token = "";
let repo: Repository;
let baseSha = "";
const files = readTree(EXAMPLE_REPO);
const RULES = "campaign/mx-rules.yaml";
const YAHOO = 'mask: "*.yahoodns.net"';

async function api(method: string, path: string, body?: unknown, as = token): Promise<{ status: number; json: any; headers: Headers }> {
  const response = await fetch(`${fake.restUrl}${path}`, {
    method,
    headers: { authorization: `token ${as}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null, headers: response.headers };
}

async function graphql(query: string, variables: Record<string, unknown> = {}, as = token): Promise<any> {
  const response = await fetch(fake.graphqlUrl, {
    method: "POST",
    headers: { authorization: `token ${as}`, "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

const THREADS = `query T($number: Int!) { repository(owner: "acme", name: "reality") { pullRequest(number: $number) {
  reviewThreads(last: 10) { nodes { id isResolved viewerCanResolve subjectType comments(first: 1) { nodes { id body isMinimized minimizedReason } } } }
} } }`;

/** A pull request changing line 3 of a 30-line file, so line 20 is outside its one hunk. */
function longFilePull() {
  const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
  const before = fake.state.addCommit(repo, baseSha, { "notes.txt": `${lines.join("\n")}\n` }, "notes");
  lines[2] = "line 3 changed";
  const after = fake.state.addCommit(repo, before, { "notes.txt": `${lines.join("\n")}\n` }, "change notes");
  return fake.state.createPullRequest(repo, { baseSha: before, headSha: after });
}

beforeAll(async () => {
  await fake.start();
  fake.registerApp({ id: 1, slug: "mx-guard", publicKeyPem: testAppKey().publicKeyPem });
  fake.addInstallation(42, "acme");
  ({ repo, sha: baseSha } = fake.state.createRepository({ owner: "acme", name: "reality", files, installationId: 42 }));
  token = fake.mintToken(42);
});

afterAll(async () => {
  await fake.stop();
});

describe("the fake GitHub models real GitHub", () => {
  it("rejects a check summary over 65,535 UTF-8 bytes even when it has fewer characters", async () => {
    const summary = "→".repeat(21_846); // 21,846 characters, 65,538 bytes
    const refused = await api("POST", "/repos/acme/reality/check-runs", {
      name: "MX Guard",
      head_sha: baseSha,
      output: { title: "t", summary },
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.json)).toContain("summary exceeds a maximum bytesize of 65535");
    const fits = await api("POST", "/repos/acme/reality/check-runs", {
      name: "MX Guard",
      head_sha: baseSha,
      output: { title: "t", summary: "→".repeat(21_845) },
    });
    expect(fits.status).toBe(201);
  });

  it("hides a commit for N check-run requests, then shows it (a fork push propagating)", async () => {
    const head = fake.state.addCommit(repo, baseSha, { "README.md": "fork" }, "fork push");
    fake.state.delayVisibility(head, 2);
    const first = await api("GET", `/repos/acme/reality/commits/${head}/check-runs`);
    const second = await api("POST", "/repos/acme/reality/check-runs", { name: "MX Guard", head_sha: head });
    const third = await api("POST", "/repos/acme/reality/check-runs", { name: "MX Guard", head_sha: head });
    expect([first.status, second.status, third.status]).toEqual([422, 422, 201]);
    expect(first.json.message).toBe(`No commit found for SHA: ${head}`);
  });

  it("deletes a conversation comment for its author", async () => {
    const pull = fake.state.createPullRequest(repo, { baseSha, headSha: fake.state.addCommit(repo, baseSha, { "x.md": "x" }, "x") });
    const created = await api("POST", `/repos/acme/reality/issues/${pull.number}/comments`, { body: "summary" });
    expect(created.status).toBe(201);
    const deleted = await api("DELETE", `/repos/acme/reality/issues/comments/${created.json.id}`);
    expect(deleted.status).toBe(204);
    const listed = await api("GET", `/repos/acme/reality/issues/${pull.number}/comments`);
    expect(listed.json).toEqual([]);
  });

  it("compares from the merge base and diffs a pull request from it when the base branch moved on", async () => {
    const head = fake.state.addCommit(
      repo,
      baseSha,
      replaceAfter(files, RULES, YAHOO, 'messagesPerHour: "20,000"', 'messagesPerHour: "21,000"'),
      "pr",
    );
    const tip = fake.state.addCommit(repo, baseSha, { "docs/later.md": "merged later" }, "main moves", { branch: "main" });
    const compared = await api("GET", `/repos/acme/reality/compare/${tip}...${head}`);
    expect(compared.status).toBe(200);
    expect(compared.json).toMatchObject({ merge_base_commit: { sha: baseSha }, status: "diverged", ahead_by: 1, behind_by: 1 });
    expect(compared.json.files.map((f: { filename: string }) => f.filename)).toEqual([RULES]);
    const pull = fake.state.createPullRequest(repo, { baseSha: tip, headSha: head });
    const listed = await api("GET", `/repos/acme/reality/pulls/${pull.number}/files`);
    expect(listed.json.map((f: { filename: string }) => f.filename)).toEqual([RULES]);
  });

  it("takes file-level review comments on a changed file, with no line, and only one at a time", async () => {
    const pull = longFilePull();
    const path = `/repos/acme/reality/pulls/${pull.number}/comments`;
    const file = await api("POST", path, { body: "on the file", commit_id: pull.headSha, path: "notes.txt", subject_type: "file" });
    expect(file.status).toBe(201);
    expect(file.json).toMatchObject({ subject_type: "file", line: null, path: "notes.txt" });
    const withLine = await api("POST", path, { body: "x", commit_id: pull.headSha, path: "notes.txt", subject_type: "file", line: 20 });
    expect(withLine.status).toBe(422);
    expect(JSON.stringify(withLine.json)).toContain("line is not allowed when subject_type is file");
    const outside = await api("POST", path, { body: "x", commit_id: pull.headSha, path: "notes.txt", line: 20, side: "RIGHT" });
    expect(outside.status).toBe(422);
    const unchanged = await api("POST", path, { body: "x", commit_id: pull.headSha, path: "README.md", subject_type: "file" });
    expect(unchanged.status).toBe(422);
    const inReview = await api("POST", `/repos/acme/reality/pulls/${pull.number}/reviews`, {
      event: "COMMENT",
      body: "b",
      comments: [{ path: "notes.txt", body: "x", subject_type: "file" }],
    });
    expect(inReview.status).toBe(422);
  });

  it("lists review threads, resolves one and minimizes a comment as OUTDATED, validating both mutations", async () => {
    const pull = longFilePull();
    await api("POST", `/repos/acme/reality/pulls/${pull.number}/reviews`, {
      event: "COMMENT",
      body: "review",
      comments: [{ path: "notes.txt", line: 3, side: "RIGHT", body: "inline" }],
    });
    await api("POST", `/repos/acme/reality/pulls/${pull.number}/comments`, {
      body: "file",
      commit_id: pull.headSha,
      path: "notes.txt",
      subject_type: "file",
    });
    const before = await graphql(THREADS, { number: pull.number });
    const [inline, file] = before.data.repository.pullRequest.reviewThreads.nodes;
    expect(inline).toMatchObject({ isResolved: false, viewerCanResolve: true, subjectType: "LINE" });
    expect(file).toMatchObject({ subjectType: "FILE" });

    const done = await graphql(
      `mutation M($t: ID!, $c: ID!) {
        a: resolveReviewThread(input: { threadId: $t }) { thread { isResolved } }
        b: minimizeComment(input: { subjectId: $c, classifier: OUTDATED }) { minimizedComment { isMinimized minimizedReason } }
      }`,
      { t: inline.id, c: file.comments.nodes[0].id },
    );
    expect(done.errors).toBeUndefined();
    expect(done.data.a.thread.isResolved).toBe(true);
    expect(done.data.b.minimizedComment).toEqual({ isMinimized: true, minimizedReason: "outdated" });
    const after = await graphql(THREADS, { number: pull.number });
    expect(after.data.repository.pullRequest.reviewThreads.nodes.map((t: any) => t.isResolved)).toEqual([true, false]);

    const invalid = await graphql(`mutation { minimizeComment(input: { subjectId: "x", classifier: STALE }) { clientMutationId } }`);
    expect(invalid.data).toBeUndefined();
    expect(JSON.stringify(invalid.errors)).toContain("STALE");
    const unknown = await graphql(`mutation { resolveReviewThread(input: { threadId: "bm9wZQ" }) { clientMutationId } }`);
    expect(unknown.errors[0].type).toBe("NOT_FOUND");
  });

  it("enforces the token's permissions: app.yml's by default, 403 naming the accepted permission otherwise", async () => {
    fake.addInstallation(43, "acme-readonly", { checks: "read", contents: "read", metadata: "read", pull_requests: "read" });
    fake.state.createRepository({ owner: "acme-readonly", name: "reality", files, installationId: 43 });
    const limited = fake.mintToken(43);
    const sha = fake.state.repository("acme-readonly", "reality")!.branches.get("main");
    const write = await api("POST", "/repos/acme-readonly/reality/check-runs", { name: "MX Guard", head_sha: sha }, limited);
    expect(write.status).toBe(403);
    expect(write.json.message).toBe("Resource not accessible by integration");
    expect(write.headers.get("x-accepted-github-permissions")).toBe("checks=write");
    const read = await api("GET", `/repos/acme-readonly/reality/commits/${sha}/check-runs`, undefined, limited);
    expect(read.status).toBe(200);
    const readonly = fake.state.repository("acme-readonly", "reality")!;
    const pull = fake.state.createPullRequest(readonly, { baseSha: sha!, headSha: sha! });
    const now = new Date().toISOString();
    fake.state.issueComments.push({
      id: 99_001,
      repo: readonly,
      issueNumber: pull.number,
      user: fake.state.user("mx-guard[bot]"),
      body: "s",
      createdAt: now,
      updatedAt: now,
      edits: [],
    });
    const mutation = await graphql(
      `mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { clientMutationId } }`,
      { id: Buffer.from("IssueComment:99001").toString("base64").replace(/=+$/, "") },
      limited,
    );
    expect(mutation.errors?.[0]).toMatchObject({ type: "FORBIDDEN", message: "Resource not accessible by integration" });
    expect(fake.state.issueComments.at(-1)?.minimizedReason ?? null).toBeNull();
    // The default installation has exactly what app.yml asks for.
    const created = await api("POST", "/repos/acme/reality/check-runs", { name: "MX Guard", head_sha: baseSha });
    expect(created.status).toBe(201);
  });

  it("serves a fork's pull request from the base repository: head.repo is the fork, its commits readable from the base", async () => {
    const { repo: fork } = fake.state.createRepository({ owner: "contributor", name: "reality", files, installationId: 999 });
    const forkHead = fake.state.addCommit(fork, fork.branches.get("main")!, { "campaign/note.md": "from a fork" }, "fork change");
    const pull = fake.state.createForkPullRequest(repo, fork, { baseSha, headSha: forkHead, headRef: "patch-1" });
    const got = await api("GET", `/repos/acme/reality/pulls/${pull.number}`);
    expect(got.json.head).toMatchObject({
      sha: forkHead,
      label: "contributor:patch-1",
      repo: { full_name: "contributor/reality", fork: true },
    });
    expect(got.json.base.repo.full_name).toBe("acme/reality");
    const content = await api("GET", `/repos/acme/reality/contents/campaign/note.md?ref=${forkHead}`);
    expect(content.status).toBe(200);
    expect(Buffer.from(content.json.content, "base64").toString()).toBe("from a fork");
    expect((await api("GET", "/repos/contributor/reality")).status).toBe(404);
    const run = await api("POST", "/repos/acme/reality/check-runs", { name: "MX Guard", head_sha: forkHead });
    expect(run.json.pull_requests).toEqual([]);
  });
});
