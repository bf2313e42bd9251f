/**
 * mx-guard end to end: the built app (lib/index.js) runs as a real process with `probot run`,
 * under Node or Bun (MX_GUARD_E2E_RUNTIME), against the fake GitHub over HTTP. The pull requests
 * are made from the example Campaign repository (examples/campaign-repo).
 *
 * The tests run in order and share one app process and one fake: a failing PR, a follow-up push
 * that fixes it, a redelivery, a forged signature, a PR without Campaign changes, a secondary
 * rate limit, and a restart followed by a redelivery.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FakeGitHub,
  lineOf,
  patchLines,
  readTree,
  replaceAfter,
  replaceOnce,
  type PullRequest,
  type Repository,
} from "./fake-github/index.js";
import type { CheckRun } from "./fake-github/state.js";
import {
  checkRunRerequestedEvent,
  ensureBuilt,
  EXAMPLE_REPO,
  formatCallCounts,
  leakedSecrets,
  pullRequestEvent,
  REAL_APP,
  runtimeFromEnv,
  sendWebhook,
  sign,
  startApp,
  waitFor,
  waitForQuiet,
  type AppProcess,
  type WebhookResult,
} from "./harness.js";

const runtime = runtimeFromEnv();
const CHECK = "MX Guard";
const STICKY = "<!-- mx-guard:sticky -->";
const RULES = "campaign/mx-rules.yaml";
const YAHOO = 'mask: "*.yahoodns.net"';
const TOKEN_ROUTE = "POST /app/installations/{installation_id}/access_tokens";
const WRITE = /^(POST|PATCH|PUT|DELETE) /;
/** A run simulates base and head; Probot spaces writes ≥1 s and comment/review POSTs ≥3 s. */
const RUN_TIMEOUT = 45_000;

const fake = new FakeGitHub();
let app: AppProcess | null = null;
let repo: Repository;
let base = "";
const exampleFiles = readTree(EXAMPLE_REPO);
const callReport: string[] = [];
/** Log records of app processes already stopped (the restart test replaces the process). */
const earlierLogRecords: Record<string, unknown>[] = [];

function proc(): AppProcess {
  if (!app) throw new Error("the app is not running");
  return app;
}

function runsFor(sha: string): CheckRun[] {
  return fake.state.checkRuns.filter((r) => r.headSha === sha && r.name === CHECK);
}

function completedRun(sha: string): CheckRun | undefined {
  return runsFor(sha).find((r) => r.status === "completed");
}

function botComments(pull: PullRequest) {
  return fake.state.issueComments.filter((c) => c.issueNumber === pull.number && c.repo === pull.repo && c.user.type === "Bot");
}

function reviewsOf(pull: PullRequest) {
  return fake.state.reviews.filter((r) => r.pull === pull);
}

function appLogDump(): string {
  return `app stdout:\n${app?.stdout() ?? ""}\napp stderr:\n${app?.stderr() ?? ""}`;
}

/** Sends the webhook, then waits for the completed check run on the PR's head. */
async function deliver(
  event: string,
  payload: unknown,
  sha: string,
  deliveryId?: string,
): Promise<{ response: WebhookResult; run: CheckRun }> {
  const response = await sendWebhook(proc(), { event, payload, ...(deliveryId ? { deliveryId } : {}), timeoutMs: RUN_TIMEOUT });
  expect([200, 202], `webhook answered ${response.status}: ${response.text}`).toContain(response.status);
  const run = await waitFor(`a completed "${CHECK}" check run on ${sha.slice(0, 7)}`, () => completedRun(sha), {
    timeoutMs: RUN_TIMEOUT,
    onTimeout: appLogDump,
  });
  return { response, run };
}

function report(title: string, since: number): void {
  const text = formatCallCounts(title, fake.requestsSince(since));
  callReport.push(text);
  console.log(text);
}

/** Every request since `mark` succeeded (the fake enforces GitHub's limits with 4xx). */
function expectNoFailedCalls(since: number): void {
  const failed = fake.requestsSince(since).filter((r) => r.status >= 400 && !r.injected);
  expect(failed.map((r) => `${r.route} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`)).toEqual([]);
}

/** Every inline comment sits on a RIGHT-side line of its file's patch; a range stays in one hunk. */
function expectCommentsInsideDiff(pull: PullRequest, commitId: string): void {
  const files = fake.state.pullFiles(pull, commitId);
  const inline = fake.state.reviewComments.filter((c) => c.pull === pull && c.commitId === commitId && c.subjectType === "line");
  for (const comment of inline) {
    if (comment.line === null) throw new Error(`${comment.path}: a line comment without a line`);
    const patch = files.find((f) => f.filename === comment.path)?.patch;
    expect(patch, `${comment.path} has a patch`).toBeDefined();
    const lines = patchLines(patch);
    expect(comment.side).toBe("RIGHT");
    expect(lines.right.has(comment.line), `${comment.path}:${comment.line} is a RIGHT line of the diff`).toBe(true);
    if (comment.startLine !== null) {
      expect(lines.right.get(comment.startLine), `${comment.path}:${comment.startLine}-${comment.line} is one hunk`).toBe(
        lines.right.get(comment.line),
      );
    }
  }
}

beforeAll(async () => {
  ensureBuilt();
  await fake.start();
  ({ repo, sha: base } = fake.state.createRepository({ owner: "acme", name: "campaign-config", files: exampleFiles, installationId: 42 }));
  app = await startApp({ fake, appPath: REAL_APP, runtime, slug: "mx-guard" });
});

afterAll(async () => {
  await app?.stop();
  await fake.stop();
  if (callReport.length > 0) console.log(`\nAPI calls per pull request (${runtime}):\n${callReport.join("\n")}`);
});

describe(`mx-guard end to end (${runtime})`, () => {
  let pull: PullRequest;
  let head1 = "";
  let head2 = "";
  let syncDelivery = "";
  let syncPayload: Record<string, unknown> = {};

  it("fails the check, reviews inside the diff and posts the sticky comment when Yahoo's messagesPerHour drops to 5,000", async () => {
    const lowered = replaceAfter(exampleFiles, RULES, YAHOO, 'messagesPerHour: "20,000"', 'messagesPerHour: "5,000"');
    head1 = fake.state.addCommit(repo, base, lowered, "Lower the Yahoo quota");
    pull = fake.state.createPullRequest(repo, { baseSha: base, headSha: head1, title: "Lower the Yahoo quota" });
    const mark = fake.lastSeq;

    const { run } = await deliver("pull_request", pullRequestEvent("opened", pull), head1);
    await waitFor("the review and the sticky comment", () => reviewsOf(pull).length > 0 && botComments(pull).length > 0, {
      timeoutMs: RUN_TIMEOUT,
      onTimeout: appLogDump,
    });
    await waitForQuiet(fake, 1_500, RUN_TIMEOUT);
    report(`PR #${pull.number} opened (Yahoo 20,000 → 5,000)`, mark);

    // The check run: one, completed as a failure with annotations. A run done within the App's quick
    // window (MX_GUARD_QUICK_CHECK_MS, 5 s) is created already completed, in one request; a slower
    // one is created in progress first.
    expect(runsFor(head1)).toHaveLength(1);
    const created = run.history[0] as { status?: string } | undefined;
    expect(run.history[0]).toMatchObject({ name: CHECK, head_sha: head1 });
    if (created?.status === "completed") expect(run.history[0]).toMatchObject({ conclusion: "failure" });
    else expect(created?.status).toBe("in_progress");
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBeTruthy();
    expect(run.output.summary).toMatch(/Black Friday newsletter/);
    const yahooLine = lineOf(lowered, RULES, 'messagesPerHour: "5,000"');
    expect(
      run.annotations.some(
        (a) => a.path === RULES && a.annotation_level === "failure" && a.start_line <= yahooLine && yahooLine <= a.end_line,
      ),
    ).toBe(true);

    // One review (COMMENT) on the head commit, every inline comment inside the diff.
    const reviews = reviewsOf(pull);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ state: "COMMENTED", commitId: head1 });
    const comments = fake.state.reviewComments.filter((c) => c.pull === pull);
    expect(comments.length).toBeGreaterThan(0);
    expect(comments.some((c) => c.path === RULES && c.line === yahooLine)).toBe(true);
    expectCommentsInsideDiff(pull, head1);

    // One sticky comment with the hidden marker.
    const stickies = botComments(pull);
    expect(stickies).toHaveLength(1);
    expect(stickies[0]?.body).toContain(STICKY);
    expect(stickies[0]?.user.login).toBe("mx-guard[bot]");

    expectNoFailedCalls(mark);
    // The calls came from the runtime under test (octokit's user agent names it).
    const agent = runtime === "bun" ? /\bBun\/1\./ : /\bNode\.js\/\d+/;
    expect(
      fake
        .requestsSince(mark)
        .filter((r) => !agent.test(r.headers["user-agent"] ?? ""))
        .map((r) => r.headers["user-agent"]),
    ).toEqual([]);
    expect(fake.jwtRejections).toEqual([]);
    expect(fake.requestsSince(mark, { route: TOKEN_ROUTE })).toHaveLength(1);
  });

  it("passes after a follow-up push restores the value: sticky edited in place, no new review", async () => {
    // Yahoo back to 20,000; a harmless comment edit keeps a Campaign file in the diff.
    const restored = replaceOnce(
      exampleFiles,
      RULES,
      "# MX management (defaultMXRules), in order",
      "# MX management (defaultMXRules, reviewed), in order",
    );
    head2 = fake.state.addCommit(repo, head1, restored, "Restore the Yahoo quota");
    fake.state.pushToPullRequest(pull, head2);
    const stickyBefore = botComments(pull)[0];
    const mark = fake.lastSeq;

    syncPayload = pullRequestEvent("synchronize", pull);
    syncDelivery = `sync-${head2.slice(0, 12)}`;
    const { run } = await deliver("pull_request", syncPayload, head2, syncDelivery);
    await waitFor(
      "the sticky comment to be edited",
      () => fake.requestsSince(mark, { route: "PATCH /repos/{owner}/{repo}/issues/comments/{id}" }).length > 0,
      {
        timeoutMs: RUN_TIMEOUT,
        onTimeout: appLogDump,
      },
    );
    await waitForQuiet(fake, 1_500, RUN_TIMEOUT);
    report(`PR #${pull.number} synchronize (restored)`, mark);

    expect(run.conclusion).toBe("success");
    expect(runsFor(head2)).toHaveLength(1);
    const stickies = botComments(pull);
    expect(stickies).toHaveLength(1);
    expect(stickies[0]?.id).toBe(stickyBefore?.id);
    expect(stickies[0]?.edits).toHaveLength(1);
    expect(stickies[0]?.body).toContain(STICKY);
    expect(stickies[0]?.body).not.toBe(stickies[0]?.edits[0]);
    expect(fake.requestsSince(mark, { route: "POST /repos/{owner}/{repo}/issues/{number}/comments" })).toHaveLength(0);
    expect(fake.requestsSince(mark, { route: "PATCH /repos/{owner}/{repo}/issues/comments/{id}" })).toHaveLength(1);
    expect(fake.requestsSince(mark, { route: "POST /repos/{owner}/{repo}/pulls/{number}/reviews" })).toHaveLength(0);
    expect(reviewsOf(pull)).toHaveLength(1);
    expectNoFailedCalls(mark);
  });

  it("does nothing for a redelivery of the same delivery id", async () => {
    const counts = { runs: fake.state.checkRuns.length, reviews: fake.state.reviews.length, comments: fake.state.issueComments.length };
    const mark = fake.lastSeq;
    const response = await sendWebhook(proc(), {
      event: "pull_request",
      payload: syncPayload,
      deliveryId: syncDelivery,
      timeoutMs: RUN_TIMEOUT,
    });
    expect(response.status).toBe(200);
    await waitForQuiet(fake, 2_000, RUN_TIMEOUT);
    report(`PR #${pull.number} redelivery`, mark);
    expect(fake.requestsSince(mark).filter((r) => WRITE.test(r.route) && r.route !== TOKEN_ROUTE && r.route !== "POST /graphql")).toEqual(
      [],
    );
    expect({ runs: fake.state.checkRuns.length, reviews: fake.state.reviews.length, comments: fake.state.issueComments.length }).toEqual(
      counts,
    );
    expect(botComments(pull)[0]?.edits).toHaveLength(1);
  });

  it("re-runs on check_run.rerequested from a fork (no pull_requests): finds the PR, new run, nothing reposted", async () => {
    const previous = completedRun(head2);
    expect(previous).toBeDefined();
    const before = runsFor(head2).length;
    const mark = fake.lastSeq;
    const payload = checkRunRerequestedEvent(
      { id: previous?.id ?? 0, name: CHECK, headSha: head2, externalId: previous?.externalId ?? null, appId: proc().appId },
      pull,
      { listPulls: false },
    );
    const response = await sendWebhook(proc(), { event: "check_run", payload, timeoutMs: RUN_TIMEOUT });
    expect([200, 202], response.text).toContain(response.status);
    const run = await waitFor(
      "a second completed run on the same commit",
      () => runsFor(head2).length > before && runsFor(head2).every((r) => r.status === "completed") && runsFor(head2).at(-1),
      {
        timeoutMs: RUN_TIMEOUT,
        onTimeout: appLogDump,
      },
    );
    await waitForQuiet(fake, 1_500, RUN_TIMEOUT);
    report(`PR #${pull.number} check_run.rerequested (fork-style, empty pull_requests)`, mark);
    expect(run.conclusion).toBe("success");
    expect(fake.requestsSince(mark, { route: "GET /repos/{owner}/{repo}/pulls" }).length).toBeGreaterThan(0);
    // Same commit, same verdict: the review is not repeated and the sticky comment is left alone.
    expect(fake.requestsSince(mark, { route: "POST /repos/{owner}/{repo}/pulls/{number}/reviews" })).toHaveLength(0);
    expect(fake.requestsSince(mark, { route: "POST /repos/{owner}/{repo}/issues/{number}/comments" })).toHaveLength(0);
    expect(fake.requestsSince(mark, { route: "PATCH /repos/{owner}/{repo}/issues/comments/{id}" })).toHaveLength(0);
    expect(botComments(pull)).toHaveLength(1);
    expectNoFailedCalls(mark);
  });

  it("answers 400 to a bad signature and calls nothing", async () => {
    const mark = fake.lastSeq;
    const payload = pullRequestEvent("synchronize", pull);
    const forged = await sendWebhook(proc(), { event: "pull_request", payload, signature: sign("wrong-secret", JSON.stringify(payload)) });
    expect(forged.status).toBe(400);
    const unsigned = await sendWebhook(proc(), { event: "pull_request", payload, signature: `sha256=${"0".repeat(64)}` });
    expect(unsigned.status).toBe(400);
    await waitForQuiet(fake, 1_500);
    expect(fake.requestsSince(mark)).toEqual([]);
  });

  it("completes a pull request that touches no Campaign file as a success at once", async () => {
    const head = fake.state.addCommit(repo, base, { "README.md": "# Campaign configuration\n\nOwned by the email team.\n" }, "Docs only");
    const docs = fake.state.createPullRequest(repo, { baseSha: base, headSha: head, title: "Docs only" });
    const mark = fake.lastSeq;
    const started = Date.now();
    const { run } = await deliver("pull_request", pullRequestEvent("opened", docs), head);
    const elapsed = Date.now() - started;
    await waitForQuiet(fake, 1_500);
    report(`PR #${docs.number} opened (no Campaign file)`, mark);
    expect(run.conclusion).toBe("success");
    expect(runsFor(head)).toHaveLength(1);
    expect(reviewsOf(docs)).toHaveLength(0);
    expect(botComments(docs)).toHaveLength(0);
    // No simulation: one GraphQL query reads the watched paths' blob ids, which are equal at base and
    // head (the capped list of changed files never decides).
    expect(fake.requestsSince(mark, { route: "POST /graphql" })).toHaveLength(1);
    expect(run.output.title).toBe("No Campaign configuration changed");
    expect(elapsed).toBeLessThan(10_000);
    expectNoFailedCalls(mark);
  });

  it("retries a secondary rate limit (403 with retry-after) and still completes", async () => {
    const head = fake.state.addCommit(
      repo,
      base,
      replaceOnce(
        exampleFiles,
        RULES,
        "# MX management (defaultMXRules), in order",
        "# MX management (defaultMXRules), first match wins, in order",
      ),
      "Comment",
    );
    const other = fake.state.createPullRequest(repo, { baseSha: base, headSha: head, title: "Comment only" });
    fake.failNext({ method: "POST", path: /\/check-runs$/, status: 403, headers: { "retry-after": "1" } });
    const mark = fake.lastSeq;
    const { run } = await deliver("pull_request", pullRequestEvent("opened", other), head);
    await waitFor("the sticky comment", () => botComments(other).length > 0, { timeoutMs: RUN_TIMEOUT, onTimeout: appLogDump });
    await waitForQuiet(fake, 1_500, RUN_TIMEOUT);
    report(`PR #${other.number} opened (403 secondary rate limit on the first check-run POST)`, mark);
    expect(fake.pendingFailures()).toEqual([]);
    const posts = fake.requestsSince(mark, { route: "POST /repos/{owner}/{repo}/check-runs" });
    expect(posts.map((r) => r.status)).toEqual([403, 201]);
    expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(run.conclusion).toBe("success");
    expect(runsFor(head)).toHaveLength(1);
    expectNoFailedCalls(mark);
  });

  it("after a restart, a redelivery finds the completed check run and posts nothing", async () => {
    await proc().stop();
    const leaks = leakedSecrets(proc(), fake);
    earlierLogRecords.push(...proc().logRecords());
    app = await startApp({ fake, appPath: REAL_APP, runtime, slug: "mx-guard" });
    const counts = { runs: fake.state.checkRuns.length, reviews: fake.state.reviews.length, comments: fake.state.issueComments.length };
    const mark = fake.lastSeq;
    const response = await sendWebhook(proc(), {
      event: "pull_request",
      payload: syncPayload,
      deliveryId: syncDelivery,
      timeoutMs: RUN_TIMEOUT,
    });
    expect([200, 202]).toContain(response.status);
    await waitForQuiet(fake, 2_000, RUN_TIMEOUT);
    report(`PR #${pull.number} redelivery after a restart`, mark);
    expect(fake.requestsSince(mark, { route: "GET /repos/{owner}/{repo}/commits/{ref}/check-runs" }).length).toBeGreaterThan(0);
    expect(fake.requestsSince(mark).filter((r) => WRITE.test(r.route) && r.route !== TOKEN_ROUTE && r.route !== "POST /graphql")).toEqual(
      [],
    );
    expect({ runs: fake.state.checkRuns.length, reviews: fake.state.reviews.length, comments: fake.state.issueComments.length }).toEqual(
      counts,
    );
    expect(leaks).toEqual([]);
  });

  it("logs no secret, no key material and no error", () => {
    expect(leakedSecrets(proc(), fake)).toEqual([]);
    const records = [...earlierLogRecords, ...proc().logRecords()];
    const errors = records.filter((r) => typeof r.level === "number" && r.level >= 50);
    // Probot logs each forged delivery at error level: proof that the logs were captured at all.
    const forged = errors.filter((r) => /signature does not match/.test(String(r.msg)));
    expect(forged.length).toBeGreaterThanOrEqual(2);
    expect(errors.filter((r) => !forged.includes(r)).map((r) => r.msg)).toEqual([]);
  });
});
