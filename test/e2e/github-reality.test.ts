/**
 * What real GitHub does that a lenient fake would hide, with the built app as a real process:
 * a merge queue's merge_group event, a pull request whose base branch moved on (merge base), a fork
 * push whose commit GitHub shows only after a few requests, and no start without WEBHOOK_SECRET.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub, readTree, replaceAfter, type Repository } from "./fake-github/index.js";
import type { CheckRun } from "./fake-github/state.js";
import {
  ensureBuilt,
  EXAMPLE_REPO,
  exampleEvent,
  pullRequestEvent,
  REAL_APP,
  runtimeFromEnv,
  sendWebhook,
  startApp,
  waitFor,
  waitForQuiet,
  type AppProcess,
} from "./harness.js";

const runtime = runtimeFromEnv();
const CHECK = "MX Guard";
const RULES = "campaign/mx-rules.yaml";
const YAHOO = 'mask: "*.yahoodns.net"';
const RUN_TIMEOUT = 45_000;

const fake = new FakeGitHub();
let app: AppProcess | null = null;
let repo: Repository;
let base = "";
const exampleFiles = readTree(EXAMPLE_REPO);

function proc(): AppProcess {
  if (!app) throw new Error("the app is not running");
  return app;
}

function completedRun(sha: string): CheckRun | undefined {
  return fake.state.checkRuns.find((r) => r.headSha === sha && r.name === CHECK && r.status === "completed");
}

async function waitForCompleted(sha: string): Promise<CheckRun> {
  return waitFor(`a completed check run on ${sha.slice(0, 7)}`, () => completedRun(sha), {
    timeoutMs: RUN_TIMEOUT,
    onTimeout: () => `app stderr:\n${app?.stderr() ?? ""}\napp stdout:\n${app?.stdout() ?? ""}`,
  });
}

beforeAll(async () => {
  ensureBuilt();
  await fake.start();
  ({ repo, sha: base } = fake.state.createRepository({ owner: "acme", name: "campaign-reality", files: exampleFiles, installationId: 42 }));
  app = await startApp({ fake, appPath: REAL_APP, runtime, slug: "mx-guard" });
});

afterAll(async () => {
  await app?.stop();
  await fake.stop();
});

describe(`real GitHub behaviour (${runtime})`, () => {
  it("merge_group.checks_requested: completes MX Guard on the group's head commit against its base, posting nothing else", async () => {
    const lowered = replaceAfter(exampleFiles, RULES, YAHOO, 'messagesPerHour: "20,000"', 'messagesPerHour: "5,000"');
    const groupHead = fake.state.addCommit(repo, base, lowered, "Merge group", { branch: "gh-readonly-queue/main/pr-9-x" });
    const payload = exampleEvent("merge_group", "checks_requested");
    payload.installation = { id: 42 };
    delete payload.organization;
    payload.repository = {
      ...(payload.repository as object),
      id: repo.id,
      name: repo.name,
      full_name: `acme/${repo.name}`,
      owner: { login: "acme", id: repo.owner.id, type: "Organization" },
    };
    payload.merge_group = {
      ...(payload.merge_group as object),
      head_sha: groupHead,
      base_sha: base,
      head_ref: "refs/heads/gh-readonly-queue/main/pr-9-x",
    };
    const reviewsBefore = fake.state.reviews.length;
    const commentsBefore = fake.state.issueComments.length;

    const response = await sendWebhook(proc(), { event: "merge_group", payload, timeoutMs: RUN_TIMEOUT });
    expect([200, 202]).toContain(response.status);
    const run = await waitForCompleted(groupHead);

    expect(run.conclusion).toBe("failure");
    expect(run.externalId).toMatch(/^mx-guard:merge_group\.checks_requested:/);
    expect(run.output.summary).toContain(`Compared the merge group's head \`${groupHead.slice(0, 7)}\``);
    expect(run.output.summary).toContain(`with its base \`${base.slice(0, 7)}\``);
    expect(fake.state.reviews.length).toBe(reviewsBefore);
    expect(fake.state.issueComments.length).toBe(commentsBefore);
  });

  it("compares a pull request with its merge base, not the base branch's newer tip", async () => {
    const branchPoint = base;
    // The pull request changes Yahoo's quota; afterwards main lowers Gmail's on its own.
    const prFiles = replaceAfter(exampleFiles, RULES, YAHOO, 'messagesPerHour: "20,000"', 'messagesPerHour: "25,000"');
    const head = fake.state.addCommit(repo, branchPoint, prFiles, "Raise Yahoo a little");
    const mainFiles = replaceAfter(exampleFiles, RULES, YAHOO, 'messagesPerHour: "20,000"', 'messagesPerHour: "20,000" # reviewed');
    const tip = fake.state.addCommit(repo, branchPoint, mainFiles, "Comment on main", { branch: "main" });
    const pull = fake.state.createPullRequest(repo, { baseSha: tip, headSha: head, title: "Raise Yahoo" });

    await sendWebhook(proc(), { event: "pull_request", payload: pullRequestEvent("opened", pull), timeoutMs: RUN_TIMEOUT });
    const run = await waitForCompleted(head);

    expect(run.output.summary).toContain(
      `with the merge base \`${branchPoint.slice(0, 7)}\` (the base branch is now at \`${tip.slice(0, 7)}\`)`,
    );
    expect(fake.requests.some((r) => r.route === "GET /repos/{owner}/{repo}/compare/{basehead}" && r.status === 200)).toBe(true);
  });

  it("a fork push GitHub shows only after a few requests still gets its completed check", async () => {
    const lowered = replaceAfter(exampleFiles, RULES, YAHOO, 'messagesPerHour: "20,000"', 'messagesPerHour: "19,000"');
    const head = fake.state.addCommit(repo, base, lowered, "From a fork");
    const pull = fake.state.createPullRequest(repo, { baseSha: base, headSha: head, title: "Fork change" });
    fake.state.delayVisibility(head, 3);

    await sendWebhook(proc(), { event: "pull_request", payload: pullRequestEvent("opened", pull), timeoutMs: RUN_TIMEOUT });
    const run = await waitForCompleted(head);

    const refused = fake.requests.filter((r) => r.status === 422 && (r.path.includes(head) || JSON.stringify(r.body ?? "").includes(head)));
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(run.output.title).not.toBe("MX Guard could not finish");
  });

  it("waits out a 429 on the check-run POST and, after a 502 on the review POST, looks before sending it again once", async () => {
    const lowered = replaceAfter(exampleFiles, RULES, YAHOO, 'messagesPerHour: "20,000"', 'messagesPerHour: "4,000"');
    const head = fake.state.addCommit(repo, base, lowered, "Cut Yahoo");
    const pull = fake.state.createPullRequest(repo, { baseSha: base, headSha: head, title: "Cut Yahoo" });
    // The earlier tests' runs may still be posting their reviews: the failures are for this one.
    await waitForQuiet(fake, 1_500, RUN_TIMEOUT);
    const mark = fake.lastSeq;
    fake.failNext({
      method: "POST",
      path: /\/check-runs$/,
      status: 429,
      headers: { "retry-after": "1" },
      body: { message: "Too many requests" },
    });
    fake.failNext({ method: "POST", path: /\/pulls\/\d+\/reviews$/, status: 502 });

    await sendWebhook(proc(), { event: "pull_request", payload: pullRequestEvent("opened", pull), timeoutMs: RUN_TIMEOUT });
    await waitForCompleted(head);
    await waitFor("the review", () => fake.state.reviews.some((r) => r.pull === pull), { timeoutMs: RUN_TIMEOUT });

    const since = fake.requestsSince(mark);
    const count = (route: string, status?: number) =>
      since.filter((r) => r.route === route && (status === undefined || r.status === status)).length;
    expect(count("POST /repos/{owner}/{repo}/check-runs", 429)).toBe(1);
    expect(count("POST /repos/{owner}/{repo}/check-runs")).toBe(2);
    expect(count("POST /repos/{owner}/{repo}/pulls/{number}/reviews")).toBe(2);
    expect(count("GET /repos/{owner}/{repo}/pulls/{number}/reviews")).toBe(1);
    expect(fake.state.reviews.filter((r) => r.pull === pull)).toHaveLength(1);
    expect(fake.pendingFailures()).toEqual([]);
  });

  it("refuses to start without WEBHOOK_SECRET, in one line saying what to set", async () => {
    const error = await startApp({
      fake,
      appPath: REAL_APP,
      runtime,
      slug: "mx-guard",
      env: { WEBHOOK_SECRET: "" },
      startTimeoutMs: 20_000,
    }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain("the app exited with 1");
    expect(error?.message).toContain("mx-guard: WEBHOOK_SECRET is not set: set it to the webhook secret of your GitHub App");
  });
});
