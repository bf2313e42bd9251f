/**
 * The fake GitHub on its own, for what real GitHub does that the app must survive: check texts
 * limited in UTF-8 bytes, commits that propagate late, pull request diffs from the merge base.
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

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${fake.restUrl}${path}`, {
    method,
    headers: { authorization: `token ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
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
});
