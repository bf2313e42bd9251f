/**
 * Harness self-test with a throwaway Probot app (sample-app/index.js), independent of mx-guard:
 * proves that `probot run` under the chosen runtime reaches the fake through GHE_HOST over real
 * HTTP (JWT → installation token, config from the default branch, paginated files, GraphQL,
 * check run annotations in batches of 50, review on a diff line, sticky comment in place), that
 * webhook signatures are enforced, and that the process is stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub, patchLines, type PullRequest, type Repository } from "./fake-github/index.js";
import {
  formatCallCounts,
  leakedSecrets,
  pullRequestEvent,
  runtimeFromEnv,
  SAMPLE_APP,
  sendWebhook,
  sign,
  startApp,
  waitFor,
  waitForQuiet,
  type AppProcess,
} from "./harness.js";

const runtime = runtimeFromEnv();
const fake = new FakeGitHub();
let app: AppProcess | null = null;
let repo: Repository;
let base = "";

function sampleTree(): Record<string, string> {
  const files: Record<string, string> = {
    ".github/sample-app.yml": "annotations: 60\nreview: true\n",
    "README.md": "# demo\n",
  };
  for (let i = 0; i < 120; i++) files[`data/f${String(i).padStart(3, "0")}.txt`] = `value ${i}\n`;
  return files;
}

beforeAll(async () => {
  await fake.start();
  ({ repo, sha: base } = fake.state.createRepository({ owner: "acme", name: "sample", files: sampleTree(), installationId: 42 }));
  app = await startApp({ fake, appPath: SAMPLE_APP, runtime, slug: "sample-app" });
});

afterAll(async () => {
  await app?.stop();
  await fake.stop();
});

function completedSample(pull: PullRequest) {
  return fake.state.checkRuns.find((r) => r.headSha === pull.headSha && r.name === "Sample" && r.status === "completed");
}

describe(`harness self-test (sample app, ${runtime})`, () => {
  it("answers /ping and runs under the requested runtime", async () => {
    expect(app).not.toBeNull();
    const ping = await fetch(`${app?.baseUrl}/ping`);
    expect(await ping.text()).toBe("PONG");
    expect(app?.exitCode()).toBeNull();
  });

  let pull: PullRequest;

  it("handles a signed pull_request.opened end to end over HTTP", async () => {
    const changes: Record<string, string | null> = { "README.md": "# demo\n\nmore\n" };
    for (let i = 0; i < 120; i++) changes[`data/f${String(i).padStart(3, "0")}.txt`] = `value ${i} changed\n`;
    const head = fake.state.addCommit(repo, base, changes);
    pull = fake.state.createPullRequest(repo, { baseSha: base, headSha: head });
    const mark = fake.lastSeq;
    const response = await sendWebhook(app as AppProcess, { event: "pull_request", payload: pullRequestEvent("opened", pull) });
    expect([200, 202]).toContain(response.status);
    const run = await waitFor("the Sample check run to complete", () => completedSample(pull), { timeoutMs: 30_000 });
    await waitFor("the sticky comment", () => fake.state.issueComments.find((c) => c.issueNumber === pull.number), { timeoutMs: 15_000 });
    await waitForQuiet(fake, 1_000);

    expect(run.conclusion).toBe("success");
    expect(run.output.summary).toMatch(/^files=121 first=README\.md bytes=\d+ truncated=false$/);
    expect(run.annotations).toHaveLength(60);
    // Two requests carried annotations: 50, then the last 10 with the completion.
    expect(run.history.map((h) => ((h.output as { annotations?: unknown[] } | undefined)?.annotations ?? []).length)).toEqual([0, 50, 10]);

    const reviews = fake.state.reviews.filter((r) => r.pull === pull);
    expect(reviews).toHaveLength(1);
    const comments = fake.state.reviewComments.filter((c) => c.pull === pull && c.subjectType === "line");
    const files = fake.state.pullFiles(pull);
    for (const comment of comments) {
      const patch = files.find((f) => f.filename === comment.path)?.patch;
      expect(patchLines(patch).right.has(comment.line ?? 0)).toBe(true);
    }

    const calls = fake.requestsSince(mark);
    console.log(formatCallCounts(`sample app, PR #${pull.number} opened (${runtime})`, calls));
    // The app authenticated with a JWT the fake verified, then used only installation tokens.
    expect(fake.jwtRejections).toEqual([]);
    expect(calls.filter((r) => r.route === "POST /app/installations/{installation_id}/access_tokens")).toHaveLength(1);
    expect(calls.every((r) => r.actor !== null)).toBe(true);
    // The requests really came from the runtime under test (octokit's user agent names it).
    const agent = runtime === "bun" ? /\bBun\/1\./ : /\bNode\.js\/\d+/;
    expect(calls.every((r) => agent.test(r.headers["user-agent"] ?? ""))).toBe(true);
    expect(calls.filter((r) => r.status >= 400).map((r) => `${r.route} → ${r.status}`)).toEqual([]);
    // The config came from the default branch through the raw contents API.
    const config = calls.find((r) => r.route === "GET /repos/{owner}/{repo}/contents/{path+}");
    expect(config?.path).toBe("/repos/acme/sample/contents/.github%2Fsample-app.yml");
    expect(config?.headers.accept).toMatch(/raw/);
    // 121 files: two pages of the files list, following the Link header.
    expect(calls.filter((r) => r.route === "GET /repos/{owner}/{repo}/pulls/{number}/files").map((r) => r.query.page ?? "1")).toEqual([
      "1",
      "2",
    ]);
  });

  it("updates the sticky comment in place on synchronize", async () => {
    const head2 = fake.state.addCommit(repo, pull.headSha, { "README.md": "# demo\n\nmore\nand more\n" });
    fake.state.pushToPullRequest(pull, head2);
    const mark = fake.lastSeq;
    const response = await sendWebhook(app as AppProcess, { event: "pull_request", payload: pullRequestEvent("synchronize", pull) });
    expect([200, 202]).toContain(response.status);
    await waitFor(
      "the sticky comment to be edited",
      () => fake.requestsSince(mark, { route: "PATCH /repos/{owner}/{repo}/issues/comments/{id}" })[0],
      { timeoutMs: 30_000 },
    );
    await waitForQuiet(fake, 1_000);
    const stickies = fake.state.issueComments.filter((c) => c.issueNumber === pull.number);
    expect(stickies).toHaveLength(1);
    expect(stickies[0]?.edits).toHaveLength(1);
    expect(stickies[0]?.body).toContain(`head=${head2}`);
    expect(fake.requestsSince(mark, { route: "POST /repos/{owner}/{repo}/issues/{number}/comments" })).toHaveLength(0);
  });

  it("rejects a bad signature with 400 and calls nothing", async () => {
    const mark = fake.lastSeq;
    const payload = pullRequestEvent("opened", pull);
    const forged = await sendWebhook(app as AppProcess, {
      event: "pull_request",
      payload,
      signature: sign("not-the-secret", JSON.stringify(payload)),
    });
    expect(forged.status).toBe(400);
    await waitForQuiet(fake, 1_000);
    expect(fake.requestsSince(mark)).toEqual([]);
  });

  it("keeps secrets out of the logs", () => {
    expect(leakedSecrets(app as AppProcess, fake)).toEqual([]);
  });

  it("stops the process", async () => {
    const proc = app as AppProcess;
    await proc.stop();
    expect(proc.exitCode()).not.toBeNull();
    await expect(fetch(`${proc.baseUrl}/ping`, { signal: AbortSignal.timeout(1_000) })).rejects.toThrow();
  });
});
