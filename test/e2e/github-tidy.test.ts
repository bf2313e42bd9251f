/**
 * Old comments tidied, file-level comments, forks and permissions, with the built app as a real
 * process against the fake GitHub: a fixed finding's threads are resolved on the follow-up push;
 * `hide-and-new` minimizes and `delete-and-new` deletes the earlier summary; a finding outside the
 * hunks of a changed file gets a file-level comment; a fork's pull request is read from the base
 * repository; an installation without a permission gets a check (or a log line) naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub, readTree, replaceAfter, replaceOnce, type FileTree, type PullRequest, type Repository } from "./fake-github/index.js";
import type { CheckRun } from "./fake-github/state.js";
import {
  ensureBuilt,
  EXAMPLE_REPO,
  pullRequestEvent,
  REAL_APP,
  runtimeFromEnv,
  sendWebhook,
  startApp,
  waitFor,
  type AppProcess,
} from "./harness.js";

const runtime = runtimeFromEnv();
const CHECK = "MX Guard";
const RULES = "campaign/mx-rules.yaml";
const TRAFFIC = "campaign/traffic.yaml";
const POLICY = ".github/mx-guard.yml";
const YAHOO = 'mask: "*.yahoodns.net"';
const RUN_TIMEOUT = 45_000;

const fake = new FakeGitHub();
let app: AppProcess | null = null;
const exampleFiles = readTree(EXAMPLE_REPO);

function proc(): AppProcess {
  if (!app) throw new Error("the app is not running");
  return app;
}

const logs = () => `app stderr:\n${app?.stderr() ?? ""}\napp stdout:\n${app?.stdout() ?? ""}`;

function completedRun(sha: string): CheckRun | undefined {
  return fake.state.checkRuns.find((r) => r.headSha === sha && r.name === CHECK && r.status === "completed");
}

async function waitForCompleted(sha: string): Promise<CheckRun> {
  return waitFor(`a completed check run on ${sha.slice(0, 7)}`, () => completedRun(sha), { timeoutMs: RUN_TIMEOUT, onTimeout: logs });
}

/** Lowers Yahoo's hourly quota (findings on the Yahoo rule, lines 20–24, and on traffic.yaml lines 5–17). */
const lowered = (files: FileTree) => replaceAfter(files, RULES, YAHOO, 'messagesPerHour: "20,000"', 'messagesPerHour: "5,000"');
/** A change at the end of traffic.yaml, far from the delivery its finding is anchored on. */
const trafficNote = (files: FileTree) => ({ ...files, [TRAFFIC]: `${String(files[TRAFFIC])}\n# reviewed for the weekend\n` });

function repository(name: string, policy = "comment: update", installationId = 42): { repo: Repository; base: string } {
  const files = replaceOnce(exampleFiles, POLICY, "comment: update", policy);
  const { repo, sha } = fake.state.createRepository({ owner: "acme", name, files, installationId });
  return { repo, base: sha };
}

async function open(pull: PullRequest, installationId = 42): Promise<CheckRun> {
  await sendWebhook(proc(), {
    event: "pull_request",
    payload: pullRequestEvent("opened", pull, { installationId }),
    timeoutMs: RUN_TIMEOUT,
  });
  return waitForCompleted(pull.headSha);
}

async function push(pull: PullRequest, sha: string): Promise<CheckRun> {
  const before = pull.headSha;
  fake.state.pushToPullRequest(pull, sha);
  await sendWebhook(proc(), { event: "pull_request", payload: pullRequestEvent("synchronize", pull, { before }), timeoutMs: RUN_TIMEOUT });
  return waitForCompleted(sha);
}

const stickies = (pull: PullRequest) =>
  fake.state.issueComments.filter((c) => c.repo === pull.repo && c.issueNumber === pull.number && c.body.includes("mx-guard:sticky"));

beforeAll(async () => {
  ensureBuilt();
  await fake.start();
  app = await startApp({ fake, appPath: REAL_APP, runtime, slug: "mx-guard" });
});

afterAll(async () => {
  await app?.stop();
  await fake.stop();
});

describe(`old comments, file-level comments, forks and permissions (${runtime})`, () => {
  it("comments a finding outside the hunks at file level, then resolves every thread once the follow-up push fixes the findings", {
    timeout: 150_000,
  }, async () => {
    const { repo, base } = repository("tidy-threads");
    const files = exampleFiles;
    const head = fake.state.addCommit(repo, base, trafficNote(lowered(files)), "Cut Yahoo, note the traffic");
    const pull = fake.state.createPullRequest(repo, { baseSha: base, headSha: head, title: "Cut Yahoo" });

    expect((await open(pull)).conclusion).toBe("failure");
    const threads = () => fake.state.reviewComments.filter((c) => c.pull === pull);
    await waitFor("the inline and the file-level comments", () => threads().some((c) => c.subjectType === "file") && threads(), {
      timeoutMs: RUN_TIMEOUT,
      onTimeout: logs,
    });
    const fileLevel = threads().filter((c) => c.subjectType === "file");
    expect(fileLevel.map((c) => [c.path, c.line])).toEqual([[TRAFFIC, null]]);
    expect(fileLevel[0]!.body).toMatch(/_On lines 5–17 of this file, which this diff does not show\._/);
    expect(threads().some((c) => c.subjectType === "line" && c.path === RULES)).toBe(true);
    expect(threads().every((c) => !c.threadResolved)).toBe(true);

    // The follow-up push restores Yahoo's quota: its findings are fixed; traffic.yaml still changes.
    const fixed = fake.state.addCommit(repo, head, { [RULES]: String(files[RULES]) }, "Restore Yahoo");
    const run = await push(pull, fixed);
    expect(run.conclusion).toBe("success");
    await waitFor("every thread of mx-guard resolved", () => threads().every((c) => c.threadResolved === true), {
      timeoutMs: RUN_TIMEOUT,
      onTimeout: logs,
    });
    const mutations = fake.requests.filter((r) => r.route === "POST /graphql" && r.operationName === "MxGuardTidy");
    expect(mutations.length).toBeGreaterThanOrEqual(1);
    expect(mutations.every((r) => r.status === 200)).toBe(true);
  });

  it("hide-and-new: the second push posts a new summary comment and minimizes the first as outdated", async () => {
    const { repo, base } = repository("tidy-hide", "comment: hide-and-new");
    const pull = fake.state.createPullRequest(repo, {
      baseSha: base,
      headSha: fake.state.addCommit(repo, base, lowered(exampleFiles), "Cut"),
    });
    await open(pull);
    await waitFor("the first summary comment", () => stickies(pull).length === 1, { timeoutMs: RUN_TIMEOUT, onTimeout: logs });
    const next = fake.state.addCommit(repo, pull.headSha, trafficNote(lowered(exampleFiles)), "Note");
    await push(pull, next);
    await waitFor("the first comment minimized", () => stickies(pull)[0]?.minimizedReason === "OUTDATED", {
      timeoutMs: RUN_TIMEOUT,
      onTimeout: logs,
    });
    const [first, second] = stickies(pull);
    expect(stickies(pull)).toHaveLength(2);
    expect(first!.body).toContain(`<!-- mx-guard:head ${pull.headHistory[0]} -->`);
    expect(second!.body).toContain(`<!-- mx-guard:head ${next} -->`);
    expect(second!.minimizedReason ?? null).toBeNull();
  });

  it("delete-and-new: the second push posts a new summary comment and deletes the first", async () => {
    const { repo, base } = repository("tidy-delete", "comment: delete-and-new");
    const pull = fake.state.createPullRequest(repo, {
      baseSha: base,
      headSha: fake.state.addCommit(repo, base, lowered(exampleFiles), "Cut"),
    });
    await open(pull);
    await waitFor("the first summary comment", () => stickies(pull).length === 1, { timeoutMs: RUN_TIMEOUT, onTimeout: logs });
    const firstId = stickies(pull)[0]!.id;
    const next = fake.state.addCommit(repo, pull.headSha, trafficNote(lowered(exampleFiles)), "Note");
    await push(pull, next);
    await waitFor("only the new comment left", () => stickies(pull).length === 1 && stickies(pull)[0]!.id !== firstId, {
      timeoutMs: RUN_TIMEOUT,
      onTimeout: logs,
    });
    expect(stickies(pull)[0]!.body).toContain(`<!-- mx-guard:head ${next} -->`);
    expect(fake.requests.some((r) => r.route === "DELETE /repos/{owner}/{repo}/issues/comments/{id}" && r.status === 204)).toBe(true);
  });

  it("checks a fork's pull request from the base repository: its head repository is never asked for", async () => {
    const { repo, base } = repository("tidy-fork-base");
    const { repo: fork } = fake.state.createRepository({
      owner: "contributor",
      name: "tidy-fork",
      files: exampleFiles,
      installationId: 999,
    });
    const forkHead = fake.state.addCommit(fork, fork.branches.get("main")!, lowered(exampleFiles), "Cut Yahoo in the fork");
    const pull = fake.state.createForkPullRequest(repo, fork, { baseSha: base, headSha: forkHead, headRef: "patch-1" });

    const run = await open(pull);

    expect(run.conclusion).toBe("failure");
    expect(run.output.title).not.toBe("MX Guard could not finish");
    expect(fake.requests.filter((r) => r.path.startsWith("/repos/contributor/"))).toEqual([]);
    await waitFor("the review on the base repository", () => fake.state.reviews.some((r) => r.pull === pull), {
      timeoutMs: RUN_TIMEOUT,
      onTimeout: logs,
    });
  });

  it("an installation without contents: read gets a completed failing check naming the permission", async () => {
    fake.addInstallation(44, "acme", { checks: "write", pull_requests: "write", metadata: "read", merge_queues: "read" });
    const { repo, base } = repository("tidy-no-contents", "comment: update", 44);
    const pull = fake.state.createPullRequest(repo, {
      baseSha: base,
      headSha: fake.state.addCommit(repo, base, lowered(exampleFiles), "Cut"),
    });

    const run = await open(pull, 44);

    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe("MX Guard could not finish");
    expect(run.output.summary).toContain("Resource not accessible by integration");
    expect(run.output.summary).toContain("lacks the `contents: read` permission");
  });

  it("an installation with checks: read only cannot have a check at all: the app logs which permission is missing", async () => {
    fake.addInstallation(43, "acme", { checks: "read", contents: "read", pull_requests: "write", metadata: "read" });
    const { repo, base } = repository("tidy-checks-read", "comment: update", 43);
    const pull = fake.state.createPullRequest(repo, {
      baseSha: base,
      headSha: fake.state.addCommit(repo, base, lowered(exampleFiles), "Cut"),
    });

    await sendWebhook(proc(), {
      event: "pull_request",
      payload: pullRequestEvent("opened", pull, { installationId: 43 }),
      timeoutMs: RUN_TIMEOUT,
    });

    await waitFor("the log line naming checks: write", () => logs().includes("lacks the `checks: write` permission"), {
      timeoutMs: RUN_TIMEOUT,
      onTimeout: logs,
    });
    expect(fake.requests.some((r) => r.route === "POST /repos/{owner}/{repo}/check-runs" && r.status === 403)).toBe(true);
    expect(fake.state.checkRuns.filter((r) => r.headSha === pull.headSha)).toEqual([]);
  });
});
